"""How a search runs inside Redis: one pipeline of sorted-set operations over the query
words' posting lists and the filters, its temporary keys deleted at the end.

Redis builds every ZUNIONSTORE/ZINTERSTORE result element by element (about a
microsecond each; a word in a third of 100,000 articles has tens of thousands of
postings), so each plan builds as little as the answer needs: a word's forms are never
unioned before intersecting with the other words, filters narrow lists before unions,
and one very common word is first answered from the top of its lists (`bounded`).
"""

from __future__ import annotations

import itertools
import math
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from bot import keys

# `since:2026-11-01` means from midnight in Kazakhstan, where the news happens.
SINCE_ZONE = ZoneInfo("Asia/Almaty")
SLICE = 1000  # postings taken from the top of a long list before its whole length
COUNT_LIMIT = 100  # a bounded search says "100+" rather than counting every match
BOUNDED_FROM = 4  # slices are tried when a word's lists hold this many slices or more
MAX_FORM_COMBINATIONS = 8  # one intersection per choice of form for each word


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    score: float


@dataclass(frozen=True)
class WordLists:
    """One query word: the posting keys of its forms that exist, their lengths, the weight
    at which each would be cut to its top slice (0: not cut), and its document frequency."""

    keys: tuple[str, ...]
    sizes: tuple[int, ...]
    cut_weights: tuple[float, ...]
    document_frequency: int


@dataclass(frozen=True)
class Search:
    """What to evaluate: the words, the filter specs (`source:a,b`, a language key,
    `since:YYYY-MM-DD`), and whether every word must match."""

    words: list[WordLists]
    filters: list[str]
    total_docs: int
    match_all: bool

    def idf(self, word: WordLists) -> float:
        return idf(word.document_frequency, self.total_docs)

    @property
    def since(self) -> str | None:
        return next((spec for spec in self.filters if _is_since(spec)), None)

    @property
    def narrowing(self) -> list[str]:
        """The source and language filters (since: is cut from the matches instead)."""
        return [spec for spec in self.filters if not _is_since(spec)]


@dataclass(frozen=True)
class Ranked:
    total: int
    hits: list[SearchHit]
    exact: bool = True  # False: at least `total` match, not counted further


async def whole(redis: Redis, search: Search, offset: int, limit: int) -> Ranked:
    """The page from the whole posting lists: exact, and as slow as they are long."""
    # One round trip, not a transaction: the temporary keys have names of their own and
    # are deleted at the end, so nothing needs MULTI. (redis-py's async Cluster client
    # cannot queue ZINTERSTORE or ZUNIONSTORE in a transaction at all: it looks their
    # keys up over a connection of another event loop.)
    async with redis.pipeline(transaction=False) as pipe:
        plan = Plan(pipe)
        forms = math.prod(len(word.keys) for word in search.words)
        if search.words and search.match_all and forms <= MAX_FORM_COMBINATIONS:
            result = plan.every_word(search)
        elif search.words and not search.match_all and search.narrowing:
            result = plan.any_word_narrowed(search)
        else:
            result = plan.each_word_united(search)
        total, rows = await plan.page(result, offset, limit)
    return Ranked(total, rows)


async def bounded(
    redis: Redis,
    search: Search,
    offset: int,
    limit: int,
    *,
    slice_size: int = SLICE,
    count_limit: int = COUNT_LIMIT,
) -> Ranked | None:
    """The page computed from the top `slice_size` postings of each long list only, or
    None when those cannot prove it right. Fagin's threshold algorithm: an article outside
    every slice scores at most T, the word's IDF × the highest weight left out of its
    slices, so the candidates (every article in some slice, scored in full against every
    list) that score above T are the true best. The page stands when its
    last hit is above T and at least `count_limit` candidates match, which the reply shows
    as "100+": counting every match is what this avoids. Tried for one word only: with
    several words, the candidates seldom prove the page (bench/search.py), and a failed
    try costs its time on top of the whole evaluation."""
    if len(search.words) != 1 or offset + limit > slice_size:
        return None
    word = search.words[0]
    if not any(word.cut_weights):
        return None
    if len(word.keys) == 1 and not search.filters:
        return None  # the whole list is the answer as it stands: nothing to build
    if sum(word.sizes) < BOUNDED_FROM * slice_size:
        return None  # building the whole match costs less than trying the slices
    threshold = search.idf(word) * max(word.cut_weights)
    async with redis.pipeline(transaction=False) as pipe:
        plan = Plan(pipe)
        slices: list[str] = []
        for key, cut in zip(word.keys, word.cut_weights, strict=True):
            if cut:
                slices.append(plan.temp())
                pipe.zrangestore(slices[-1], key, 0, slice_size - 1, desc=True)
            else:
                slices.append(key)
        candidates = plan.temp()
        pipe.zunionstore(candidates, dict.fromkeys(slices, 0.0))
        # Each candidate's full score: the ZINTERSTOREs walk the candidates, not the long
        # lists, and build sets no larger than the candidates.
        scored = plan.best_form(
            [plan.intersect({candidates: 0.0, key: search.idf(word)}) for key in word.keys]
        )
        result = plan.combined({scored: 1.0}, search)
        matched, rows = await plan.page(result, offset, limit)
    proven = len(rows) == limit and rows[-1].score > threshold
    if not proven or matched < count_limit:
        return None
    return Ranked(total=count_limit, hits=rows, exact=False)


