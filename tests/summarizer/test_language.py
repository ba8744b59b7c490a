from __future__ import annotations

import pytest

from summarizer import detect_language, to_cyrillic
from summarizer.translit import to_latin


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Мемлекет басшысы Ақордада Сенат төрағасын қабылдады.", "kk"),
        ("Бюджет орындалды.", "kk"),  # no Kazakh-only letter: the trigram model decides
        ("Төрт баласы бар.", "kk"),  # only ө: still Kazakh, not Kyrgyz
        ("Президент подписал закон о выборах в Мажилис.", "ru"),
        ("Напомним, в Казахстане проходит экологическая акция «Таза Қазақстан».", "ru"),
        ("Qazaqstan Respýblıkasynyń Prezıdenti Májiliste sóz sóıledi.", "kk"),
        ("Prezident Mäjilis deputattarymen kezdesti.", "kk"),
        ("The President of Kazakhstan signed the law on Monday.", "en"),
        ("Le président a signé la loi.", "und"),
        ("Привіт, як справи? Їжак і єнот.", "und"),
        ("12345 — 678", "und"),
        ("", "und"),
        ("Бұл S & P Global Ratings сарапшыларының болжамы.", "kk"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_to_cyrillic_2018() -> None:
    assert (
        to_cyrillic("Qazaqstan Respýblıkasynyń Prezıdenti Qasym-Jomart Toqaev")
        == "Қазақстан Республикасының Президенті Қасым-Жомарт Тоқаев"
    )
    assert to_cyrillic("Qaıyrly tań, úıi, Ishki ister") == "Қайырлы таң, үйі, Ішкі істер"


def test_to_cyrillic_2021() -> None:
    assert (
        to_cyrillic("Qazaqstan Respublikasynyñ Prezidentı")
        == "Қазақстан Республикасының Президенті"
    )
    assert to_cyrillic("Ükımet şeşımı") == "Үкімет шешімі"


def test_to_cyrillic_leaves_cyrillic_and_digits() -> None:
    assert to_cyrillic("Мәжіліс 2024 ж.") == "Мәжіліс 2024 ж."


@pytest.mark.parametrize("alphabet", [2018, 2021])
def test_latin_round_trip(alphabet: int) -> None:
    text = "Парламент депутаттары Үкімет отырысында сөз сөйледі"
    assert to_cyrillic(to_latin(text, alphabet)) == text
