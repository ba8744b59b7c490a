"""The poll cycle over real HTTP into real Redis: dedupe, backoff, redirects, stories."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis

from bot import keys
from bot.articles import ArticleStore
from bot.clock import FakeClock
from bot.feeds import Feed, FeedStore, feed_id_for
from bot.ingest.canonical import item_id
from bot.ingest.fetch import FeedFetcher, FetchLimits
from bot.ingest.parse import parse_feed
from bot.ingest.pipeline import IngestPipeline
from bot.poller import Poller
from bot.redis_client import connect
from bot.redis_server import RedisServer
from bot.story_index import StoryIndex
from tests.fakes.feed_server import FeedServer
from tests.ingest.feeds import LOCAL, LOCAL_NETWORKS, POLITICS_KK, POLITICS_RU, rss

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=5)


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        yield srv


def make_poller(redis: Redis, fetcher: FeedFetcher, clock: FakeClock) -> Poller:
    pipeline = IngestPipeline(
        redis, ArticleStore(redis), StoryIndex(redis), clock=clock, fetcher=fetcher
    )
    return Poller(FeedStore(redis), fetcher, pipeline, clock, INTERVAL)


async def add_feed(redis: Redis, url: str, name: str, language: str = "kk") -> Feed:
    feed = Feed(id=feed_id_for(url), url=url, name=name, language=language)
    await FeedStore(redis).add(feed, due=NOW)
    return feed


def items(prefix: str, count: int) -> list[dict[str, str]]:
    return [
        {
            "title": f"{POLITICS_KK['title']} {prefix}{i}",
            "link": f"https://example.kz/{prefix}/{i}",
            "description": POLITICS_KK["description"],
        }
        for i in range(count)
    ]


async def test_a_failing_and_a_slow_feed_back_off_while_the_good_one_is_stored(
    redis: Redis, server: FeedServer
) -> None:
    server.add("good.xml", rss(items("g", 3)).encode())
    server.fail("broken.xml", 500)
    server.add("slow.xml", rss(items("s", 1)).encode())
    server.slow("slow.xml", 5.0)
    for path in ("good.xml", "broken.xml", "slow.xml"):
        await add_feed(redis, server.url(path), path)
    clock = FakeClock(NOW)
    async with FeedFetcher(
        FetchLimits(total_timeout=1.0, allow_networks=LOCAL_NETWORKS)
    ) as fetcher:
        results = await make_poller(redis, fetcher, clock).poll_due()
    by_url = {r.feed_url: r for r in results}
    assert by_url[server.url("good.xml")].new == 3
    assert by_url[server.url("broken.xml")].error is not None
    assert "timeout" in (by_url[server.url("slow.xml")].error or "")
    assert await ArticleStore(redis).count() == 3
    store = FeedStore(redis)
    broken = await store.get(feed_id_for(server.url("broken.xml")))
    assert broken is not None
    assert broken.failures == 1
    assert await store.next_due(broken.id) == NOW + 2 * INTERVAL  # backoff
    good_next = await store.next_due(feed_id_for(server.url("good.xml")))
    assert good_next == NOW + INTERVAL


async def test_repolling_creates_nothing_and_304s_are_used(
    redis: Redis, server: FeedServer
) -> None:
    server.add("kz.xml", rss(items("a", 4)).encode())
    feed = await add_feed(redis, server.url("kz.xml"), "Kazinform")
    clock = FakeClock(NOW)
    async with FeedFetcher(LOCAL) as fetcher:
        poller = make_poller(redis, fetcher, clock)
        [first] = await poller.poll([feed])
        [second] = await poller.poll([(await FeedStore(redis).get(feed.id))])  # type: ignore[list-item]
        [third] = await poller.poll([feed])  # validators forgotten: full body, all seen
    assert (first.new, second.not_modified, third.new, third.seen) == (4, True, 0, 4)
    assert "If-None-Match" in server.headers_of_last("kz.xml") or third.seen == 4


async def test_an_item_listed_twice_in_one_feed_is_stored_once(
    redis: Redis, server: FeedServer
) -> None:
    listed = items("d", 3)
    server.add("kz.xml", rss([*listed, listed[1]]).encode())
    feed = await add_feed(redis, server.url("kz.xml"), "Kazinform")
    async with FeedFetcher(LOCAL) as fetcher:
        [result] = await make_poller(redis, fetcher, FakeClock(NOW)).poll([feed])
    assert (result.new, result.seen, result.failed) == (3, 1, 0)
    assert await ArticleStore(redis).count() == 3


async def test_items_claimed_when_redis_failed_mid_claim_are_stored_next_cycle(
    redis: Redis, redis_server: RedisServer, server: FeedServer
) -> None:
    """Redis fails between claiming a feed's items and reading the leases others hold: the
    cycle is interrupted, and the next cycle of this same process stores the items it had
    claimed at once, not after their leases expire ten minutes later."""
    body = rss(items("m", 2)).encode()
    server.add("kz.xml", body)
    feed = await add_feed(redis, server.url("kz.xml"), "Kazinform")
    # The second item's lease is a dead process's, so claiming reads it (GET) after the SETs.
    second = item_id(parse_feed(body, feed_url=server.url("kz.xml")).items[1], feed.id)
    await redis.set(keys.seen_item(second), "processing:sayasat-dead/0", ex=600)
    # A Redis user that may do everything but GET: the read fails after the SETs succeeded.
    await redis.acl_setuser(
        "no-get", enabled=True, passwords=["+pw"], keys=["*"], channels=["*"],
        commands=["+@all", "-get"],
    )  # fmt: skip
    failing = connect(redis_server.url.replace("redis://", "redis://no-get:pw@", 1))
    try:
        async with FeedFetcher(LOCAL) as fetcher:
            [interrupted] = await make_poller(failing, fetcher, FakeClock(NOW)).poll([feed])
            assert interrupted.error is not None
            assert interrupted.error.startswith("redis: ")
            assert await ArticleStore(redis).count() == 0
            [result] = await make_poller(redis, fetcher, FakeClock(NOW)).poll([feed])
    finally:
        await failing.aclose()
        await redis.acl_deluser("no-get")
    assert (result.new, result.failed) == (2, 0)
    assert await ArticleStore(redis).count() == 2


async def test_two_concurrent_pollers_store_each_item_once(
    redis: Redis, server: FeedServer
) -> None:
    server.add("kz.xml", rss(items("c", 30)).encode())
    feed = await add_feed(redis, server.url("kz.xml"), "Kazinform")
    clock = FakeClock(NOW)
    async with FeedFetcher(LOCAL) as one, FeedFetcher(LOCAL) as two:
        a, b = await asyncio.gather(
            make_poller(redis, one, clock).poll([feed]),
            make_poller(redis, two, clock).poll([feed]),
        )
    assert a[0].new + b[0].new == 30
    assert a[0].seen + b[0].seen == 30
    assert await ArticleStore(redis).count() == 30


async def test_a_permanent_redirect_moves_the_feed_and_ttl_sets_the_next_poll(
    redis: Redis, server: FeedServer
) -> None:
    server.add("new.xml", rss(items("r", 1), ttl=30).encode())
    server.redirect("old.xml", "new.xml", 301)
    feed = await add_feed(redis, server.url("old.xml"), "Egemen")
    clock = FakeClock(NOW)
    async with FeedFetcher(LOCAL) as fetcher:
        await make_poller(redis, fetcher, clock).poll([feed])
    stored = await FeedStore(redis).get(feed.id)
    assert stored is not None
    assert stored.url == server.url("new.xml")
    assert await FeedStore(redis).next_due(feed.id) == NOW + timedelta(minutes=30)


async def test_items_without_links_are_not_new_again_after_the_feed_moves(
    redis: Redis, server: FeedServer
) -> None:
    guid_only = [
        {"title": f"{POLITICS_KK['title']} {n}", "guid": f"item-{n}", "description": "Сенат."}
        for n in range(3)
    ]
    server.add("old.xml", rss(guid_only).encode())
    feed = await add_feed(redis, server.url("old.xml"), "Egemen")
    clock = FakeClock(NOW)
    async with FeedFetcher(LOCAL) as fetcher:
        poller = make_poller(redis, fetcher, clock)
        [first] = await poller.poll([feed])
        server.add("new.xml", rss(guid_only).encode())
        server.redirect("old.xml", "new.xml", 301)
        [moved] = await poller.poll([feed])
        stored = await FeedStore(redis).get(feed.id)
        assert stored is not None
        assert stored.url == server.url("new.xml")
        [after] = await poller.poll([stored])
    assert (first.new, moved.new, after.new) == (3, 0, 0)
    assert await ArticleStore(redis).count() == 3


async def test_two_outlets_on_one_story_share_a_story_id_and_others_do_not(
    redis: Redis, server: FeedServer
) -> None:
    kazinform = [
        {
            "title": "Сенат Өзбекстанмен шекаралық ынтымақтастық туралы келісімді ратификациялады",
            "link": "https://kaz.inform.kz/news/1",
            "description": "Сенат депутаттары Қазақстан мен Өзбекстан арасындағы шекаралық "
            "ынтымақтастық туралы келісімді ратификациялады. Құжат шекара маңындағы өңірлердегі "
            "сауда мен көлік қатынасын жеңілдетеді.",
        },
        {**POLITICS_KK, "link": "https://kaz.inform.kz/news/2"},
    ]
    tengri = [
        {**POLITICS_RU, "link": "https://tengrinews.kz/news/1"},
        {
            "title": "Министр иностранных дел встретился с послом Японии",
            "link": "https://tengrinews.kz/news/2",
            "description": "Глава МИД Казахстана провел встречу с послом Японии. Стороны "
            "обсудили расширение инвестиционного сотрудничества и прямое авиасообщение.",
        },
    ]
    server.add("kz.xml", rss(kazinform).encode())
    server.add("ru.xml", rss(tengri).encode())
    feeds = [
        await add_feed(redis, server.url("kz.xml"), "Kazinform"),
        await add_feed(redis, server.url("ru.xml"), "Tengrinews", "ru"),
    ]
    clock = FakeClock(NOW)
    async with FeedFetcher(LOCAL) as fetcher:
        poller = make_poller(redis, fetcher, clock)
        for feed in feeds:
            await poller.poll([feed])
    articles = await ArticleStore(redis).get_many([a async for a in _all_ids(redis)])
    story = {a.url: a.story_id for a in articles}
    assert story["https://kaz.inform.kz/news/1"] == story["https://tengrinews.kz/news/1"]
    assert len(set(story.values())) == 3


async def _all_ids(redis: Redis) -> AsyncIterator[str]:
    from bot import keys

    for article_id in await redis.zrange(keys.articles_by_time(), 0, -1):
        yield article_id
