from __future__ import annotations

import json

import pytest

from summarizer import split_sentences, strip_boilerplate, summarize

from ._data import require_shared_data

KK_ARTICLE = (
    "АСТАНА. KAZINFORM – Мемлекет басшысы Қасым-Жомарт Тоқаев Парламент Мәжілісінің депутаттарымен "
    "кездесті. Кездесуде заң шығару жұмысының басым бағыттары талқыланды. Президент Мәжілістің "
    "биылғы жұмысына жоғары баға берді. «Заңдар халықтың мүддесіне сай болуы керек. Бұл басты "
    "талап», – деді Мемлекет басшысы. Кездесу соңында депутаттар бірнеше ұсыныс айтты. Ауа райы "
    "бүгін бұлтты болды, деп хабарлайды Kazinform тілшісі."
)
RU_ARTICLE = (
    "Президент Казахстана Касым-Жомарт Токаев подписал закон о выборах, передает Tengrinews.kz. "
    "Документ был принят Мажилисом в марте и одобрен Сенатом в апреле. Закон меняет порядок "
    "выборов в Мажилис. Депутаты обсуждали документ несколько месяцев. Фото: Акорда. "
    "Ранее сообщалось, что закон вызвал споры."
)


@pytest.mark.parametrize(
    ("text", "lang"), [(KK_ARTICLE, "kk"), (RU_ARTICLE, "ru"), (KK_ARTICLE, None)]
)
def test_summary_is_whole_sentences_in_order(text: str, lang: str | None) -> None:
    summary = summarize(text, lang, max_sentences=3, max_chars=600)
    assert 1 <= len(summary) <= 3
    assert len(" ".join(summary)) <= 600
    # Sentences of the input once datelines and credits are cut, in document order.
    candidates = split_sentences(strip_boilerplate(text))
    positions = [candidates.index(s) for s in summary]
    assert positions == sorted(positions)
    assert all(s in text or s.rstrip(".") in text for s in summary)


def test_boilerplate_never_in_summary() -> None:
    joined = " ".join(summarize(KK_ARTICLE, "kk") + summarize(RU_ARTICLE, "ru"))
    assert "KAZINFORM" not in joined
    assert "Tengrinews" not in joined
    assert "хабарлайды" not in joined


def test_max_chars_respected_even_when_tiny() -> None:
    assert summarize(RU_ARTICLE, "ru", max_chars=10) == []
    assert all(len(s) <= 80 for s in summarize(RU_ARTICLE, "ru", max_chars=80))


def test_latin_kazakh_summary_keeps_original_script() -> None:
    text = (
        "Memleket basshysy Qasym-Jomart Toqaev Májilis depýtattarymen kezdesti. "
        "Kezdesýde zań jobalary talqylandy. Prezıdent jumysqa joǵary baǵa berdi."
    )
    summary = summarize(text)
    assert summary
    assert all(s in text for s in summary)


def test_degenerate_inputs() -> None:
    assert summarize("") == []
    assert summarize("...") == []
    assert summarize(RU_ARTICLE, max_sentences=0) == []


@pytest.mark.shared_data
def test_real_kazinform_article() -> None:
    data = require_shared_data()
    articles = json.loads((data / "kazinform-kk" / "news.json").read_text(encoding="utf-8"))[
        "articles"
    ]
    for row in articles:
        summary = summarize(row["content_text"], "kk")
        assert summary
        assert len(" ".join(summary)) <= 600
        assert not any("KAZINFORM" in s for s in summary)
