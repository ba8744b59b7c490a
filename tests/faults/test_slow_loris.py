"""A slow-loris feed (headers at once, then a byte a second, never done) is cut by the
whole-request timeout and recorded as failed, while the other feeds of the same cycle
are stored without waiting for it."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis

from bot.articles import ArticleStore
from bot.clock import FakeClock
from bot.feeds import Feed, FeedStore, feed_id_for
from bot.ingest.fetch import FeedFetcher, FetchLimits
from bot.ingest.pipeline import IngestPipeline
from bot.poller import Poller
from bot.story_index import StoryIndex
from tests.fakes.feed_server import FeedServer
from tests.faults.news import assert_each_stored_once, news_items, serve_feed
from tests.ingest.feeds import LOCAL_NETWORKS
from tests.waiting import until

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=5)
WHOLE_REQUEST_TIMEOUT = 2.0


@pytest.mark.timeout(60)
async def test_a_slow_loris_feed_is_cut_and_recorded_while_the_others_are_stored(
    redis: Redis,
) -> None:
    clock = FakeClock(NOW)
    store = FeedStore(redis)
    async with FeedServer() as feeds:
        good = []
        for number, name in enumerate(("a", "b", "c")):
            items = news_items(feeds, name, 2, start=2 * number)
            serve_feed(feeds, f"{name}.xml", items)
            good += items
        # A real feed's worth of bytes at one a second: it would take hours to finish.
        serve_feed(feeds, "loris.xml", news_items(feeds, "loris", 3, start=6))
        feeds.drip("loris.xml", bytes_per_s=1)
        for name in ("a", "b", "c", "loris"):
            url = feeds.url(f"{name}.xml")
            await store.add(Feed(id=feed_id_for(url), url=url, name=name, language="ru"), due=NOW)
        limits = FetchLimits(total_timeout=WHOLE_REQUEST_TIMEOUT, allow_networks=LOCAL_NETWORKS)
        async with FeedFetcher(limits) as fetcher:
            pipeline = IngestPipeline(
                redis, ArticleStore(redis), StoryIndex(redis), clock=clock, fetcher=fetcher
            )
            poller = Poller(store, fetcher, pipeline, clock, INTERVAL)
            started = time.monotonic()
            cycle = asyncio.create_task(poller.poll_due())

            await until(
                lambda: _stored(redis, len(good)), WHOLE_REQUEST_TIMEOUT, "the good feeds stored"
            )
            # Stored while the slow loris was still dripping: nobody waited for it.
            assert not cycle.done()
            assert feeds.in_flight == 1
            results = await cycle
            took = time.monotonic() - started

    by_url = {r.feed_url: r for r in results}
    loris = by_url[feeds.url("loris.xml")]
    assert loris.error is not None
    assert loris.error.startswith("timeout:")
    assert took < WHOLE_REQUEST_TIMEOUT + 2
    recorded = await store.get(feed_id_for(feeds.url("loris.xml")))
    assert recorded is not None
    assert recorded.failures == 1
    assert recorded.last_error.startswith("timeout:")
    assert await store.next_due(recorded.id) == NOW + 2 * INTERVAL  # backed off
    await assert_each_stored_once(redis, good)


async def _stored(redis: Redis, count: int) -> bool:
    return await ArticleStore(redis).count() >= count
