"""Keyword search over stored articles: a BM25 inverted index kept in Redis.

Each index term has a sorted set of article ids scored by the term's BM25 weight in that
article (term frequency already saturated and length-normalized when indexed), so a query
is one ZINTERSTORE (every word must match) weighted by each word's IDF, run inside Redis.
When no article has every word, the words are OR-ed instead (ZUNIONSTORE). Length
normalization uses a fixed average length measured on real news (a running average would
give two identical articles indexed at different times different weights, and would need
a rebuild to stay exact). A tiny recency term in every weight breaks ties in favour of
newer articles without reordering different BM25 scores. How a query's set operations are
planned inside Redis, common words included, is bot/search_plan.py.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from redis.asyncio import Redis

import summarizer
from bot import keys, search_plan
from bot.articles import Article, ArticleStore
from bot.search_plan import SearchHit, WordLists
from bot.search_query import QueryWord, SearchQuery

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 3  # a title word counts as three body words
MAX_TERMS_PER_DOC = 400  # the most frequent distinct terms; the long tail adds memory, not hits
# Mean weighted length of 200 Tengrinews articles (238 terms); `search:stats` tracks ours.
AVERAGE_LENGTH = 240.0
PHRASE_CANDIDATES = 200  # best AND-matches checked for a quoted phrase
COMMON_SHARE = 0.05  # a word in more of the articles than this is left out of OR matches
_RECENCY_EPOCH = datetime(2020, 1, 1, tzinfo=UTC).timestamp()
_RECENCY_PER_DAY = 1e-7  # far below any BM25 difference, so it only breaks ties
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_SLUG = re.compile(r"[^0-9a-zа-яёәғқңөұүһі]+")


# One script call per article instead of a command per term: the client-side cost of
# hundreds of commands dominated indexing. The terms and their weights go in as two
# space-separated strings, and the script builds each posting list's name from the prefix
# keys.py gives: redis-py packs every argument one by one, and ~400 of them (a key and a
# weight per term) cost a millisecond of event-loop CPU an article (bench/ingest.py). Every
# key carries the {search} hash tag, so a Cluster still runs the script within one slot.
# A term enters the dictionary when its posting list is new (the dictionary holds exactly
# the terms some article has): half the ZADDs of the old script's per-term pair.
# KEYS: doc record, dictionary, forms, docs, expiry, source, sources, language, stats.
# The doc record has no TTL of its own: it is what `prune` reads to unindex, so it must
# outlive the article (an expiry derived from the fetch time lapsed first for
# back-filled articles and leaked their postings).
# ARGV: id, record, published, expire_at, source slug, length, posting-list prefix, terms,
# weights, then (term, form) pairs.
_ADD = """
if not redis.call('SET', KEYS[1], ARGV[2], 'NX') then return 0 end
local id, prefix = ARGV[1], ARGV[7]
local weights = {}
for weight in string.gmatch(ARGV[9], '%S+') do weights[#weights + 1] = weight end
local i = 0
for term in string.gmatch(ARGV[8], '%S+') do
  i = i + 1
  local postings = prefix .. term
  redis.call('ZADD', postings, weights[i], id)
  if redis.call('ZCARD', postings) == 1 then redis.call('ZADD', KEYS[2], 0, term) end
end
for j = 10, #ARGV, 2 do
  redis.call('HSETNX', KEYS[3], ARGV[j], ARGV[j + 1])
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


@dataclass
class SearchPage:
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    match_all: bool = True  # False: no article had every word, these have some
    total_exact: bool = True  # False: at least `total` match, not counted further
    unknown_words: tuple[str, ...] = ()
    unknown_source: bool = False


class SearchIndex:
    def __init__(
        self,
        redis: Redis,
        articles: ArticleStore,
        *,
        slice_size: int = search_plan.SLICE,
        count_limit: int = search_plan.COUNT_LIMIT,
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
        terms_joined = " ".join(t for t, _ in top)
        record = "\t".join((slug, article.language, str(length), terms_joined))
        norm = K1 * (1 - B + B * length / AVERAGE_LENGTH)
        recency = _recency(article.published)
        forms = _title_forms(article.title, article.language)
        weights = " ".join(f"{tf * (K1 + 1) / (tf + norm) + recency:.9g}" for _, tf in top)
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
            ],
            args=[
                article.id,
                record,
                article.published.timestamp(),
                expire_at.timestamp(),
                slug,
                length,
                keys.search_postings(""),
                terms_joined,
                weights,
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
            every = search_plan.Search(groups, filters, total_docs, match_all=True)
            ids = await search_plan.whole(self._redis, every, 0, PHRASE_CANDIDATES)
            hits = await self._with_phrases(query, ids.hits)
            return SearchPage(total=len(hits), hits=hits[offset : offset + limit])
        words = groups if match_all else _informative(groups, total_docs)
        found = await self._best(
            search_plan.Search(words, filters, total_docs, match_all), offset, limit
        )
        if found.total == 0 and match_all and len(groups) > 1:
            match_all = False
            words = _informative(groups, total_docs)
            found = await self._best(
                search_plan.Search(words, filters, total_docs, False), offset, limit
            )
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

    async def _groups(self, query: SearchQuery) -> tuple[list[WordLists], tuple[str, ...], int]:
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
        groups: list[WordLists] = []
        unknown: list[str] = []
        for word in query.words:
            live = [
                (keys.search_postings(variant), int(size), float(cut[0][1]) if cut else 0.0)
                for variant, (size, cut) in zip(word.variants, per_variant, strict=False)
                if int(size)
            ]
            if live:
                key_list, sizes, cuts = zip(*live, strict=True)
                groups.append(WordLists(key_list, sizes, cuts, document_frequency=max(sizes)))
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
        self, search: search_plan.Search, offset: int, limit: int
    ) -> search_plan.Ranked:
        found = await search_plan.bounded(
            self._redis,
            search,
            offset,
            limit,
            slice_size=self._slice,
            count_limit=self._count_limit,
        )
        return found or await search_plan.whole(self._redis, search, offset, limit)

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


def _informative(groups: list[WordLists], total_docs: int) -> list[WordLists]:
    """For an any-word match, the words that narrow it down. A word in more than one
    article in twenty adds little to BM25 but its whole posting list to the union: such
    unions were the slowest searches in bench/search.py."""
    rare = [g for g in groups if g.document_frequency <= COMMON_SHARE * total_docs]
    return rare or groups


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
