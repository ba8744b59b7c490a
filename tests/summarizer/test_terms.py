from __future__ import annotations

import pytest

from summarizer import index_terms
from summarizer.stem import stem_kk, stem_word


@pytest.mark.parametrize(
    "word",
    ["Қазақстан", "Қазақстанның", "Қазақстанға", "Қазақстанда", "Қазақстаннан", "Қазақстанмен"],
)
def test_kazakh_case_forms_share_a_stem(word: str) -> None:
    assert stem_kk(word) == "қазақстан"


def test_latin_kazakh_matches_cyrillic() -> None:
    assert index_terms("Qazaqstan") == index_terms("Қазақстан") == ["қазақстан"]
    assert index_terms("Qazaqstannyń") == index_terms("Қазақстанның")
    assert index_terms("Qazaqstannyñ", "kk") == index_terms("Қазақстанның", "kk")


def test_no_greedy_overstemming() -> None:
    assert stem_kk("парламентінің") == "парламент"
    assert stem_kk("парламенті") == "парламент"
    assert stem_kk("Парламент") == "парламент"


@pytest.mark.parametrize(
    ("forms", "stem"),
    [
        (["депутат", "депутаттар", "депутаттары", "депутаттарының"], "депутат"),
        (["заң", "заңы", "заңның", "заңдар"], "заң"),
        (["ел", "елі", "елдің", "елде"], "ел"),
        (["Тоқаев", "Тоқаевтың"], "тоқаев"),
        (["Астана", "Астанада", "Астананың"], "астана"),
        (["отырыс", "отырысы", "отырысында"], "отырыс"),
    ],
)
def test_kazakh_paradigms(forms: list[str], stem: str) -> None:
    assert {stem_kk(f) for f in forms} == {stem}


def test_russian_yo_and_case() -> None:
    assert stem_word("Ёлка", "ru") == stem_word("елки", "ru")
    assert index_terms("ВЫБОРЫ", "ru") == index_terms("выборы", "ru")


def test_latin_lookalikes_inside_cyrillic_words() -> None:
    # «Қазaқстан» with a Latin a, «Пaрлaмент» with Latin a's, «Сeнат» with a Latin e.
    assert index_terms("Қазaқстан") == index_terms("Қазақстан")
    assert index_terms("Пaрлaмент Сeнат", "ru") == index_terms("Парламент Сенат", "ru")


def test_stop_words_and_boilerplate_words_removed() -> None:
    assert index_terms("және мен деп хабарлайды", "kk") == []
    assert index_terms("передает Tengrinews.kz со ссылкой", "ru") == []


def test_glued_scripts_are_separated() -> None:
    assert index_terms("корреспондентаTengrinews.kz", "ru") == index_terms("корреспондента", "ru")


def test_index_terms_of_a_long_article_equal_uncached_terms() -> None:
    from summarizer.terms import cached_terms, terms_of

    body = " ".join(["Парламент принял закон о выборах в Мажилис."] * 80)
    text = f"Заголовок статьи\n{body}"
    cached_terms.cache_clear()
    first = index_terms(text, "ru")
    assert first == terms_of(text, "ru") == index_terms(text, "ru")
