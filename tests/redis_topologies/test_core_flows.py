"""The bot's core flows on a Redis Cluster, behind Sentinel and on a unix socket: each
test runs once per deployment (see conftest), with the client `REDIS_URL` gives the bot.

On the Cluster the key families sit on different masters ({subs}, {articles}, {feeds},
{alerts} on the first, {search} on the second, {stories} and {outbox} on the third), so
a script, transaction or multi-key command whose keys were not tagged alike fails there
with CROSSSLOT; these tests run every one of them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from telegram.ext import Application

from bot import keys, stats
from bot.articles import Article
from bot.clock import FakeClock
from bot.feeds import Feed, feed_id_for
from bot.health import check_health, record_poll_done
from bot.ingest.fetch import FeedFetcher
from bot.outbox import OutgoingMessage
from bot.poller import Poller
from bot.redis_client import RedisClient
from bot.redis_server import client_name
from bot.search_query import parse_query
from bot.services import Services
from bot.story_index import StoryIndex
from tests.conftest import outbox_drained, telegram_user
from tests.e2e.test_digest import EIGHT_IN_ALMATY, ingest_samples, is_digest, run_job
from tests.fakes.feed_server import FeedServer
from tests.fakes.telegram_server import BotApiStandIn
from tests.ingest.feeds import LOCAL, POLITICS_KK, POLITICS_RU, rss
from tests.redis_topologies.servers import Deployment

INTERVAL = timedelta(minutes=5)
KK_ITEM = {**POLITICS_KK, "link": "https://example.kz/kk/1"}
RU_ITEM = {**POLITICS_RU, "link": "https://example.kz/ru/2"}
CHANNEL = {"id": -1001001, "type": "channel", "title": "Саясат", "username": "sayasat_news"}
OWNER_ID = 900


@pytest.fixture
def clock() -> FakeClock:
    """22:00 in Almaty on 24 November, after the sample feeds' items were published."""
    return FakeClock(datetime(2026, 11, 24, 17, 0, tzinfo=UTC))


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as server:
        yield server


async def test_the_url_gives_the_client_of_its_topology(
    redis: RedisClient, topology: Deployment
) -> None:
    await redis.set("sayasat:probe", "қазақ")
    assert await redis.get("sayasat:probe") == "қазақ"  # decoded, as the stores expect
    assert await redis.client_getname() == client_name()
    if topology.url.startswith("redis+cluster://"):
        assert isinstance(redis, RedisCluster)
        assert len(redis.get_primaries()) == 3
    else:
        assert isinstance(redis, Redis)


async def test_polling_stores_each_item_once_indexes_it_and_alerts_once(
    services: Services, feed_server: FeedServer, clock: FakeClock
) -> None:
    await services.subscribers.subscribe(801, 801, "kk", "Asia/Almaty")
    await services.alerts.add(801, "сайлау")
    url = feed_server.url("kz.xml")
    feed_server.add("kz.xml", rss([KK_ITEM]).encode())
    feed = Feed(id=feed_id_for(url), url=url, name="Egemen", language="kk")
    await services.feeds.add(feed, due=clock())

    async with FeedFetcher(LOCAL) as fetcher:
        poller = Poller(services.feeds, fetcher, services.ingest_pipeline(fetcher), clock, INTERVAL)
        [first] = await poller.poll_due()
        feed_server.add("kz.xml", rss([KK_ITEM, RU_ITEM]).encode())
        clock.advance(INTERVAL)
        [second] = await poller.poll_due()
        clock.advance(INTERVAL)
        [third] = await poller.poll_due()

    assert (first.new, first.seen, first.error) == (1, 0, None)
    assert (second.new, second.seen, second.error) == (1, 1, None)
    assert third.not_modified
    assert await services.articles.count() == 2
    stored = await services.feeds.get(feed.id)
    assert stored is not None
    assert (stored.items_total, stored.failures) == (2, 0)

    election = await services.search.find("сайлау")
    assert [a.url for a in election.articles] == [KK_ITEM["link"]]
    border = await services.search.find("Узбекистан lang:ru")
    assert [a.url for a in border.articles] == [RU_ITEM["link"]]

    queued = await services.redis.xrange(keys.outbox())
    assert [(f["chat_id"], f["kind"]) for _id, f in queued] == [("801", "alert")]


