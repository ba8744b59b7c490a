from __future__ import annotations

import pytest

from summarizer import split_sentences
from summarizer.hard_cases import HARD_CASES

from ._data import require_shared_data


@pytest.mark.parametrize(("text", "expected"), HARD_CASES, ids=[t[:30] for t, _ in HARD_CASES])
def test_hard_cases(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_kazakh_capital_initials_not_split() -> None:
    text = "Жиынға Ә.Ә. Смайылов, Қ. Тоқаев және Ұ.Ж. Есенова қатысты. Басқа сөйлем."
    assert split_sentences(text) == [
        "Жиынға Ә.Ә. Смайылов, Қ. Тоқаев және Ұ.Ж. Есенова қатысты.",
        "Басқа сөйлем.",
    ]


def test_quote_with_dash_attribution_russian() -> None:
    text = "«Работа продолжится. Мы готовы», – отметил аким. Заседание завершилось."
    assert split_sentences(text) == [
        "«Работа продолжится. Мы готовы», – отметил аким.",
        "Заседание завершилось.",
    ]


def test_newlines_always_split_and_sentences_are_slices() -> None:
    text = "Тақырып жолы\nБірінші сөйлем. Екінші сөйлем."
    sentences = split_sentences(text)
    assert sentences == ["Тақырып жолы", "Бірінші сөйлем.", "Екінші сөйлем."]
    assert all(s in text for s in sentences)


def test_dateline_is_not_a_sentence_of_its_own_after_boilerplate() -> None:
    from summarizer import strip_boilerplate

    text = "АСТАНА. KAZINFORM – Биыл жолаушы көп болды. Бұл туралы министр айтты."
    assert split_sentences(strip_boilerplate(text)) == [
        "Биыл жолаушы көп болды.",
        "Бұл туралы министр айтты.",
    ]


@pytest.mark.shared_data
def test_real_tengrinews_glued_text_splits() -> None:
    import json

    data = require_shared_data()
    path = data / "tengrinews-ru" / "tengrinews_ru_articles.jsonl"
    row = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    sentences = split_sentences(row["content"], "ru")
    assert "Мужчина готов отдать блок из 10 пачек за 4 тысячи тенге." in sentences
    assert all(len(s) < 1500 for s in sentences)
