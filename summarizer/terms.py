"""Index terms: normalised stems without stop words, the unit of search, dedupe and features."""

from __future__ import annotations

from functools import cache, lru_cache, partial
from pathlib import Path

from .language import detect_language, is_latin_script
from .memo import Memo
from .normalize import norm_word, words
from .stem import stem_word
from .translit import to_cyrillic

STOPWORDS_DIR = Path(__file__).with_name("stopwords")


@cache
def stopwords(lang: str) -> frozenset[str]:
    """The shipped stop-word list for 'kk' or 'ru' (both for anything else: mixed news text)."""
    if lang not in ("kk", "ru"):
        return stopwords("kk") | stopwords("ru")
    text = (STOPWORDS_DIR / f"{lang}.txt").read_text(encoding="utf-8")
    return frozenset(
        norm_word(line.strip()) for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def prepare(text: str, lang: str | None) -> tuple[str, str]:
    """(language, text to analyse): Latin-script Kazakh is transliterated to Cyrillic here."""
    lang = lang or detect_language(text)
    if lang == "kk" and is_latin_script(text):
        text = to_cyrillic(text)
    return lang, text


_TERM_CACHE_MAX = 300_000


def _compute_term(word: str, lang: str) -> str:
    low = norm_word(word)
    stops = stopwords(lang)
    if low in stops or (len(low) < 2 and not low.isdigit()):
        return ""
    stem = stem_word(low, lang)
    return "" if stem in stops else stem


@cache
def term_cache(lang: str) -> Memo[str, str]:
    """word -> term(word, lang) ("" for a stop word), memoised per language: news vocabulary
    repeats, and this is the innermost loop of every per-article step. Hot loops read it
    directly."""
    return Memo(partial(_compute_term, lang=lang), _TERM_CACHE_MAX)


def term(word: str, lang: str) -> str:
    """The index term of one token, or "" for a stop word or a lone letter."""
    return term_cache(lang)[word]


def terms_of(text: str, lang: str) -> list[str]:
    """Stems of an already prepared text."""
    return list(filter(None, map(term_cache(lang).__getitem__, words(text))))


LEAD_CHARS = 1500  # the part of a body the politics model reads (see lead_cut)


def lead_cut(text: str, limit: int = LEAD_CHARS) -> int:
    """Where the lead of a body ends: len(text) for a short text, else the last space or
    newline before `limit` (so no word is cut), else `limit`."""
    if len(text) <= limit:
        return len(text)
    cut = max(text.rfind(" ", 0, limit), text.rfind("\n", 0, limit))
    return cut if cut > 0 else limit


@lru_cache(maxsize=32)
def cached_terms(text: str, lang: str) -> tuple[str, ...]:
    """terms_of(text, lang), remembered for the last few texts: the ingest pipeline asks for
    an article's title and lead twice (politics_score, then index_terms). Small on purpose: it
    shares work within one article, it is not a cache of whole articles."""
    return tuple(terms_of(text, lang))


def index_terms(text: str, lang: str | None = None) -> list[str]:
    """Normalised stems in document order (repeats kept, so callers can count them)."""
    if not isinstance(text, str) or not text:
        return []
    lang, prepared = prepare(text, lang)
    # Tokens never span a newline or a space, so the terms of «title\nlead rest» are the terms
    # of the title, of the lead and of the rest, joined; the first two are usually cached.
    head, sep, body = prepared.partition("\n")
    if not sep:
        return list(cached_terms(prepared, lang))
    cut = lead_cut(body)
    if cut < len(body) and not body[cut].isspace():
        return [*cached_terms(head, lang), *cached_terms(body, lang)]
    return [*cached_terms(head, lang), *cached_terms(body[:cut], lang), *terms_of(body[cut:], lang)]