async def test_the_outbox_delivers_each_message_once_and_in_order(
    running_app: Application, bot_api: BotApiStandIn, services: Services, clock: FakeClock
) -> None:
    chats = (811, 812, 813)
    batch = [
        OutgoingMessage(key=f"t:{chat}:{i}", chat_id=chat, text=f"<b>#{i}</b>")
        for chat in chats
        for i in range(3)
    ]
    assert await services.outbox.enqueue(batch) == 9
    assert await services.outbox.enqueue(batch) == 0

    await bot_api.wait_for("sendMessage", count=9)
    assert await outbox_drained(services)
    for chat in chats:
        texts = [c.params["text"] for c in bot_api.sent_messages(chat)]
        assert texts == ["<b>#0</b>", "<b>#1</b>", "<b>#2</b>"]
    assert all([await services.outbox.was_sent(m.key) for m in batch])
    assert (await services.outbox.stats(clock()))["sent"] == 9


async def test_subscribers_channels_and_the_daily_digest(
    running_app: Application, bot_api: BotApiStandIn, services: Services, clock: FakeClock
) -> None:
    bot_api.set_chat(CHANNEL)
    bot_api.set_chat_member(CHANNEL["id"], bot_api.bot_user["id"], "administrator",
                            can_post_messages=True)  # fmt: skip
    bot_api.set_chat_member(CHANNEL["id"], OWNER_ID, "creator", is_anonymous=False)
    bot_api.send_command(telegram_user(821), "/start")
    await bot_api.wait_for("sendMessage", predicate=lambda c: c.params["chat_id"] == 821)
    await services.channels.connect(running_app.bot, "@sayasat_news", OWNER_ID, "kk")

    assert await services.subscribers.active_ids() == [CHANNEL["id"], 821]
    assert await services.digests.next_due(821) == EIGHT_IN_ALMATY
    numbers = await stats.collect(
        services.redis, services.feeds, services.articles, services.outbox,
        await services.channels.ids(), clock(),
    )  # fmt: skip
    assert (numbers.active, numbers.channels) == (1, 1)  # the channel is not a subscriber
    assert await services.broadcasts.recipients() == [821]

    await ingest_samples(services)
    clock.now = EIGHT_IN_ALMATY
    await run_job(running_app, "due_digests")
    await run_job(running_app, "due_digests")  # a second run finds nothing due
    for chat in (821, CHANNEL["id"]):
        await bot_api.wait_for(
            "sendMessage", predicate=lambda c, chat=chat: c.params["chat_id"] == chat
            and is_digest(c),
        )  # fmt: skip
    assert await outbox_drained(services)
    for chat in (821, CHANNEL["id"]):
        assert len([c for c in bot_api.sent_messages(chat) if is_digest(c)]) == 1
        assert await services.digests.next_due(chat) == EIGHT_IN_ALMATY + timedelta(days=1)

    channel = await services.channels.get(CHANNEL["id"])
    assert channel is not None
    await services.channels.remove(channel)
    assert await services.channels.ids() == set()
    assert await services.digests.next_due(CHANNEL["id"]) is None
    assert await services.subscribers.active_ids() == [821]


def article(number: int, title: str, when: datetime, *, source: str = "Egemen") -> Article:
    return Article(
        id=f"a{number}",
        feed_url="https://example.kz/feed",
        source=source,
        url=f"https://example.kz/{number}",
        title=title,
        lead=title,
        body=f"{title}. Депутаттар заң жобасын талқылады.",
        language="kk",
        published=when,
        fetched=when,
        politics_score=0.9,
        is_politics=True,
    )


