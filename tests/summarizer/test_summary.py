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


def test_a_glued_photo_credit_never_reaches_the_summary() -> None:
    # Scraped Tengrinews glues a caption to the paragraph after it (11 of 349 summaries
    # began with one).
    text = (
        "Президент провел совещание по паводкам.Фото пресс-службы АкордыГлава государства "
        "поручил усилить дамбы. Аким доложил о ходе работ."
    )
    assert summarize(text, "ru") == [
        "Президент провел совещание по паводкам.",
        "Глава государства поручил усилить дамбы.",
        "Аким доложил о ходе работ.",
    ]


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


RU_WITH_RECAP = (
    "В Астане прошло заседание Совета безопасности. Его провел Президент страны. "
    "Участники обсудили защиту границ и работу пограничной службы. "
    "Министр обороны доложил о закупках новой техники для армии. "
    "Заседание длилось около трех часов и прошло в закрытом режиме. "
    "Журналистов на встречу не пустили, пресс-подход отменили. "
    "Напомним, в марте Президент поручил обновить военную доктрину страны."
)


def test_the_headline_steers_the_summary_to_the_sentences_that_restate_it() -> None:
    text = (
        "Утром в столице прошел дождь, на дорогах были пробки. "
        "Горожане жаловались на задержки автобусов и очереди на остановках. "
        "Мажилис одобрил в первом чтении законопроект о защите прав журналистов. "
        "Депутаты обсуждали документ около двух часов."
    )
    title = "Мажилис одобрил законопроект о правах журналистов"
    assert summarize(text, "ru", max_sentences=1) == [
        "Утром в столице прошел дождь, на дорогах были пробки."
    ]
    assert summarize(text, "ru", max_sentences=1, title=title) == [
        "Мажилис одобрил в первом чтении законопроект о защите прав журналистов."
    ]
    # A headline in Latin-script Kazakh steers a Cyrillic text the same way.
    kk = (
        "Бүгін қалада жаңбыр жауды, жолдарда кептеліс болды. "
        "Мәжіліс журналистердің құқықтарын қорғау туралы заң жобасын мақұлдады. "
        "Депутаттар құжатты екі сағат талқылады."
    )
    assert summarize(kk, "kk", max_sentences=1, title="Májilis zań jobasyn maqulday") == [
        "Мәжіліс журналистердің құқықтарын қорғау туралы заң жобасын мақұлдады."
    ]


def test_a_sentence_that_only_repeats_the_headline_is_left_out() -> None:
    title = "Сенат ратифицировал соглашение с Узбекистаном"
    text = (
        "Сенат ратифицировал соглашение с Узбекистаном. "
        "Документ упрощает торговлю и транспорт в приграничных районах двух стран. "
        "Сенаторы поручили правительству следить за его исполнением."
    )
    # The digest prints the headline above the summary: saying it again wastes the slot.
    summary = summarize(text, "ru", max_sentences=2, title=title)
    assert summary == [
        "Документ упрощает торговлю и транспорт в приграничных районах двух стран.",
        "Сенаторы поручили правительству следить за его исполнением.",
    ]
    # Without a headline, or when the copy is all there is, it stays.
    assert "Сенат ратифицировал соглашение с Узбекистаном." in summarize(text, "ru")
    only = "Сенат ратифицировал соглашение с Узбекистаном."
    assert summarize(only, "ru", title=title) == [only]


def test_russian_summary_ends_with_the_articles_recap() -> None:
    summary = summarize(RU_WITH_RECAP, "ru", max_sentences=3)
    assert len(summary) == 3
    assert summary[-1].startswith("Напомним, в марте Президент поручил")
    assert summary[0] == "В Астане прошло заседание Совета безопасности."


def test_recap_needs_room_for_three_sentences() -> None:
    short = summarize(RU_WITH_RECAP, "ru", max_sentences=2)
    assert len(short) == 2
    assert not any(s.startswith("Напомним") for s in short)
    # Not when the recap would break max_chars either.
    tight = summarize(RU_WITH_RECAP, "ru", max_sentences=3, max_chars=160)
    assert len(" ".join(tight)) <= 160


def test_kazakh_aside_is_not_treated_as_a_recap() -> None:
    from summarizer.summary import with_recap

    # «Айта кетейік» («note that») in Kazakh agency news points to another story.
    every = [
        "Астанада Қауіпсіздік кеңесінің отырысы өтті.",
        "Отырысты Мемлекет басшысы өткізді.",
        "Қатысушылар шекараны қорғау мәселесін талқылады.",
        "Айта кетейік, кеше Алматыда жаңа саябақ ашылды.",
    ]
    assert with_recap([0, 1, 2], every, "kk", 3, 600) == [0, 1, 2]
    recap = [*every[:3], "Напомним, кеше Алматыда жаңа саябақ ашылды."]
    assert with_recap([0, 1, 2], recap, "ru", 3, 600) == [0, 1, 3]


@pytest.mark.shared_data
def test_russian_summaries_beat_lead3_by_two_points_on_both_halves_of_the_evaluation() -> None:
    """Ours against Lead-3 on the Tengrinews evaluation (ROUGE-1 against the agency lead): the
    parameters were tuned on the even half, the odd half is held out. With the headline the
    shipped ranker leads by +2.5 and +2.9 points (issue 4's goal is +2); without it, by +0.7
    and +1.4. A change that loses the news knowledge falls behind."""
    from statistics import mean

    from summarizer.eval import HALVES, tengrinews_pairs
    from summarizer.rouge import rouge
    from summarizer.summary import lead

    require_shared_data()
    pairs = tengrinews_pairs()
    for part in HALVES.values():
        lead3 = mean(
            rouge(ref, " ".join(lead(body, "ru", 3)), "ru")[0] for ref, body, _ in pairs[part]
        )
        ours = mean(
            rouge(ref, " ".join(summarize(body, "ru", title=title)), "ru")[0]
            for ref, body, title in pairs[part]
        )
        blind = mean(
            rouge(ref, " ".join(summarize(body, "ru")), "ru")[0] for ref, body, _ in pairs[part]
        )
        assert ours >= lead3 + 0.02
        assert blind >= lead3 + 0.004
