"""Keyword search over stored articles: a BM25 inverted index kept in Redis.

Each index term has a sorted set of article ids scored by the term's BM25 weight in that
article (term frequency already saturated and length-normalized when indexed), so a query
is one ZINTERSTORE (every word must match) weighted by each word's IDF, run inside Redis.
When no article has every word, the words are OR-ed instead (ZUNIONSTORE). Length
normalization uses a fixed average length measured on real news (a running average would
give two identical articles indexed at different times different weights, and would need
a rebuild to stay exact). A tiny recency term in every weight breaks ties in favour of
newer articles without reordering different BM25 scores.

A word in a third of all articles has a posting list of tens of thousands, and Redis
builds every ZUNIONSTORE/ZINTERSTORE result element by element (about a microsecond
each), so such searches first try the top of each long list only (see `_bounded`).
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

import summarizer
from bot import keys
from bot.articles import Article, ArticleStore
from bot.search_query import QueryWord, SearchQuery

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 3  # a title word counts as three body words
MAX_TERMS_PER_DOC = 400  # the most frequent distinct terms; the long tail adds memory, not hits
# Mean weighted length of 200 Tengrinews articles (238 terms); `search:stats` tracks ours.
AVERAGE_LENGTH = 240.0
# `since:2026-11-01` means from midnight in Kazakhstan, where the news happens.
SINCE_ZONE = ZoneInfo("Asia/Almaty")
PHRASE_CANDIDATES = 200  # best AND-matches checked for a quoted phrase
COMMON_SHARE = 0.05  # a word in more of the articles than this is left out of OR matches
SLICE = 1000  # postings taken from the top of a long list before its whole length
COUNT_LIMIT = 100  # a bounded search says "100+" rather than counting every match
BOUNDED_FROM = 4  # slices are tried when a word's lists hold this many slices or more
MAX_FORM_COMBINATIONS = 8  # one intersection per choice of form for each word
_RECENCY_EPOCH = datetime(2020, 1, 1, tzinfo=UTC).timestamp()
_RECENCY_PER_DAY = 1e-7  # far below any BM25 difference, so it only breaks ties
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_SLUG = re.compile(r"[^0-9a-zа-яёәғқңөұүһі]+")


# One script call per article instead of a command per term: the client-side cost of
# hundreds of commands dominated indexing. Every key is passed in KEYS and carries the
# {search} hash tag, so the script stays in one Cluster slot.
# KEYS: doc record, dictionary, forms, docs, expiry, source, sources, language, stats,
# then one posting list per term. The doc record has no TTL of its own: it is what `prune`
# reads to unindex, so it must outlive the article (an expiry derived from the fetch time
# lapsed first for back-filled articles and leaked their postings).
# ARGV: id, record, published, expire_at, source slug, length, n, n terms, n weights,
# then (term, form) pairs.
_ADD = """
if not redis.call('SET', KEYS[1], ARGV[2], 'NX') then return 0 end
local id, n = ARGV[1], tonumber(ARGV[7])
for i = 1, n do
  redis.call('ZADD', KEYS[9 + i], ARGV[7 + n + i], id)
  redis.call('ZADD', KEYS[2], 0, ARGV[7 + i])
end
for i = 8 + 2 * n, #ARGV, 2 do
  redis.call('HSETNX', KEYS[3], ARGV[i], ARGV[i + 1])
end
redis.call('ZADD', KEYS[4], ARGV[3], id)
redis.call('ZADD', KEYS[5], ARGV[4], id)
redis.call('ZADD', KEYS[6], 0, id)
redis.call('SADD', KEYS[7], ARGV[5])
redis.call('ZADD', KEYS[8], 0, id)
redis.call('HINCRBY', KEYS[9], 'docs', 1)
redis.call('HINCRBY', KEYS[9], 'length', ARGV[6])
return 1
"""
# KEYS: doc record, dictionary, forms, docs, expiry, source, language, stats, then the
# term posting lists. ARGV: id, length, then the terms. A term no article has any more
# leaves the dictionary, so suggestions only offer words that find something.
_REMOVE = """
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
local id = ARGV[1]
for i = 9, #KEYS do
  redis.call('ZREM', KEYS[i], id)
  if redis.call('EXISTS', KEYS[i]) == 0 then
    redis.call('ZREM', KEYS[2], ARGV[i - 6])
    redis.call('HDEL', KEYS[3], ARGV[i - 6])
  end
