"""What /search, plain text and inline queries call: parse, search, load the articles, and
gather the hints a reader needs when nothing matches."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from redis.asyncio import Redis

from bot import keys
from bot.articles import Article, ArticleStore
from bot.search import SearchIndex, SearchPage
from bot.search_query import QueryError, QueryProblem, SearchQuery, parse_query

PAGE_SIZE = 5
INLINE_PAGE_SIZE = 50  # Telegram's most results per answerInlineQuery


@dataclass
class SearchOutcome:
    text: str
    query: SearchQuery | None = None
    problem: QueryProblem | None = None
    problem_detail: str = ""
    page: SearchPage = field(default_factory=lambda: SearchPage(total=0))
    page_number: int = 0
    page_size: int = PAGE_SIZE
    articles: list[Article] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    other_dates: list[date] = field(default_factory=list)
    known_sources: list[str] = field(default_factory=list)
    query_id: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.page.total // self.page_size))

    @property
    def pages_label(self) -> str:
        """ "20", or "20+" when the search stopped counting (bot/search_plan.py)."""
        return str(self.pages) if self.page.total_exact else f"{self.pages}+"

    @property
    def has_next(self) -> bool:
        """Whether another page follows: always, while the total is only a lower bound
        (the pages past it are counted in full when asked for)."""
        shown = (self.page_number + 1) * self.page_size
        return not self.page.total_exact or shown < self.page.total


class SearchService:
    def __init__(self, redis: Redis, index: SearchIndex, articles: ArticleStore) -> None:
        self._redis = redis
        self.index = index
        self._articles = articles

    async def find(
        self, raw: str, page_number: int = 0, page_size: int = PAGE_SIZE
    ) -> SearchOutcome:
        try:
            query = parse_query(raw)
        except QueryError as exc:
            return SearchOutcome(text=raw, problem=exc.problem, problem_detail=exc.detail)
        page_number = max(0, page_number)
        page = await self.index.search(query, page_number * page_size, page_size)
        if page.total and not page.hits and page_number:
            # The results shrank since the buttons were drawn: show the last page instead.
            page_number = (page.total - 1) // page_size
            page = await self.index.search(query, page_number * page_size, page_size)
        outcome = SearchOutcome(
            text=query.text,
            query=query,
            page=page,
            page_number=page_number,
            page_size=page_size,
            articles=await self._articles.get_many([hit.article_id for hit in page.hits]),
        )
        if page.unknown_source:
            outcome.known_sources = await self.index.known_sources()
        if page.total == 0 or page.unknown_words:
            outcome.suggestions = await self.index.suggestions(query)
        if page.total == 0:
            outcome.other_dates = await self.index.nearest_dates(query)
        outcome.query_id = await self.remember(query.text)
        return outcome

    async def remember(self, query_text: str) -> str:
        """A short id for the query, so ◀ ▶ buttons fit Telegram's 64-byte callback data."""
        query_id = hashlib.blake2s(query_text.encode(), digest_size=6).hexdigest()
        await self._redis.set(keys.search_query(query_id), query_text, ex=keys.SEARCH_QUERY_TTL)
        return query_id

    async def recall(self, query_id: str) -> str | None:
        return await self._redis.get(keys.search_query(query_id))
