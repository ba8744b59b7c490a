from __future__ import annotations

import pytest

from summarizer import strip_boilerplate
from summarizer.boilerplate import strip_captions


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (
            "АСТАНА. KAZINFORM – Биыл 11 айда жолаушы тасымалданды.",
            "Биыл 11 айда жолаушы тасымалданды.",
        ),
        ("АЛМАТЫ. KAZINFORM — Жиын өтті.", "Жиын өтті."),
        (
            "Мемлекет басшысы заңға қол қойды, деп хабарлайды Kazinform тілшісі.",
            "Мемлекет басшысы заңға қол қойды.",
        ),
        ("Токаев подписал закон, передает Tengrinews.kz.", "Токаев подписал закон."),
        (
            "Токаев подписал закон, передаетTengrinews.kzсо ссылкой на Акорду.",
            "Токаев подписал закон.",
        ),
        (
            "Закон принят, передает Tengrinews.kz со ссылкой на пресс-службу. Второе.",
            "Закон принят. Второе.",
        ),
        ("Фото Турар КазангаповКакие виды долга есть?", "Какие виды долга есть?"),
        ("Текст. Толығырақ Kazinform тілшісінің шолуынан оқыңыз.", "Текст."),
    ],
)
def test_strip_boilerplate(text: str, clean: str) -> None:
    assert strip_boilerplate(text) == clean


def test_plain_text_untouched() -> None:
    text = "Сенат заңды қабылдады. Сессия аяқталды."
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (
            "Встреча прошла.Фото пресс-службы АкордыГлава государства подчеркнул важность.",
            "Встреча прошла. Глава государства подчеркнул важность.",
        ),
        ("Фото пресс-службы Акорды16 апреля Президент прибыл.", "16 апреля Президент прибыл."),
        (
            "Фото primeminister.kzПервый вице-премьер проверил дамбу.",
            "Первый вице-премьер проверил дамбу.",
        ),
        (
            "Суд продолжился.Посмотреть эту публикацию в InstagramПубликация от Tengri Almaty "
            "(@tengri.almaty)Адвокат заявил отвод.",
            "Суд продолжился. Адвокат заявил отвод.",
        ),
        (
            "Посмотреть эту публикацию в InstagramПубликация от @kris_p_akimatКак известно, реки.",
            "Как известно, реки.",
        ),
    ],
)
def test_glued_captions_and_embeds_are_cut_from_summary_text(text: str, clean: str) -> None:
    assert strip_captions(strip_boilerplate(text)) == clean


@pytest.mark.parametrize(
    "text",
    [
        "Фото сделано в 2020 году. Новый закон вступил в силу.",
        "Фото выставки показали в Алматы.",
        "Он показал Фото Ивана. Потом ушел.",
    ],
)
def test_a_sentence_that_begins_with_photo_is_kept(text: str) -> None:
    assert strip_captions(text) == text