end
redis.call('ZREM', KEYS[4], id)
redis.call('ZREM', KEYS[5], id)
redis.call('ZREM', KEYS[6], id)
redis.call('ZREM', KEYS[7], id)
redis.call('HINCRBY', KEYS[8], 'docs', -1)
redis.call('HINCRBY', KEYS[8], 'length', -tonumber(ARGV[2]))
return 1
"""


def source_slug(source: str) -> str:
    """`Egemen Qazaqstan` → `egemenqazaqstan`: what `source:` filters compare."""
    return _SLUG.sub("", source.lower())


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    score: float


@dataclass
class SearchPage:
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    match_all: bool = True  # False: no article had every word, these have some
    total_exact: bool = True  # False: at least `total` match, not counted further
    unknown_words: tuple[str, ...] = ()
    unknown_source: bool = False


@dataclass(frozen=True)
class _Group:
    """One query word: the posting keys of its variants that exist, their lengths, the
    weight at which each would be cut to its top `slice` (0: not cut), and its IDF."""

    keys: tuple[str, ...]
    sizes: tuple[int, ...]
    cut_weights: tuple[float, ...]
    document_frequency: int


@dataclass(frozen=True)
class _Ranked:
    total: int
    hits: list[SearchHit]
    exact: bool = True


class SearchIndex:
    def __init__(
        self,
        redis: Redis,
        articles: ArticleStore,
        *,
        slice_size: int = SLICE,
        count_limit: int = COUNT_LIMIT,
    ) -> None:
        self._redis = redis
        self._articles = articles
        self._slice = slice_size
        self._count_limit = count_limit
        self._add = redis.register_script(_ADD)
        self._remove = redis.register_script(_REMOVE)

    # --- indexing ---------------------------------------------------------------------
    async def add(self, article: Article) -> bool:
        """Index a stored article once; False when it was indexed already or has no terms."""
        terms = article.terms or summarizer.index_terms(
            f"{article.title}\n{article.lead}\n{article.body}", article.language
        )
        counts = Counter(terms)
        for term in summarizer.index_terms(article.title, article.language):
            counts[term] += TITLE_WEIGHT - 1
        if not counts:
            return False
        length = sum(counts.values())
        slug = source_slug(article.source)
        expire_at = article.fetched + (
            keys.ARTICLE_TTL if article.is_politics else keys.NON_POLITICS_ARTICLE_TTL
        )
        top = counts.most_common(MAX_TERMS_PER_DOC)
        record = "\t".join((slug, article.language, str(length), " ".join(t for t, _ in top)))
        norm = K1 * (1 - B + B * length / AVERAGE_LENGTH)
        recency = _recency(article.published)
        forms = _title_forms(article.title, article.language)
        weights = [f"{tf * (K1 + 1) / (tf + norm) + recency:.9g}" for _, tf in top]
        claimed = await self._add(
            keys=[
                keys.search_doc_terms(article.id),
                keys.search_dictionary(),
                keys.search_forms(),
                keys.search_docs(),
                keys.search_expiry(),
                keys.search_source(slug),
                keys.search_sources(),
                keys.search_language(article.language),
                keys.search_stats(),
                *(keys.search_postings(term) for term, _ in top),
            ],
            args=[
                article.id,
                record,
                article.published.timestamp(),
                expire_at.timestamp(),
                slug,
                length,
                len(top),
                *(term for term, _ in top),
                *weights,
                *(value for pair in forms.items() for value in pair),
            ],
        )
        return bool(claimed)

    async def remove(self, article_id: str) -> bool:
        record = await self._redis.get(keys.search_doc_terms(article_id))
        if record is None:
            await self._redis.zrem(keys.search_expiry(), article_id)
            return False
        slug, language, length, joined = record.split("\t", 3)
        terms = joined.split()
        removed = await self._remove(
            keys=[
                keys.search_doc_terms(article_id),
                keys.search_dictionary(),
                keys.search_forms(),
                keys.search_docs(),
                keys.search_expiry(),
                keys.search_source(slug),
                keys.search_language(language),
                keys.search_stats(),
                *(keys.search_postings(term) for term in terms),
            ],
            args=[article_id, length, *terms],
        )
        return bool(removed)

    async def prune(self, now: datetime, batch: int = 500) -> int:
        """Unindex articles past their retention; returns how many."""
        expired = await self._redis.zrangebyscore(
            keys.search_expiry(), "-inf", now.timestamp(), start=0, num=batch
        )
        for article_id in expired:
            await self.remove(article_id)
        return len(expired)

    async def count(self) -> int:
        return int(await self._redis.zcard(keys.search_docs()))

    # --- querying ---------------------------------------------------------------------
    async def search(self, query: SearchQuery, offset: int = 0, limit: int = 5) -> SearchPage:
        groups, unknown, total_docs = await self._groups(query)
        filters, unknown_source = await self._filter_keys(query)
        if unknown_source:
            return SearchPage(total=0, unknown_words=unknown, unknown_source=True)
        match_all = not unknown
        if query.words and not groups:
            return SearchPage(total=0, unknown_words=unknown)
        if query.phrases and not match_all:
            return SearchPage(total=0, unknown_words=unknown)
        if query.phrases:
            ids = await self._ranked(groups, filters, total_docs, True, 0, PHRASE_CANDIDATES)
            hits = await self._with_phrases(query, ids.hits)
            return SearchPage(total=len(hits), hits=hits[offset : offset + limit])
        ranked = groups if match_all else _informative(groups, total_docs)
        found = await self._best(ranked, filters, total_docs, match_all, offset, limit)
        if found.total == 0 and match_all and len(groups) > 1:
            match_all = False
            ranked = _informative(groups, total_docs)
            found = await self._best(ranked, filters, total_docs, False, offset, limit)
        return SearchPage(
            total=found.total,
            hits=found.hits,
            match_all=match_all,
            total_exact=found.exact,
            unknown_words=unknown,
        )

    async def suggestions(self, query: SearchQuery, limit: int = 5) -> list[str]:
        """Known words close to the query's (edit distance), for a search with no results."""
        found: list[str] = []
        for word in query.words:
            for variant in word.variants:
                prefix = variant[:2]
                candidates = await self._redis.zrangebylex(
                    keys.search_dictionary(), f"[{prefix}", f"[{prefix}\uffff", start=0, num=5000
                )
                close = difflib.get_close_matches(variant, candidates, n=3, cutoff=0.75)
                close = [c for c in close if c not in word.variants]
                if close:
                    forms = await self._redis.hmget(keys.search_forms(), close)
                    found.extend(form or term for term, form in zip(close, forms, strict=True))
        unique = list(dict.fromkeys(found))
        return unique[:limit]

    async def nearest_dates(self, query: SearchQuery, limit: int = 3) -> list[date]:
        """Publication dates of matches outside the `since:` window, nearest first."""
        if query.since is None:
            return []
        page = await self.search(replace(query, since=None), 0, 50)
        if not page.hits:
            return []
        ids = [hit.article_id for hit in page.hits]
        stamps = await self._redis.zmscore(keys.search_docs(), ids)
        days = {datetime.fromtimestamp(s, UTC).date() for s in stamps if s is not None}
        return sorted(days, key=lambda d: (abs((d - query.since).days), d))[:limit]

    async def known_sources(self) -> list[str]:
        return sorted(await self._redis.smembers(keys.search_sources()))

    async def _groups(self, query: SearchQuery) -> tuple[list[_Group], tuple[str, ...], int]:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zcard(keys.search_docs())
            for word in query.words:
                for variant in word.variants:
                    key = keys.search_postings(variant)
                    pipe.zcard(key)
                    # The weight just past the top slice: empty when the list is no longer.
                    pipe.zrange(key, self._slice, self._slice, desc=True, withscores=True)
            replies = await pipe.execute()
        total_docs = int(replies[0])
        per_variant = iter(zip(replies[1::2], replies[2::2], strict=True))
        groups: list[_Group] = []
        unknown: list[str] = []
        for word in query.words:
            live = [
                (keys.search_postings(variant), int(size), float(cut[0][1]) if cut else 0.0)
                for variant, (size, cut) in zip(word.variants, per_variant, strict=False)
                if int(size)
            ]
            if live:
                key_list, sizes, cuts = zip(*live, strict=True)
                groups.append(_Group(key_list, sizes, cuts, document_frequency=max(sizes)))
            else:
                unknown.append(word.surface)
        return groups, tuple(unknown), total_docs

    async def _filter_keys(self, query: SearchQuery) -> tuple[list[str], bool]:
        filters: list[str] = []
        if query.source:
            wanted = source_slug(query.source)
            sources = [s for s in await self.known_sources() if wanted and wanted in s]
            if not sources:
                return [], True
            filters.append("source:" + ",".join(sources))
        if query.language:
            filters.append(keys.search_language(query.language))
        if query.since:
            filters.append(f"since:{query.since.isoformat()}")
        return filters, False

    async def _best(
        self,
        groups: list[_Group],
        filters: list[str],
        total_docs: int,
        match_all: bool,
        offset: int,
        limit: int,
    ) -> _Ranked:
        bounded = await self._bounded(groups, filters, total_docs, match_all, offset, limit)
        if bounded is not None:
            return bounded
        return await self._ranked(groups, filters, total_docs, match_all, offset, limit)

    async def _bounded(
        self,
        groups: list[_Group],
        filters: list[str],
        total_docs: int,
        match_all: bool,
        offset: int,
        limit: int,
    ) -> _Ranked | None:
        """The page computed from the top `slice` postings of each long list only, or None
        when those cannot prove it right. Fagin's threshold algorithm: an article outside
        every slice scores at most T, the sum over the words of IDF × the weight where the
        word's slices were cut, so the candidates (every article in some slice, scored in
        full against every list) that score above T are the true best. The page stands when
        its last hit is above T and at least `count_limit` candidates match, which the reply
        shows as "100+": counting every match is what this avoids. Tried for one word only:
        with several words, the candidates seldom prove the page (bench/search.py), and a
        failed try costs its time on top of the whole evaluation."""
        if len(groups) != 1 or offset + limit > self._slice or not any(groups[0].cut_weights):
            return None
        word = groups[0]
        if len(word.keys) == 1 and not filters:
            return None  # the whole list is the answer as it stands: nothing to build
        if sum(word.sizes) < BOUNDED_FROM * self._slice:
            return None  # building the whole match costs less than trying the slices
        threshold = sum(
            _idf(group.document_frequency, total_docs) * max(group.cut_weights) for group in groups
        )
        temps: list[str] = []

        def temp() -> str:
            temps.append(keys.search_temp(secrets.token_hex(8)))
            return temps[-1]

        async with self._redis.pipeline(transaction=False) as pipe:
            slices: list[str] = []
            for group in groups:
                for key, cut in zip(group.keys, group.cut_weights, strict=True):
                    if cut:
                        slices.append(temp())
                        pipe.zrangestore(slices[-1], key, 0, self._slice - 1, desc=True)
                    else:
                        slices.append(key)
            candidates = temp()
            pipe.zunionstore(candidates, dict.fromkeys(slices, 0.0))
            # Each candidate's full score: the ZINTERSTOREs walk the candidates, not the
            # long lists, and build sets no larger than the candidates.
            scored: dict[str, float] = {}
            for group in groups:
                idf = _idf(group.document_frequency, total_docs)
                parts = []
                for key in group.keys:
                    parts.append(temp())
                    pipe.zinterstore(parts[-1], {candidates: 0.0, key: idf})
                if len(parts) > 1:
                    union = temp()
                    pipe.zunionstore(union, parts, aggregate="MAX")
                    parts = [union]
                scored[parts[0]] = 1.0
            result = self._combine(pipe, scored, filters, match_all, temp)
            pipe.zcard(result)
            pipe.zrevrange(result, offset, offset + limit - 1, withscores=True)
            pipe.delete(*temps)
            replies = await pipe.execute()
        matched, rows = int(replies[-3]), replies[-2]
        proven = len(rows) == limit and float(rows[-1][1]) > threshold
        if not proven or matched < self._count_limit:
            return None
        hits = [SearchHit(article_id=a, score=float(s)) for a, s in rows]
        return _Ranked(total=self._count_limit, hits=hits, exact=False)

    def _combine(
        self,
        pipe: Pipeline,
        scored: dict[str, float],
        filters: list[str],
        match_all: bool,
        temp: Callable[[], str],
    ) -> str:
        """The key of the words' scores combined (every word, or any) and filtered."""
        weighted = dict(scored)
        if not match_all and len(weighted) > 1:
            union = temp()
            pipe.zunionstore(union, weighted)
            weighted = {union: 1.0}
        since = next((f for f in filters if f.startswith("since:")), None)
        for spec in filters:
            if spec != since:
                weighted[self._filter_key(pipe, spec, temp)] = 0.0
        if len(weighted) == 1:
            result = next(iter(weighted))
        else:
            result = temp()
            pipe.zinterstore(result, weighted)
        if since is not None:
            result = self._since(pipe, result, since, temp)
        return result

    async def _ranked(
        self,
        groups: list[_Group],
        filters: list[str],
        total_docs: int,
        match_all: bool,
        offset: int,
        limit: int,
    ) -> _Ranked:
        """The page from the whole posting lists: exact, and as slow as they are long."""
        temps: list[str] = []

        def temp() -> str:
            temps.append(keys.search_temp(secrets.token_hex(8)))
            return temps[-1]

        # One round trip, not a transaction: the temporary keys have names of their own
        # and are deleted at the end, so nothing needs MULTI. (redis-py's async Cluster
        # client cannot queue ZINTERSTORE or ZUNIONSTORE in a transaction at all: it
        # looks their keys up over a connection of another event loop.)
        async with self._redis.pipeline(transaction=False) as pipe:
            forms = math.prod(len(group.keys) for group in groups)
            if groups and (match_all and forms <= MAX_FORM_COMBINATIONS):
                result = self._every_word(pipe, groups, filters, total_docs, temp)
            elif groups and not match_all and _narrowed(filters):
                result = self._any_word_narrowed(pipe, groups, filters, total_docs, temp)
            else:
                weighted: dict[str, float] = {}
                for group in groups:
                    if len(group.keys) == 1:
                        key = group.keys[0]
                    else:
                        key = temp()
                        pipe.zunionstore(key, list(group.keys), aggregate="MAX")
                    idf = _idf(group.document_frequency, total_docs)
                    weighted[key] = weighted.get(key, 0.0) + idf
                if not weighted:
                    weighted[keys.search_docs()] = 1.0  # filters only: newest first
                result = self._combine(pipe, weighted, filters, match_all, temp)
            pipe.zcard(result)
            pipe.zrevrange(result, offset, offset + limit - 1, withscores=True)
            if temps:
                pipe.delete(*temps)
            replies = await pipe.execute()
        total, rows = replies[-2:] if not temps else replies[-3:-1]
        return _Ranked(int(total), [SearchHit(article_id=a, score=float(s)) for a, s in rows])

    def _every_word(
        self,
        pipe: Pipeline,
        groups: list[_Group],
        filters: list[str],
        total_docs: int,
        temp: Callable[[], str],
    ) -> str:
        """Articles with every word, the union of each word's forms never built: (A1 ∪ A2)
        ∩ B is (A1 ∩ B) ∪ (A2 ∩ B), and each ZINTERSTORE walks its shortest list and
        builds only what matches, where the union of a common word's forms would build
        tens of thousands of entries first. Taking each article's best form per word (MAX)
        gives the same score as before."""
        narrowing = [self._filter_key(pipe, spec, temp) for spec in filters if not _is_since(spec)]
        idfs = [_idf(group.document_frequency, total_docs) for group in groups]
        parts: list[str] = []
        for combination in itertools.product(*(group.keys for group in groups)):
            weights: dict[str, float] = {}
            for key, idf in zip(combination, idfs, strict=True):
                weights[key] = weights.get(key, 0.0) + idf
            if len(weights) == 1 and not narrowing:
                parts.append(next(iter(weights)))
                continue
            weights.update(dict.fromkeys(narrowing, 0.0))
            parts.append(temp())
            pipe.zinterstore(parts[-1], weights)
        result = parts[0]
        if len(parts) > 1:
            result = temp()
            pipe.zunionstore(result, parts, aggregate="MAX")
        return self._since_filtered(pipe, result, filters, temp)

    def _any_word_narrowed(
        self,
        pipe: Pipeline,
        groups: list[_Group],
        filters: list[str],
        total_docs: int,
        temp: Callable[[], str],
    ) -> str:
        """Articles with any word, within a source or language: each form's list is
        narrowed first, so only the matches in that source or language are ever built."""
        narrowing = {
            self._filter_key(pipe, spec, temp): 0.0 for spec in filters if not _is_since(spec)
        }
        scored: dict[str, float] = {}
        for group in groups:
            idf = _idf(group.document_frequency, total_docs)
            parts = []
            for key in group.keys:
                parts.append(temp())
                pipe.zinterstore(parts[-1], {key: idf, **narrowing})
            if len(parts) > 1:
                union = temp()
                pipe.zunionstore(union, parts, aggregate="MAX")
                parts = [union]
            scored[parts[0]] = 1.0
        result = next(iter(scored))
        if len(scored) > 1:
            result = temp()
            pipe.zunionstore(result, scored)
        return self._since_filtered(pipe, result, filters, temp)

    def _since_filtered(
        self, pipe: Pipeline, result: str, filters: list[str], temp: Callable[[], str]
    ) -> str:
        since = next((spec for spec in filters if _is_since(spec)), None)
        return result if since is None else self._since(pipe, result, since, temp)

    @staticmethod
    def _filter_key(pipe: Pipeline, spec: str, temp: Callable[[], str]) -> str:
        if spec.startswith("source:"):
            slugs = spec.removeprefix("source:").split(",")
            if len(slugs) == 1:
                return keys.search_source(slugs[0])
            key = temp()
            pipe.zunionstore(key, [keys.search_source(s) for s in slugs])
            return key
        return spec

    @staticmethod
    def _since(pipe: Pipeline, matches: str, spec: str, temp: Callable[[], str]) -> str:
        """The matches published since the day, scores kept. Cut from the matches rather
        than intersected with every article since the day, which cost as much as the index
        is large (the slowest searches in bench/search.py)."""
        day = date.fromisoformat(spec.removeprefix("since:"))
        start = datetime.combine(day, time(), tzinfo=SINCE_ZONE).timestamp()
        dated = temp()
        # Each match scored by its publication time, the older ones dropped…
        pipe.zinterstore(dated, {matches: 0.0, keys.search_docs(): 1.0})
        pipe.zremrangebyscore(dated, "-inf", f"({start}")
        # …then the survivors with their search scores back.
        kept = temp()
        pipe.zinterstore(kept, {matches: 1.0, dated: 0.0})
        return kept

    async def _with_phrases(self, query: SearchQuery, hits: list[SearchHit]) -> list[SearchHit]:
        articles = await self._articles.get_many([hit.article_id for hit in hits])
        present = {a.id: a for a in articles}
        kept: list[SearchHit] = []
        for hit in hits:
            article = present.get(hit.article_id)
            if article is None:
                continue
            sequence = summarizer.index_terms(
                f"{article.title}\n{article.lead}\n{article.body}", article.language
            )
            if all(_contains_phrase(sequence, phrase) for phrase in query.phrases):
                kept.append(hit)
        return kept


