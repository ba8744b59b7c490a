"""Redis killed and started again (same port, same directory, AOF on) while a poll cycle
is fetching: the cycle finishes, what was stored before survives, and after the next
cycle every item is stored once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.articles import ArticleStore
from bot.clock import FakeClock
from bot.feeds import Feed, FeedStore, feed_id_for
from bot.ingest.fetch import FeedFetcher
from bot.ingest.pipeline import IngestPipeline
from bot.poller import Poller
from bot.redis_client import connect
from bot.redis_server import RedisServer, start_redis_server
from bot.story_index import StoryIndex
from tests.fakes.feed_server import FeedServer
from tests.faults.news import assert_each_stored_once, news_items, serve_feed, stored_articles
from tests.ingest.feeds import LOCAL
from tests.waiting import until

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=5)
FAST, SLOW = ("a", "b"), ("c", "d")
# Down longer than the slow feeds' answers take, shorter than the client's retries last
# (six, backing off to 2 s: about 7 s in all).
OUTAGE_SECONDS = 2.0
SLOW_ANSWER_SECONDS = 1.0


@pytest.fixture
async def own_redis(tmp_path: Path) -> AsyncIterator[RedisServer]:
    server = start_redis_server(tmp_path / "redis")
    yield server
    server.shutdown()


@pytest.mark.timeout(60)
async def test_redis_restart_mid_cycle_loses_and_doubles_nothing(
    own_redis: RedisServer, tmp_path: Path
) -> None:
    server = own_redis
    assert server.client().config_get("appendonly") == {"appendonly": "yes"}
    redis: Redis = connect(server.url)
    clock = FakeClock(NOW)
    try:
        async with FeedServer() as feeds, FeedFetcher(LOCAL) as fetcher:
            served = {}
            for number, name in enumerate((*FAST, *SLOW)):
                served[name] = news_items(feeds, name, 2, start=2 * number)
                serve_feed(feeds, f"{name}.xml", served[name])
                url = feeds.url(f"{name}.xml")
                await FeedStore(redis).add(
                    Feed(id=feed_id_for(url), url=url, name=name, language="ru"), due=NOW
                )
            for name in SLOW:
                feeds.slow(f"{name}.xml", SLOW_ANSWER_SECONDS)
            pipeline = IngestPipeline(
                redis, ArticleStore(redis), StoryIndex(redis), clock=clock, fetcher=fetcher
            )
            poller = Poller(FeedStore(redis), fetcher, pipeline, clock, INTERVAL)

            cycle = asyncio.create_task(poller.poll_due())
            fast_items = [i for name in FAST for i in served[name]]
            await until(
                lambda: _count(redis, len(fast_items)), 20, "the fast feeds stored before the kill"
            )
            await until(lambda: feeds.in_flight == len(SLOW), 5, "the slow feeds in flight")
            assert server.process is not None
            server.process.kill()  # SIGKILL: no SHUTDOWN, nothing flushed on the way out
            server.process.wait(timeout=10)
            await asyncio.sleep(OUTAGE_SECONDS)  # the outage itself is the fault under test
            restarted = start_redis_server(server.directory, port=server.port)
            server.process = restarted.process

            first = await cycle  # the cycle did not crash
            assert all(r.error is None and r.failed == 0 for r in first), first

            # Stored before the kill and acknowledged: the AOF gave it back.
            before_kill = {i.link for i in fast_items}
            assert before_kill <= {a["url"] for a in (await stored_articles(redis)).values()}

            # The next cycle, with one new item on a fast and on a slow feed.
            clock.advance(INTERVAL)
            for name, start in ((FAST[0], 8), (SLOW[0], 9)):
                served[name] += news_items(feeds, name, 1, start=start)
                serve_feed(feeds, f"{name}.xml", served[name])
            second = await poller.poll_due()
            assert all(r.error is None and r.failed == 0 for r in second), second

        everything = [i for items in served.values() for i in items]
        await assert_each_stored_once(redis, everything)
        # Each item counted new exactly once over both cycles: none was processed twice.
        totals = [feed.items_total for feed in await FeedStore(redis).all()]
        assert sum(totals) == len(everything)
    finally:
        await redis.aclose()


async def _count(redis: Redis, at_least: int) -> bool:
    return await ArticleStore(redis).count() >= at_least
