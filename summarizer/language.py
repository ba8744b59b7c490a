"""Language identification for kk / ru / en ('und' otherwise), with no downloaded model.

The Kazakh-only letters decide almost every Cyrillic text. The rest (short Kazakh sentences
without them, «Бюджет орындалды.») go to a small character-trigram naive Bayes model shipped
in models/lang_cyr.json (retrain: python -m summarizer.train_language). Latin text is English
when English function words are frequent and Kazakh when Kazakh Latin letters, q-words or
Kazakh function words are.
"""

from __future__ import annotations

import json
import math
import operator
import re
from functools import cache, reduce
from pathlib import Path

from .memo import Memo
from .normalize import KK_STRONG, KK_WEAK

MODEL_PATH = Path(__file__).with_name("models") / "lang_cyr.json"

# Letters of other Cyrillic languages (Ukrainian, Belarusian, Serbian, Tatar, Uzbek, ...).
_OTHER_CYR = frozenset("їєґўђјљњћџѓќѕҗҙҫҡҷҳӣӯӑӓӧӱӝӟӵҥӊ")
_KK_LATIN_ONLY = frozenset("áǵńóúýıū")
_KK_LATIN_2021 = frozenset("äğñöüş")

_EN_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "a",
        "that",
        "for",
        "on",
        "with",
        "as",
        "was",
        "by",
        "at",
        "it",
        "from",
        "be",
        "are",
        "has",
        "have",
        "had",
        "said",
        "will",
        "this",
        "an",
        "or",
        "not",
        "his",
        "her",
        "its",
        "their",
        "were",
        "been",
        "which",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "would",
        "there",
        "after",
        "who",
        "what",
        "when",
        "more",
        "than",
        "about",
        "also",
        "but",
        "new",
        "can",
        "one",
        "all",
        "into",
        "up",
    ]
)
_KK_LATIN_WORDS = frozenset(
    [
        "men",
        "jáne",
        "jäne",
        "bul",
        "būl",
        "dep",
        "úshin",
        "üşin",
        "boıynsha",
        "boiynşa",
        "osy",
        "bar",
        "joq",
        "emes",
        "degen",
        "dedi",
        "qazaqstan",
        "qazaqstannyń",
        "qazaqstannyñ",
        "memleket",
        "memlekettik",
        "úkimet",
        "ükimet",
        "májilis",
        "mäjilis",
        "prezıdent",
        "prezident",
        "ol",
        "olar",
        "biz",
        "sol",
        "da",
        "de",
        "ta",
        "te",
        "ǵana",
        "ğana",
        "kerek",
        "qajet",
        "bolyp",
        "boldy",
        "bolady",
        "edi",
        "turaly",
        "arqyly",
        "sońǵy",
        "soñğy",
        "jyly",
        "jyl",
        "respýblıka",
        "respublika",
        "basshysy",
    ]
)
_KK_LATIN_SUFFIX = re.compile(
    r"(?:nyń|niń|dyń|diń|tyń|tiń|nyñ|niñ|dyñ|diñ|tyñ|tiñ|ǵa|ğa|qa|ny|ni|dy|di|ty|ti|"
    r"dan|den|tan|ten|nan|nen|lar|ler|dar|der|tar|ter|daǵy|dağy|degi|taǵy|tağy|tegi|"
    r"ǵy|ğy|qy|ylyq|lyq|lik)$"
)
# Function words of other Latin-script languages, so that they come out 'und', not 'en'.
_OTHER_LATIN_LINES = (
    "ve için ile olarak bir bu çok daha gibi değil ise veya",  # Turkish
    "le la les des du une et est dans pour que qui sur pas",  # French
    "der die das und ist nicht ein eine mit auf für von zu",  # German
    "el los las del y en por para con una es se lo",  # Spanish
    "il di che non per una sono della",  # Italian
)
_OTHER_LATIN_WORDS = frozenset(w for line in _OTHER_LATIN_LINES for w in line.split())
_LETTERS = re.compile(r"[^\W\d_]+")


@cache
def _model() -> dict[str, dict[str, float]]:
    with MODEL_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


def trigrams(text: str) -> list[str]:
    """Padded character trigrams of each lower-cased word (the naive Bayes features)."""
    grams: list[str] = []
    for word in _LETTERS.findall(text.lower()):
        padded = f" {word} "
        grams.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def _word_score(word: str) -> float:
    model = _model()
    kk, ru = model["kk"], model["ru"]
    kk_unk, ru_unk = model["_unk"]["kk"], model["_unk"]["ru"]
    return sum(kk.get(gram, kk_unk) - ru.get(gram, ru_unk) for gram in trigrams(word))


# word -> its summed kk-minus-ru trigram log-odds. News vocabulary repeats, so scoring each
# distinct word once makes the model nearly free; the sum over a text is unchanged.
_WORD_SCORES: Memo[str, float] = Memo(_word_score, 200_000)


def _cyrillic_kk_or_ru(words: list[str]) -> str:
    # A hundred words settle it; reading a whole article only costs time. reduce, not sum():
    # the same additions in the same order (sum() may add floats otherwise in later Pythons).
    score = reduce(operator.add, map(_WORD_SCORES.__getitem__, words[:100]), 0.0)
    return "kk" if score > 0 else "ru"


def _char_class(chars: frozenset[str]) -> str:
    return "[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"


