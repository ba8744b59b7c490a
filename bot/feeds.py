"""The feed store: each source's settings, HTTP validators, schedule and health in Redis.

`config/feeds.yaml` only seeds an empty store; after that Redis is the truth."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from bot import keys
from config.feeds import FeedConfig

UNHEALTHY_AFTER_FAILURES = 5
MAX_BACKOFF = timedelta(days=1)
# Bounds for a feed's own <ttl> or Cache-Control: never hammer, never forget for long.
MAX_FEED_INTERVAL = timedelta(hours=2)


def feed_id_for(url: str) -> str:
    """Stable for the life of a feed: a permanent redirect changes the URL, not the id."""
    return hashlib.blake2b(url.strip().encode(), digest_size=8).hexdigest()


@dataclass
class Feed:
    id: str
    url: str
    name: str
    language: str
    politics_only: bool = False
    enabled: bool = True
    etag: str = ""
    last_modified: str = ""
    failures: int = 0
    last_success: float = 0.0
    last_error: str = ""
    last_error_at: float = 0.0
    items_total: int = 0
    added_at: float = 0.0

    @property
    def healthy(self) -> bool:
        return self.failures < UNHEALTHY_AFTER_FAILURES

    def to_hash(self) -> dict[str, str]:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        return out

    @classmethod
    def from_hash(cls, data: dict[str, str]) -> Feed:
        kwargs: dict[str, object] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            raw = data[f.name]
            if f.type == "bool":
                kwargs[f.name] = raw == "1"
            elif f.type == "int":
                kwargs[f.name] = int(raw)
            elif f.type == "float":
                kwargs[f.name] = float(raw)
            else:
                kwargs[f.name] = raw
        return cls(**kwargs)  # type: ignore[arg-type]


class FeedStore:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def seed(self, configs: list[FeedConfig], now: datetime) -> int:
        """Add the default feeds to a store that is empty and was never seeded or emptied
        by an admin; returns how many were added."""
        if await self._redis.scard(keys.feeds_all()) or await self._redis.exists(
            keys.feeds_seeded()
        ):
            return 0
        if configs:
            await self._redis.set(keys.feeds_seeded(), "1")
        for config in configs:
            await self.add(
                Feed(
                    id=feed_id_for(str(config.url)),
                    url=str(config.url),
                    name=config.name,
                    language=config.language,
                    politics_only=config.politics_only,
                    enabled=config.enabled,
                    added_at=now.timestamp(),
                ),
                due=now,
            )
        return len(configs)

    async def add(self, feed: Feed, due: datetime) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.feed(feed.id), mapping=feed.to_hash())
            pipe.sadd(keys.feeds_all(), feed.id)
            if feed.enabled:
                pipe.zadd(keys.feeds_due(), {feed.id: due.timestamp()})
            await pipe.execute()

    async def remove(self, feed_id: str) -> bool:
        """Delete a feed for good; the store stays edited, so it is never re-seeded."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(keys.feed(feed_id))
            pipe.srem(keys.feeds_all(), feed_id)
            pipe.zrem(keys.feeds_due(), feed_id)
            pipe.set(keys.feeds_seeded(), "1")
            deleted, *_ = await pipe.execute()
        return bool(deleted)

    async def set_enabled(self, feed_id: str, enabled: bool, due: datetime) -> None:
        """Pause (not polled at all) or resume (polled from `due`) a feed."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.feed(feed_id), "enabled", "1" if enabled else "0")
            if enabled:
                pipe.zadd(keys.feeds_due(), {feed_id: due.timestamp()})
            else:
                pipe.zrem(keys.feeds_due(), feed_id)
            await pipe.execute()

    async def get(self, feed_id: str) -> Feed | None:
        data = await self._redis.hgetall(keys.feed(feed_id))
        return Feed.from_hash(data) if data else None

    async def all(self) -> list[Feed]:
        ids = sorted(await self._redis.smembers(keys.feeds_all()))
        async with self._redis.pipeline(transaction=False) as pipe:
            for feed_id in ids:
                pipe.hgetall(keys.feed(feed_id))
            rows = await pipe.execute()
        return [Feed.from_hash(row) for row in rows if row]

    async def due(self, now: datetime, limit: int = 10_000) -> list[Feed]:
        ids = await self._redis.zrangebyscore(
            keys.feeds_due(), "-inf", now.timestamp(), start=0, num=limit
        )
        feeds = []
        for feed_id in ids:
            feed = await self.get(feed_id)
            if feed is not None and feed.enabled:
                feeds.append(feed)
        return feeds

    async def next_due(self, feed_id: str) -> datetime | None:
        score = await self._redis.zscore(keys.feeds_due(), feed_id)
        return datetime.fromtimestamp(score, UTC) if score is not None else None

    async def record_success(
        self,
        feed: Feed,
        now: datetime,
        next_poll: datetime,
        *,
        etag: str | None,
        last_modified: str | None,
        new_items: int,
        new_url: str | None = None,
    ) -> None:
        mapping = {
            "failures": "0",
            "last_success": str(now.timestamp()),
            "etag": etag or "",
            "last_modified": last_modified or "",
        }
        if new_url:
            mapping["url"] = new_url
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.feed(feed.id), mapping=mapping)
            pipe.hincrby(keys.feed(feed.id), "items_total", new_items)
            pipe.zadd(keys.feeds_due(), {feed.id: next_poll.timestamp()})
            await pipe.execute()

    async def record_failure(
        self, feed: Feed, now: datetime, error: str, base_interval: timedelta
    ) -> datetime:
        """Count the failure and back off exponentially (capped); returns the next poll."""
        failures = feed.failures + 1
        next_poll = now + backoff(base_interval, failures)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(
                keys.feed(feed.id),
                mapping={
                    "failures": str(failures),
                    "last_error": error[:300],
                    "last_error_at": str(now.timestamp()),
                },
            )
            pipe.zadd(keys.feeds_due(), {feed.id: next_poll.timestamp()})
            await pipe.execute()
        return next_poll


def backoff(base_interval: timedelta, failures: int) -> timedelta:
    return min(base_interval * (2 ** min(failures, 20)), MAX_BACKOFF)


def next_interval(
    base_interval: timedelta, ttl_minutes: int | None, max_age_seconds: int | None
) -> timedelta:
    """The feed's own hint (RSS <ttl>, Cache-Control max-age) within our bounds."""
    hints = [timedelta(minutes=ttl_minutes)] if ttl_minutes else []
    if max_age_seconds:
        hints.append(timedelta(seconds=max_age_seconds))
    if not hints:
        return base_interval
    return min(max(base_interval, *hints), max(MAX_FEED_INTERVAL, base_interval))
