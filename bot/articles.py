"""Stored articles: the record, and its Redis store with time, language and source indexes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from bot import keys

BODY_LIMIT = 20_000  # characters; a digest never needs more, and Redis memory stays bounded


@dataclass
class Article:
    id: str
    feed_url: str
    source: str
    url: str
    title: str
    lead: str
    body: str
    language: str
    published: datetime
    fetched: datetime
    politics_score: float
    is_politics: bool
    summary: list[str] = field(default_factory=list)
    story_id: str = ""
    # Index terms of title, lead and body: computed once in the pipeline for alerts and
    # search; the search index stores them, the article record does not.
    terms: list[str] = field(default_factory=list, compare=False)

    def to_hash(self) -> dict[str, str]:
        return {
            "id": self.id,
            "feed_url": self.feed_url,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "lead": self.lead,
            "body": self.body[:BODY_LIMIT],
            "language": self.language,
            "published": self.published.astimezone(UTC).isoformat(),
            "fetched": self.fetched.astimezone(UTC).isoformat(),
            "politics_score": f"{self.politics_score:.4f}",
            "is_politics": "1" if self.is_politics else "0",
            "summary": json.dumps(self.summary, ensure_ascii=False),
            "story_id": self.story_id or self.id,
        }

    @classmethod
    def from_hash(cls, data: dict[str, str]) -> Article:
        return cls(
            id=data["id"],
            feed_url=data["feed_url"],
            source=data["source"],
            url=data["url"],
            title=data["title"],
            lead=data.get("lead", ""),
            body=data.get("body", ""),
            language=data["language"],
            published=datetime.fromisoformat(data["published"]),
            fetched=datetime.fromisoformat(data["fetched"]),
            politics_score=float(data.get("politics_score", 0)),
            is_politics=data.get("is_politics") == "1",
            summary=json.loads(data.get("summary") or "[]"),
            story_id=data.get("story_id") or data["id"],
        )


class ArticleStore:
    def __init__(self, redis: Redis, retention: timedelta = keys.ARTICLE_TTL) -> None:
        self._redis = redis
        self._retention = retention

    async def save(self, article: Article) -> None:
        ttl = self._retention if article.is_politics else keys.NON_POLITICS_ARTICLE_TTL
        score = article.published.timestamp()
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.article(article.id), mapping=article.to_hash())
            pipe.expire(keys.article(article.id), ttl)
            pipe.zadd(keys.articles_by_time(), {article.id: score})
            if article.is_politics:
                pipe.zadd(keys.politics_by_arrival(), {article.id: article.fetched.timestamp()})
            await pipe.execute()

    async def get(self, article_id: str) -> Article | None:
        data = await self._redis.hgetall(keys.article(article_id))
        return Article.from_hash(data) if data else None

    async def get_many(self, article_ids: list[str]) -> list[Article]:
        if not article_ids:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for article_id in article_ids:
                pipe.hgetall(keys.article(article_id))
            rows = await pipe.execute()
        return [Article.from_hash(row) for row in rows if row]

    async def politics_since(
        self, since: datetime | None, until: datetime | None = None
    ) -> list[Article]:
        """Politics articles stored in (since, until]."""
        low = f"({since.timestamp()}" if since else "-inf"
        high = until.timestamp() if until else "+inf"
        ids = await self._redis.zrangebyscore(keys.politics_by_arrival(), low, high)
        return await self.get_many(ids)

    async def count(self) -> int:
        return int(await self._redis.zcard(keys.articles_by_time()))

    async def cleanup(self, now: datetime) -> int:
        """Drop index entries older than the retention (the hashes expire on their own)."""
        cutoff = (now - self._retention).timestamp()
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(keys.articles_by_time(), "-inf", cutoff)
            pipe.zremrangebyscore(keys.politics_by_arrival(), "-inf", cutoff)
            removed, _ = await pipe.execute()
        return int(removed)
