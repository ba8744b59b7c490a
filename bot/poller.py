"""The poll cycle: every due feed fetched at once (within the fetcher's caps), each one
ingested, rescheduled and its health recorded. A slow or failing feed delays no other."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.clock import Clock
from bot.feeds import Feed, FeedStore, next_interval
from bot.health import record_poll_done
from bot.ingest.fetch import FeedFetcher, FetchError
from bot.ingest.parse import FeedParseError
from bot.ingest.pipeline import FeedRunStats, FeedSource, IngestPipeline
from bot.logs import get_logger
from bot.metrics import FETCH_ERRORS, POLL_CYCLES

log = get_logger(__name__)


class Poller:
    def __init__(
        self,
        feeds: FeedStore,
        fetcher: FeedFetcher,
        pipeline: IngestPipeline,
        clock: Clock,
        interval: timedelta,
        redis: Redis | None = None,
    ) -> None:
        self._feeds = feeds
        self._fetcher = fetcher
        self._pipeline = pipeline
        self._clock = clock
        self._interval = interval
        # Where each completed cycle is recorded for /healthz on any instance.
        self._redis = redis

    async def poll_due(self) -> list[FeedRunStats]:
        due = await self._feeds.due(self._clock())
        return await self.poll(due)

    async def poll(self, feeds: list[Feed]) -> list[FeedRunStats]:
        started = time.perf_counter()
        results = await asyncio.gather(*(self.poll_feed(feed) for feed in feeds))
        log.info(
            "poll_cycle_done",
            feeds=len(feeds),
            new=sum(r.new for r in results),
            errors=sum(1 for r in results if r.error),
            seconds=round(time.perf_counter() - started, 3),
        )
        POLL_CYCLES.inc()
        if self._redis is not None:
            await record_poll_done(self._redis, self._clock())
        return list(results)

    async def poll_feed(self, feed: Feed) -> FeedRunStats:
        started = time.perf_counter()
        try:
            return await self._poll_feed(feed, started)
        except RedisError as exc:
            # Redis gone past the client's retries: this feed stays due and its claimed
            # items are taken over next cycle; the other feeds carry on.
            log.warning("feed_poll_interrupted", feed=feed.url, error=str(exc))
            return FeedRunStats(
                feed_url=feed.url, error=f"redis: {exc}", seconds=time.perf_counter() - started
            )

    async def _poll_feed(self, feed: Feed, started: float) -> FeedRunStats:
        now = self._clock()
        try:
            fetched = await self._fetcher.fetch(
                feed.url, etag=feed.etag or None, last_modified=feed.last_modified or None
            )
            if fetched.status == 304:
                stats = FeedRunStats(feed_url=feed.url, not_modified=True)
                ttl = None
            else:
                source = FeedSource(
                    feed.url, feed.name, feed.language, feed.politics_only, scope=feed.id
                )
                stats = await self._pipeline.ingest_feed_body(
                    source,
                    fetched.body,
                    final_url=fetched.final_url,
                    content_type=fetched.content_type,
                )
                ttl = stats.ttl_minutes
        except (FetchError, FeedParseError) as exc:
            error = f"{getattr(exc, 'kind', 'parse')}: {exc}"
            FETCH_ERRORS.labels(kind=getattr(exc, "kind", "parse")).inc()
            retry_at = await self._feeds.record_failure(feed, now, error, self._interval)
            log.warning("feed_failed", feed=feed.url, error=error, retry_at=retry_at.isoformat())
            return FeedRunStats(
                feed_url=feed.url, error=error, seconds=time.perf_counter() - started
            )
        interval = next_interval(self._interval, ttl, fetched.cache_max_age)
        # An item failed: keep the old validators, so the next poll gets the whole feed
        # again and retries it (the done ones are skipped) instead of a 304 that hides it.
        retry_items = stats.failed > 0
        await self._feeds.record_success(
            feed,
            now,
            now + interval,
            etag=feed.etag if retry_items else fetched.etag or feed.etag,
            last_modified=(
                feed.last_modified if retry_items else fetched.last_modified or feed.last_modified
            ),
            new_items=stats.new,
            new_url=fetched.permanent_redirect_to,
        )
        stats.seconds = time.perf_counter() - started
        return stats
