"""Kazakh Latin (2018 acute-accent alphabet and 2021 alphabet) to Cyrillic, and back for tests.

Every later step (stems, stop words, the politics model) works on Cyrillic, so Latin-script
Kazakh is converted once; callers keep the original text for display.
"""

from __future__ import annotations

import re

_VOWELS = set("аәеиоөұүыіуэюяё")

# The two alphabets disagree on i/ı and u, so a text is read with one table or the other.
_ONLY_2021 = set("äğñöūüşçİÄĞÑÖŪÜŞÇ")
_ONLY_2018 = set("áǵńóúýÁǴŃÓÚÝ")

_COMMON = {
    "a": "а", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "j": "ж",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р",
    "s": "с", "t": "т", "v": "в", "y": "ы", "z": "з", "c": "ц", "w": "у", "x": "кс",
}  # fmt: skip
_T2018 = {
    **_COMMON,
    "á": "ә", "ǵ": "ғ", "ń": "ң", "ó": "ө", "ú": "ү", "ý": "у", "u": "ұ", "i": "і", "ı": "и",
    # Users type the Turkish-keyboard letters even in 2018-style text.
    "ä": "ә", "ğ": "ғ", "ñ": "ң", "ö": "ө", "ü": "ү", "ş": "ш", "ç": "ч",
}  # fmt: skip
_T2021 = {
    **_COMMON,
    "ä": "ә", "ğ": "ғ", "ñ": "ң", "ö": "ө", "ü": "ү", "ū": "ұ", "u": "у", "ş": "ш", "ç": "ч",
    "ı": "і", "i": "и", "İ": "И",
    "á": "ә", "ǵ": "ғ", "ń": "ң", "ó": "ө", "ú": "ү", "ý": "у",
}  # fmt: skip
_DIGRAPHS = {"sh": "ш", "ch": "ч"}
_Y_SOUND = {"и", "И"}  # 2018 ı / 2021 i stand for both и and й

_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u0131\u0130]+")


def alphabet_of(text: str) -> int:
    """2021 when its letters appear, else 2018 (Kazinform's Latin edition uses 2018)."""
    chars = set(text)
    if chars & _ONLY_2021 and not chars & _ONLY_2018:
        return 2021
    return 2018


def _convert_word(word: str, table: dict[str, str]) -> str:
    out: list[str] = []
    i = 0
    n = len(word)
    while i < n:
        ch = word[i]
        pair = word[i : i + 2].lower()
        if pair in _DIGRAPHS:
            cyr = _DIGRAPHS[pair]
            out.append(cyr.upper() if ch.isupper() else cyr)
            i += 2
            continue
        low = ch.lower() if ch != "İ" else "İ"
        # Capital I is both і and и in 2018 and і in 2021: і is by far the commoner.
        cyr = "і" if ch == "I" else table.get(low, ch)
        if cyr in _Y_SOUND or cyr == "и":
            prev = out[-1].lower() if out else ""
            if prev and prev[-1] in _VOWELS:
                cyr = "й"
        if ch.isupper() and cyr:
            cyr = cyr[0].upper() + cyr[1:]
        out.append(cyr)
        i += 1
    return "".join(out)


def to_cyrillic(text: str) -> str:
    """Transliterate Kazakh Latin-script words to Cyrillic; Cyrillic and other text pass through."""
    if _LATIN_WORD.search(text) is None:
        return text  # the usual Cyrillic text: no need to read its alphabet off every letter
    table = _T2021 if alphabet_of(text) == 2021 else _T2018
    return _LATIN_WORD.sub(lambda m: _convert_word(m.group(), table), text)


_TO_LATIN_2018 = {
    "а": "a", "ә": "á", "б": "b", "в": "v", "г": "g", "ғ": "ǵ", "д": "d", "е": "e", "ж": "j",
    "з": "z", "и": "ı", "й": "ı", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ń",
    "о": "o", "ө": "ó", "п": "p", "р": "r", "с": "s", "т": "t", "у": "ý", "ұ": "u", "ү": "ú",
    "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ы": "y",
    "і": "i", "э": "e", "ю": "ıý", "я": "ıa", "ъ": "", "ь": "", "ё": "e",
}  # fmt: skip
_TO_LATIN_2021 = {
    **_TO_LATIN_2018,
    "ә": "ä", "ғ": "ğ", "ң": "ñ", "ө": "ö", "у": "u", "ұ": "ū", "ү": "ü", "ш": "ş", "щ": "ş",
    "ч": "ç", "і": "ı", "и": "i", "й": "i", "ю": "iu", "я": "ia",
}  # fmt: skip


def to_latin(text: str, alphabet: int = 2018) -> str:
    """Cyrillic Kazakh to Latin: used to make Latin-script training and test text."""
    table = _TO_LATIN_2021 if alphabet == 2021 else _TO_LATIN_2018
    out: list[str] = []
    for ch in text:
        low = ch.lower()
        lat = table.get(low)
        if lat is None:
            out.append(ch)
        elif ch != low and lat:
            out.append(
                "İ" + lat[1:] if lat[0] == "i" and alphabet == 2021 else lat[0].upper() + lat[1:]
            )
        else:
            out.append(lat)
    return "".join(out)
