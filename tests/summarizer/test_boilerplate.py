from __future__ import annotations

import pytest

from summarizer import strip_boilerplate


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