_ANY_MARKED = KK_STRONG | KK_WEAK | _OTHER_CYR | frozenset(ch.upper() for ch in _OTHER_CYR)
# _cyrillic reads its words joined by newlines (no word holds one), so that one regex scan
# finds or counts the words with a letter of a kind: a set operation per word (or per letter,
# for _ANY_MARKED) cost more than the rest of language ID. «[x][^\n]*» matches once per word
# that has an x: from its first x to the word's end.
_ANY_MARKED_RE = re.compile(_char_class(_ANY_MARKED))
_STRONG_WORD_RE = re.compile(_char_class(KK_STRONG) + "[^\n]*")
_WEAK_WORD_RE = re.compile(_char_class(KK_WEAK) + "[^\n]*")
_OTHER_WORD_RE = re.compile(_char_class(_OTHER_CYR) + "[^\n]*")
_PLAIN_WORD_RE = re.compile("^[^\n" + _char_class(KK_STRONG | KK_WEAK)[1:-1] + "]+$", re.MULTILINE)


def _cyrillic(words: list[str]) -> str:
    lines = "\n".join(words)
    if _ANY_MARKED_RE.search(lines) is None:
        return _cyrillic_kk_or_ru(words)  # no marked letter at all: the usual Russian
    n = len(words)
    strong = len(_STRONG_WORD_RE.findall(lines))
    weak = len(_WEAK_WORD_RE.findall(lines))
    # Lower-casing the joined words lower-cases each word alike: a newline is neither cased
    # nor case-ignorable, so no word's casing context reaches into the next.
    other = len(_OTHER_WORD_RE.findall(lines.lower()))
    if other and other >= strong:
        return "und"
    if strong and (strong / n >= 0.2 or n <= 4):
        return "kk"
    if strong:
        # A Russian text quoting Kazakh names («акция "Таза Қазақстан"») stays Russian: the
        # words without Kazakh letters decide.
        plain = _PLAIN_WORD_RE.findall(lines)
        return _cyrillic_kk_or_ru(plain) if plain else "kk"
    if weak and weak / n >= 0.15:
        # ң ө ү alone: Kazakh or a neighbour (Kyrgyz, Tatar); never Russian.
        return "kk"
    return _cyrillic_kk_or_ru(words)


def kazakh_latin_score(words: list[str]) -> float:
    """Share of words that look like Kazakh in Latin script."""
    if not words:
        return 0.0
    hits = 0
    for word in words:
        low = word.lower()
        if (
            _KK_LATIN_ONLY.intersection(low)
            or low in _KK_LATIN_WORDS
            or ("q" in low and "qu" not in low)
            or (_KK_LATIN_2021.intersection(low) and _KK_LATIN_SUFFIX.search(low))
            or (len(low) > 4 and _KK_LATIN_SUFFIX.search(low) and "w" not in low)
        ):
            hits += 1
    return hits / len(words)


def _latin(words: list[str]) -> str:
    lows = [w.lower() for w in words]
    n = len(lows)
    en = sum(1 for w in lows if w in _EN_WORDS) / n
    tr = sum(1 for w in lows if w in _OTHER_LATIN_WORDS) / n
    kk = kazakh_latin_score(words)
    if tr > 0.05 and tr >= en:
        return "und"
    if en >= 0.08 and en >= kk:
        return "en"
    if kk >= 0.2 or (n <= 3 and kk > 0):
        return "kk"
    return "und"


def detect_language(text: str) -> str:
    """'kk', 'ru', 'en' or 'und'. Kazakh written in Latin script is 'kk'."""
    if not isinstance(text, str):
        return "und"
    words = _LETTERS.findall(text[:2000])
    cyr: list[str] = []
    lat: list[str] = []
    for word in words:
        first = word[0]
        if "\u0400" <= first <= "\u04ff":
            cyr.append(word)
        elif first.isascii() or "\u00c0" <= first <= "\u024f":
            lat.append(word)
    if not cyr and not lat:
        return "und"
    # Letters, not words, decide the script: «S & P Global» inside a Kazakh sentence.
    n_cyr = sum(map(len, cyr))
    n_lat = sum(map(len, lat))
    n_other = sum(map(len, words)) - n_cyr - n_lat
    if n_cyr >= n_lat and n_cyr >= n_other:
        return _cyrillic(cyr)
    if n_lat > n_other:
        return _latin(lat)
    return "und"


# Runs, not single letters: counting letters as the lengths of runs makes a string per word
# rather than one per letter.
_CYR_RUN = re.compile("[\u0400-\u04ff]+")
# Latin letters: ASCII ones and the letters of U+00C0–U+024F (all but × and ÷).
_LAT_RUN = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")


def is_latin_script(text: str) -> bool:
    """True when Latin letters outnumber Cyrillic ones (then Kazakh needs transliterating)."""
    head = text[:4000]
    latin = sum(map(len, _LAT_RUN.findall(head)))
    return latin > 0 and latin > sum(map(len, _CYR_RUN.findall(head)))


def log_prob_table(counts: dict[str, int], vocab: int) -> tuple[dict[str, float], float]:
    """Laplace-smoothed log probabilities (shared by the trainer)."""
    total = sum(counts.values()) + vocab
    table = {g: round(math.log((c + 1) / total), 3) for g, c in counts.items()}
    return table, round(math.log(1 / total), 3)
