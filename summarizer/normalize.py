"""Character-level normalisation shared by every later step (language ID, stems, features)."""

from __future__ import annotations

import re

KK_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
# Letters that occur in Kazakh but never in Russian; і is shared with Ukrainian/Belarusian.
KK_STRONG = frozenset("әғқұіһӘҒҚҰІҺ")
KK_WEAK = frozenset("ңөүҢӨҮ")

# Scraped and OCR'd Cyrillic often hides Latin twins inside a word («Қазaқстан» with a Latin a);
# they break exact-match search, so they are mapped back whenever the word is mostly Cyrillic.
_LOOKALIKE = str.maketrans(
    "aAeEoOpPcCxXyKkMTBHiI",
    "аАеЕоОрРсСхХуКкМТВНіІ",
)
_LOOKALIKE_SET = frozenset("aAeEoOpPcCxXyKkMTBHiI")

# Words, numbers and hyphenated compounds («вице-министр», «Қасым-Жомарт»).
WORD_RE = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")
_CYR_RE = re.compile(r"[\u0400-\u04ff]")
_LAT_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
_SCRIPT_RUN_RE = re.compile(r"[\u0400-\u04ff]+|[A-Za-z\u00c0-\u024f]+|[^\W_]+")


def is_cyrillic_char(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def is_latin_char(ch: str) -> bool:
    return ("a" <= ch.lower() <= "z") or ("\u00c0" <= ch <= "\u024f" and ch.isalpha())


def fix_lookalikes(word: str) -> str:
    """Map Latin look-alikes to Cyrillic in a mixed word; leave genuinely mixed tokens alone."""
    if not _CYR_RE.search(word) or not _LAT_RE.search(word):
        return word
    latin = [ch for ch in word if is_latin_char(ch)]
    if all(ch in _LOOKALIKE_SET for ch in latin):
        return word.translate(_LOOKALIKE)
    return word


def split_scripts(word: str) -> list[str]:
    """Split glued Cyrillic+Latin runs («корреспондентTengrinews») after look-alike repair."""
    word = fix_lookalikes(word)
    if _CYR_RE.search(word) and _LAT_RE.search(word):
        return _SCRIPT_RUN_RE.findall(word)
    return [word]


def norm_word(word: str) -> str:
    """Case-fold and merge ё into е: Russian news spells the same word both ways."""
    return word.lower().replace("ё", "е")


# Runs of the Latin letters of _LAT_RE. A script change (a Cyrillic letter next to a Latin one,
# the only place a mixed-script word can be) is at an end of such a run. Latin runs are rare in
# Kazakh and Russian news, so re skips to them fast; a pattern testing every Cyrillic letter for
# a Latin neighbour cost more than tokenizing the text.
_LAT_RUN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def _script_changes(text: str) -> list[int]:
    """Positions i, in order, where text[i] and text[i + 1] are one a U+0400–U+04FF character
    and the other a _LAT_RE one (the same test as mixed-script words get)."""
    changes: list[int] = []
    end_of_text = len(text)
    for match in _LAT_RUN_RE.finditer(text):
        start, end = match.span()
        if start and "\u0400" <= text[start - 1] <= "\u04ff":
            changes.append(start - 1)
        if end < end_of_text and "\u0400" <= text[end] <= "\u04ff":
            changes.append(end - 1)
    return changes


def words(text: str) -> list[str]:
    """Tokens of a text in order, look-alikes repaired, glued scripts split, not yet lower-cased."""
    changes = _script_changes(text)
    if not changes:
        return WORD_RE.findall(text)  # the common case: no word mixes scripts
    out: list[str] = []
    k = 0
    for match in WORD_RE.finditer(text):
        start, end = match.span()
        while k < len(changes) and changes[k] < start:
            k += 1
        if k < len(changes) and changes[k] < end:
            out.extend(split_scripts(match.group()))
        else:
            out.append(match.group())
    return out
