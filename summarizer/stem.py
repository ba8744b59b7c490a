"""Stemmers: a Kazakh suffix stripper and Snowball for Russian and English.

Stems only need to be consistent (search and dedupe compare them), not linguistically pretty:
the Kazakh stripper also devoices a final г/ғ/б and drops a final ы/і so that «жауапкершілік»
and «жауапкершілігі», «басшы» and «басшысы» meet.
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

from .normalize import KK_STRONG, norm_word

_VOWELS = frozenset("аәеиоөұүыіуэюяё")

# One suffix per slot, stripped from the end: case, then possessive, then plural. Each entry is
# (suffix, letters allowed right before it): Kazakh picks the suffix's first consonant by the
# sound before it, and checking that keeps short suffixes from eating ordinary word endings
# («парламенті» is парламент+і, never парламен+ті; «Астана» keeps its «на»).
_V = "аәеиоөұүыіуэюя"  # vowels (у and ю behave as vowels before suffixes)
_VL = "кқпстфхцчшщв"  # voiceless consonants (and в of «Тоқаевтың») take т-/қ-/п-
_VD = "бвгғджзйлрмнң"  # voiced consonants and sonorants
_NAS = "мнң"
_ORAL_VD = "бвгғджзйлр"
_3SG = "ыі"  # after the 3rd person possessive, case suffixes begin with н
_CASE: list[tuple[str, str]] = [
    ("ндағы", _3SG), ("ндегі", _3SG), ("дағы", _V + _VD), ("дегі", _V + _VD),
    ("тағы", _VL), ("тегі", _VL),
    ("менен", _V + _VD), ("бенен", _VD), ("пенен", _VL),
    ("ның", _V + _NAS), ("нің", _V + _NAS), ("дың", _ORAL_VD), ("дің", _ORAL_VD),
    ("тың", _VL), ("тің", _VL),
    ("нан", _NAS + _3SG), ("нен", _NAS + _3SG), ("дан", _V + _ORAL_VD), ("ден", _V + _ORAL_VD),
    ("тан", _VL), ("тен", _VL),
    ("нда", _3SG), ("нде", _3SG),
    ("мен", _V + _VD), ("бен", _VD), ("пен", _VL),
    ("ға", _V + _VD), ("ге", _V + _VD), ("қа", _VL), ("ке", _VL), ("на", _3SG), ("не", _3SG),
    ("да", _V + _VD), ("де", _V + _VD), ("та", _VL), ("те", _VL),
    ("ны", _V), ("ні", _V), ("ды", _VD), ("ді", _VD), ("ты", _VL), ("ті", _VL),
    ("ғы", _VD), ("гі", _VD), ("қы", _VL), ("кі", _VL),
    ("а", "мң"), ("е", "мң"), ("н", _3SG),
]  # fmt: skip
_POSSESSIVE: list[tuple[str, str]] = [
    ("ымыз", _VL + _VD), ("іміз", _VL + _VD), ("ыңыз", _VL + _VD), ("іңіз", _VL + _VD),
    ("мыз", _V), ("міз", _V), ("ңыз", _V), ("ңіз", _V), ("сы", _V), ("сі", _V),
    ("ым", _VL + _VD), ("ім", _VL + _VD), ("ың", _VL + _VD), ("ің", _VL + _VD),
    ("м", _V), ("ң", _V), ("ы", _VL + _VD), ("і", _VL + _VD),
]  # fmt: skip
_PLURAL: list[tuple[str, str]] = [
    ("лар", _V + "ру"), ("лер", _V + "ру"), ("дар", "бвгғджзйлмнң"), ("дер", "бвгғджзйлмнң"),
    ("тар", _VL), ("тер", _VL),
]  # fmt: skip
_DEVOICE = {"г": "к", "ғ": "қ", "б": "п"}

# Words (and stems) whose ending only looks like a suffix: stripping prefers and stops at them.
_KEEP = frozenset(
    [
        "алматы",
        "астана",
        "атырау",
        "қызылорда",
        "тараз",
        "канада",
        "ресей",
        "түркия",
        "қытай",
        "америка",
        "африка",
        "доллар",
        "миллиард",
        "миллион",
        "ақорда",
        "мәжіліс",
        "сенат",
        "парламент",
        "үкімет",
        "президент",
        "министр",
        "партия",
        "қала",
        "дала",
        "ата",
        "ана",
        "аға",
        "іні",
        "апа",
        "әке",
        "бала",
        "отырыс",
        "жұмыс",
        "келіс",
        "күрес",
        "іс",
        "ел",
        "үй",
        "су",
        "ту",
        "ай",
        "ақ",
        "ас",
        "ат",
        "ән",
        "ой",
        "от",
        "оқ",
        "тіл",
        "жол",
        "жер",
        "мың",
        "заң",
        "сот",
    ]
)
# Roots shorter than MIN_STEM that are common enough in the news to be worth a term.
_SHORT_ROOTS = frozenset(
    ["ел", "үй", "су", "ту", "ай", "ақ", "ас", "ат", "ән", "ой", "от", "оқ", "іс"]
)
MIN_STEM = 3


def _ok(stem: str) -> bool:
    if stem in _SHORT_ROOTS:
        return True
    return len(stem) >= MIN_STEM and any(ch in _VOWELS for ch in stem)


def _strip(word: str, table: list[tuple[str, str]]) -> str:
    first = ""
    for suffix, before in table:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if _ok(stem) and stem[-1] in before:
                if stem in _KEEP:
                    return stem
                first = first or stem
    return first or word


@lru_cache(maxsize=200_000)
def stem_kk(word: str) -> str:
    """Kazakh (Cyrillic) word to its stem: «Қазақстанның» → «қазақстан», «парламентінің» →
    «парламент»."""
    word = norm_word(word)
    if "-" in word:
        head, _, last = word.rpartition("-")
        return f"{head}-{stem_kk(last)}" if last else word
    if word in _KEEP or not word.isalpha() or word.endswith("стан"):
        return word
    stem = word
    for table in (_CASE, _POSSESSIVE, _PLURAL):
        stem = _strip(stem, table)
        if stem in _KEEP or stem.endswith("стан"):
            return stem
    if stem != word or stem[-1] in "ыі":
        # Canonical form: drop a final ы/і and devoice г/ғ/б (Kazakh voices them before vowels).
        if stem[-1] in "ыі" and _ok(stem[:-1]):
            stem = stem[:-1]
        if stem[-1] in _DEVOICE:
            stem = stem[:-1] + _DEVOICE[stem[-1]]
    elif stem[-1] in _DEVOICE:
        stem = stem[:-1] + _DEVOICE[stem[-1]]
    return stem


_RU = snowballstemmer.stemmer("russian")
_EN = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem_ru(word: str) -> str:
    return _RU.stemWord(norm_word(word))


@lru_cache(maxsize=100_000)
def stem_en(word: str) -> str:
    return _EN.stemWord(word.lower())


def stem_word(word: str, lang: str) -> str:
    """Stem one (Cyrillic-script for Kazakh) word. A Kazakh letter wins over the document's
    language, so a Kazakh name in a Russian text is stripped the Kazakh way."""
    if not word:
        return word
    first = word[0]
    if first.isdigit():
        return word
    if "\u0400" <= first <= "\u04ff":
        if lang == "kk" or KK_STRONG.intersection(word):
            return stem_kk(word)
        return stem_ru(word)
    if lang == "en" or first.isascii():
        return stem_en(word)
    return word.lower()
