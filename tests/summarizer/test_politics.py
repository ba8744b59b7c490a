from __future__ import annotations

import pytest

from summarizer import POLITICS_THRESHOLD, is_politics, politics_score
from summarizer.politics import MODEL_PATH

from ._data import require_shared_data


def test_model_file_is_small() -> None:
    assert MODEL_PATH.stat().st_size < 1_000_000


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        ("Тоқаев Мәжіліс депутаттарымен кездесті", "Президент заң жобаларын талқылады.", "kk"),
        (
            "Токаев подписал закон о выборах",
            "Глава государства подписал закон, принятый Парламентом.",
            "ru",
        ),
        ("Prezıdent Senat tóraǵasyn qabyldady", "Memleket basshysy zań jobasyn talqylady.", None),
    ],
)
def test_political_headlines(title: str, text: str, lang: str | None) -> None:
    assert is_politics(title, text, lang)


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        ("Алматыда жаңбыр жауады", "Синоптиктер ертең күн салқындайтынын айтты.", "kk"),
        ("В Алматы ожидается дождь", "Синоптики обещают похолодание и сильный ветер.", "ru"),
    ],
)
def test_non_political_headlines(title: str, text: str, lang: str) -> None:
    assert not is_politics(title, text, lang)


def test_section_hint_raises_the_score() -> None:
    title, text = "Жаңа бағдарлама", "Бағдарлама келесі жылы басталады."
    plain = politics_score(title, text, "kk")
    hinted = politics_score(title, text, "kk", section_hint=True)
    assert 0.0 <= plain < hinted <= 1.0


def test_threshold_is_documented_constant() -> None:
    assert POLITICS_THRESHOLD == 0.5


@pytest.mark.shared_data
def test_sib200_dev_scores_are_valid() -> None:
    from summarizer.data_paths import sib200

    require_shared_data()
    scores = [politics_score("", text, "ru") for _, text in sib200("ru", "dev")]
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_lexicon_matches_word_beginnings_only() -> None:
    from summarizer.politics import lexicon_hits

    hits = lexicon_hits("Президент подписал закон; Мәжіліс депутаттары; подзаконный акт")
    assert "~президент" in hits
    assert "=parliament" in hits
    assert hits.count("~закон") == 1  # «подзаконный» does not start with «закон»


def test_lexicon_skips_words_that_only_look_political() -> None:
    from summarizer.politics import lexicon_hits

    # «выбор магазинов» is a choice of shops, «выборы» are elections.
    assert lexicon_hits("хороший выбор магазинов, независимо от погоды") == []
    assert "=election" in lexicon_hits("Выборы в Мажилис")
    assert "=election" in lexicon_hits("на выборах президента")
