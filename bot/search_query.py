"""What a reader typed, turned into a search: words with their index-term variants,
quoted phrases and filters. Pure: no Redis, no Telegram."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

import summarizer

MAX_QUERY_CHARS = 300
LANGUAGE_FILTERS = ("kk", "ru", "en")
MIN_RESTEM_LETTERS = 4

_FILTER = re.compile(r"(?<!\S)(source|lang|since):(\S*)", re.IGNORECASE)
_PHRASE = re.compile(r"\"([^\"]+)\"|«([^»]+)»|“([^”]+)”|„([^“”]+)[“”]")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%Y.%m.%d")


class QueryProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    STOP_WORDS = "stop_words"
    BAD_FILTER = "bad_filter"


class QueryError(ValueError):
    def __init__(self, problem: QueryProblem, detail: str = "") -> None:
        super().__init__(f"{problem}: {detail}" if detail else str(problem))
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class QueryWord:
    surface: str
    # Index terms this word may have become in a stored article: the article's language
    # decided its stemmer, and the query does not know that language.
    variants: tuple[str, ...]


@dataclass(frozen=True)
class SearchQuery:
    text: str
    words: tuple[QueryWord, ...] = ()
    phrases: tuple[tuple[QueryWord, ...], ...] = ()
    source: str | None = None
    language: str | None = None
    since: date | None = None
    dropped: tuple[str, ...] = field(default=(), compare=False)  # stop words

    @property
    def filtered(self) -> bool:
        return bool(self.source or self.language or self.since)

    def terms(self) -> set[str]:
        return {term for word in self.words for term in word.variants}


def parse_query(raw: str) -> SearchQuery:
    """Raise QueryError for an empty, over-long or stop-words-only query or a bad filter."""
    text = " ".join(raw.split())
    if not text:
        raise QueryError(QueryProblem.EMPTY)
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(QueryProblem.TOO_LONG, str(len(text)))
    source, language, since = None, None, None
    for name, value in _FILTER.findall(text):
        name = name.lower()
        if not value:
            raise QueryError(QueryProblem.BAD_FILTER, f"{name}:")
        if name == "source":
            source = value.lower()
        elif name == "lang":
            language = value.lower()
            if language not in LANGUAGE_FILTERS:
                raise QueryError(QueryProblem.BAD_FILTER, f"lang:{value}")
        else:
            since = _parse_date(value)
    rest = _FILTER.sub(" ", text)
    phrases: list[tuple[QueryWord, ...]] = []
    for match in _PHRASE.finditer(rest):
        phrase_text = next(group for group in match.groups() if group)
        phrase = tuple(w for w in map(query_word, _WORD.findall(phrase_text)) if w.variants)
        if len(phrase) > 1:
            phrases.append(phrase)
    surfaces = _WORD.findall(_PHRASE.sub(lambda m: " " + m.group(0)[1:-1] + " ", rest))
    words: list[QueryWord] = []
    dropped: list[str] = []
    for surface in surfaces:
        word = query_word(surface)
        if not word.variants:
            dropped.append(surface)
        elif word.variants not in {w.variants for w in words}:
            words.append(word)
    if not words and dropped:
        raise QueryError(QueryProblem.STOP_WORDS, " ".join(dropped))
    if not words and not (source or language or since):
        raise QueryError(QueryProblem.EMPTY)
    return SearchQuery(
        text=text,
        words=tuple(words),
        phrases=tuple(phrases),
        source=source,
        language=language,
        since=since,
        dropped=tuple(dropped),
    )


def query_word(surface: str) -> QueryWord:
    """The index terms a typed word can match, under each stemmer an article may have used."""
    if _CYRILLIC.search(surface):
        languages: tuple[str, ...] = ("kk", "ru")
    else:
        # Latin script: Kazakh in the Latin alphabet (transliterated by index_terms) or English.
        languages = (summarizer.detect_language(surface), "en")
    variants: list[str] = []
    for language in languages:
        terms = summarizer.index_terms(surface, language)
        if not terms:
            # A stop word in either language («және», «на») would match half the index.
            return QueryWord(surface=surface, variants=())
        if language == "ru":
            # Snowball is not idempotent on names: «Казахстан» → казахста but «Казахстане» →
            # казахстан. Stemming the stem again reaches the form the other cases produce.
            # Below four letters a second pass over-stems («Токаев» → тока → ток).
            terms += [
                again
                for term in terms
                for again in summarizer.index_terms(term, "ru")
                if len(again) >= MIN_RESTEM_LETTERS
            ]
        for term in terms:
            if term not in variants:
                variants.append(term)
    return QueryWord(surface=surface, variants=tuple(variants))


def _parse_date(value: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise QueryError(QueryProblem.BAD_FILTER, f"since:{value}")