async def test_every_other_multi_key_operation_runs(services: Services, clock: FakeClock) -> None:
    now = clock()
    # Feeds: the hash, the set, the schedule and the seeded mark change together.
    feed = Feed(id="f1", url="https://example.kz/rss", name="Egemen", language="kk")
    await services.feeds.add(feed, due=now)
    await services.feeds.set_enabled("f1", False, due=now)
    assert await services.feeds.due(now) == []
    await services.feeds.set_enabled("f1", True, due=now)
    await services.feeds.record_failure(feed, now, "timeout", INTERVAL)
    assert await services.feeds.remove("f1")
    assert await services.feeds.all() == []

    # Subscribers: a group that became a supergroup keeps its settings; /forget.
    await services.subscribers.subscribe(-5, 831, "ru", "Asia/Almaty")
    await services.chat_moved(-5, -1005)
    moved = await services.subscribers.get(-1005)
    assert moved is not None
    assert moved.language == "ru"
    assert await services.subscribers.get(-5) is None
    await services.subscribers.set_last_digest(-1005, now)
    await services.alerts.add(-1005, "сайлау")
    await services.alerts.add(-1005, "Сенат")
    assert await services.alerts.remove(-1005, "Сенат")
    await services.forget_chat(-1005)
    assert await services.subscribers.active_ids() == []
    assert await services.alerts.keywords(-1005) == []

    # Articles, stories and search: two outlets with one report share a story; queries
    # with filters and the any-word fallback; retention unindexes.
    stories = StoryIndex(services.redis)
    title = "Тоқаев Ақордада Жапония премьер-министрі Фумио Кисидамен сайлау туралы сөйлесті"
    first = article(1, title, now)
    second = article(2, title, now, source="Kazinform")
    for item in (first, second):
        item.story_id = await stories.assign(item)
        await services.articles.save(item)
        assert await services.search.index.add(item)
    assert second.story_id == first.story_id
    assert [a.id for a in await services.articles.get_many(["a1", "a2"])] == ["a1", "a2"]
    filtered = await services.search.index.search(
        parse_query("сайлау source:kazinform lang:kk since:2026-11-01")
    )
    assert [h.article_id for h in filtered.hits] == ["a2"]
    either = await services.search.index.search(parse_query("сайлау Узбекистан"))
    assert (either.total, either.match_all) == (2, False)
    assert await services.search.index.prune(now + keys.ARTICLE_TTL + timedelta(days=1)) == 2
    assert await services.search.index.count() == 0
    assert await services.articles.cleanup(now + keys.ARTICLE_TTL + timedelta(days=1)) == 2

    # Outbox: a message Telegram refused for good, one already recorded as sent.
    await services.outbox.ensure_group()
    await services.outbox.enqueue(
        [OutgoingMessage(key=f"x:{i}", chat_id=841, text="…") for i in range(2)]
    )
    [(dead_id, dead), (done_id, _done)] = await services.outbox.read_new("t", 10, 100)
    await services.outbox.drop(dead_id, dead, "blocked", now)
    await services.outbox.acknowledge(done_id)
    assert await services.outbox.depth() == 0
    assert len(await services.redis.lrange(keys.outbox_dead(), 0, -1)) == 1

    # A broadcast is taken once.
    pending = await services.broadcasts.prepare(OWNER_ID, "<b>Жаңалық</b>")
    assert await services.broadcasts.take(pending.id, OWNER_ID) is not None
    assert await services.broadcasts.take(pending.id, OWNER_ID) is None


async def test_healthz_reads_the_poll_and_the_outbox(services: Services, clock: FakeClock) -> None:
    now = clock()
    await record_poll_done(services.redis, now - timedelta(seconds=40))
    await services.outbox.enqueue([OutgoingMessage(key="h:1", chat_id=7, text="x")])
    health = await check_health(services.redis, now, timedelta(minutes=5), started_at=now)
    assert health.healthy
    assert health.redis_ok
    assert health.last_poll_age_seconds == 40
    assert health.outbox_pending == 1