class Plan:
    """Set operations queued on one pipeline; the temporary keys they create are deleted
    when the page is read."""

    def __init__(self, pipe: Pipeline) -> None:
        self.pipe = pipe
        self._temps: list[str] = []

    def temp(self) -> str:
        self._temps.append(keys.search_temp(secrets.token_hex(8)))
        return self._temps[-1]

    def intersect(self, weights: dict[str, float]) -> str:
        result = self.temp()
        self.pipe.zinterstore(result, weights)
        return result

    def best_form(self, parts: list[str]) -> str:
        """Each article's best-scoring form of a word (MAX over the forms' sets)."""
        if len(parts) == 1:
            return parts[0]
        union = self.temp()
        self.pipe.zunionstore(union, parts, aggregate="MAX")
        return union

    async def page(self, result: str, offset: int, limit: int) -> tuple[int, list[SearchHit]]:
        self.pipe.zcard(result)
        self.pipe.zrevrange(result, offset, offset + limit - 1, withscores=True)
        if self._temps:
            self.pipe.delete(*self._temps)
        replies = await self.pipe.execute()
        total, rows = replies[-2:] if not self._temps else replies[-3:-1]
        return int(total), [SearchHit(article_id=a, score=float(s)) for a, s in rows]

    def every_word(self, search: Search) -> str:
        """Articles with every word, the union of each word's forms never built: (A1 ∪ A2)
        ∩ B is (A1 ∩ B) ∪ (A2 ∩ B), and each ZINTERSTORE walks its shortest list and builds
        only what matches, where the union of a common word's forms would build tens of
        thousands of entries first. Taking each article's best form per word (MAX) gives
        the same score as uniting the forms first."""
        narrowing = [self.filter_key(spec) for spec in search.narrowing]
        idfs = [search.idf(word) for word in search.words]
        parts: list[str] = []
        for combination in itertools.product(*(word.keys for word in search.words)):
            weights: dict[str, float] = {}
            for key, word_idf in zip(combination, idfs, strict=True):
                weights[key] = weights.get(key, 0.0) + word_idf
            if len(weights) == 1 and not narrowing:
                parts.append(next(iter(weights)))
            else:
                parts.append(self.intersect(weights | dict.fromkeys(narrowing, 0.0)))
        return self.since_cut(self.best_form(parts), search)

    def any_word_narrowed(self, search: Search) -> str:
        """Articles with any word, within a source or language: each form's list is
        narrowed first, so only the matches in that source or language are ever built."""
        narrowing = {self.filter_key(spec): 0.0 for spec in search.narrowing}
        scored = [
            self.best_form(
                [self.intersect({key: search.idf(word), **narrowing}) for key in word.keys]
            )
            for word in search.words
        ]
        result = scored[0]
        if len(scored) > 1:
            result = self.temp()
            self.pipe.zunionstore(result, scored)
        return self.since_cut(result, search)

    def each_word_united(self, search: Search) -> str:
        """Each word's forms united, then combined: what is left when neither of the
        above applies (many form combinations, an any-word match without filters, or
        filters alone, newest first)."""
        weighted: dict[str, float] = {}
        for word in search.words:
            key = self.best_form(list(word.keys))
            weighted[key] = weighted.get(key, 0.0) + search.idf(word)
        if not weighted:
            weighted[keys.search_docs()] = 1.0
        return self.combined(weighted, search)

    def combined(self, scored: dict[str, float], search: Search) -> str:
        """The words' scores combined (every word, or any) and filtered."""
        weighted = dict(scored)
        if not search.match_all and len(weighted) > 1:
            union = self.temp()
            self.pipe.zunionstore(union, weighted)
            weighted = {union: 1.0}
        for spec in search.narrowing:
            weighted[self.filter_key(spec)] = 0.0
        result = next(iter(weighted)) if len(weighted) == 1 else self.intersect(weighted)
        return self.since_cut(result, search)

    def filter_key(self, spec: str) -> str:
        if spec.startswith("source:"):
            slugs = spec.removeprefix("source:").split(",")
            if len(slugs) == 1:
                return keys.search_source(slugs[0])
            union = self.temp()
            self.pipe.zunionstore(union, [keys.search_source(s) for s in slugs])
            return union
        return spec

    def since_cut(self, matches: str, search: Search) -> str:
        """The matches published since the day, scores kept. Cut from the matches rather
        than intersected with every article since the day, which cost as much as the index
        is large (the slowest searches in bench/search.py)."""
        spec = search.since
        if spec is None:
            return matches
        day = date.fromisoformat(spec.removeprefix("since:"))
        start = datetime.combine(day, time(), tzinfo=SINCE_ZONE).timestamp()
        # Each match scored by its publication time, the older ones dropped…
        dated = self.intersect({matches: 0.0, keys.search_docs(): 1.0})
        self.pipe.zremrangebyscore(dated, "-inf", f"({start}")
        # …then the survivors with their search scores back.
        return self.intersect({matches: 1.0, dated: 0.0})


def idf(document_frequency: int, total_docs: int) -> float:
    return math.log(1 + (total_docs - document_frequency + 0.5) / (document_frequency + 0.5))


def _is_since(spec: str) -> bool:
    return spec.startswith("since:")