def _contains_phrase(sequence: list[str], phrase: tuple[QueryWord, ...]) -> bool:
    """Whether the phrase's words occur one after another (stop words aside)."""
    width = len(phrase)
    for start in range(len(sequence) - width + 1):
        if all(sequence[start + i] in phrase[i].variants for i in range(width)):
            return True
    return False


def _is_since(spec: str) -> bool:
    return spec.startswith("since:")


def _narrowed(filters: list[str]) -> bool:
    """Whether a source or language filter is set (since: is cut from the matches)."""
    return any(not _is_since(spec) for spec in filters)


def _informative(groups: list[_Group], total_docs: int) -> list[_Group]:
    """For an any-word match, the words that narrow it down. A word in more than one
    article in twenty adds little to BM25 but its whole posting list to the union: such
    unions were the slowest searches in bench/search.py."""
    rare = [g for g in groups if g.document_frequency <= COMMON_SHARE * total_docs]
    return rare or groups


def _idf(document_frequency: int, total_docs: int) -> float:
    return math.log(1 + (total_docs - document_frequency + 0.5) / (document_frequency + 0.5))


def _recency(published: datetime) -> float:
    return max(0.0, (published.timestamp() - _RECENCY_EPOCH) / 86_400 * _RECENCY_PER_DAY)


def _title_forms(title: str, language: str) -> dict[str, str]:
    """Index term → the word as written in the title, to show in suggestions."""
    forms: dict[str, str] = {}
    for word in _WORD.findall(title):
        terms = summarizer.index_terms(word, language)
        if len(terms) == 1:
            forms.setdefault(terms[0], word.lower())
    return forms
