"""The bot killed with SIGKILL in each stage of the pipeline, then started again: every
feed item is stored once and every alert it triggers is delivered once.

The real `python -m bot run` polls a local feed and sends through the Bot API stand-in.
A stage is found by what the bot visibly does: its own `ingest_stage` debug lines (the
process is stopped at the line, and killed only if it had not begun the next stage), the
feed request held open by the feed server (fetch), or a send held open by the stand-in
(deliver).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot import keys
from bot.alerts import AlertService
from bot.outbox import Outbox
from bot.redis_server import RedisServer
from bot.subscribers import SubscriberStore
from tests.bot_process import bot_env
from tests.fakes.feed_server import FeedServer
from tests.fakes.telegram_server import BotApiStandIn
from tests.faults.bot_process import FAULT_SETTINGS, LoggedBot, LogLine
from tests.faults.news import (
    ALERT_KEYWORD,
    NewsItem,
    assert_each_stored_once,
    news_items,
    serve_feed,
    stored_articles,
)
from tests.waiting import quiet, until

STAGES = ("fetch", "parse", "claim", "extract", "classify", "summarize", "store", "deliver")
LOGGED_STAGES = ("parse", "claim", "extract", "classify", "summarize", "store")
CHAT = 4242
ITEMS = 4


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    async with FeedServer() as server:
        yield server


def delivered(bot_api: BotApiStandIn, items: list[NewsItem]) -> Counter[str]:
    """How many times Telegram accepted each item's alert."""
    texts = [str(c.params["text"]) for c in bot_api.sent_messages(CHAT)]
    return Counter(i.title for i in items for t in texts if i.title in t)


def at_stage(stage: str):
    def matches(line: LogLine) -> bool:
        return line.get("event") == "ingest_stage" and line.get("stage") == stage

    return matches


@pytest.mark.timeout(90)
@pytest.mark.parametrize("stage", STAGES)
async def test_sigkill_in_a_stage_then_restart_stores_and_delivers_each_item_once(
    stage: str,
    bot_api: BotApiStandIn,
    redis_server: RedisServer,
    redis: Redis,
    feeds: FeedServer,
    tmp_path: Path,
) -> None:
    items = news_items(feeds, "kz", ITEMS)
    serve_feed(feeds, "kz.xml", items)
    feeds_file = tmp_path / "feeds.yaml"
    feeds_file.write_text(
        "feeds:\n"
        f'  - {{name: Fault News, url: "{feeds.url("kz.xml")}", language: ru, '
        "politics_only: true}\n"
    )
    subscribers = SubscriberStore(redis)
    await subscribers.subscribe(CHAT, CHAT, "ru", "Asia/Almaty")
    await AlertService(redis, subscribers, Outbox(redis)).add(CHAT, ALERT_KEYWORD)
    bot = LoggedBot(
        bot_env(bot_api, redis_server, tmp_path, feeds_file=feeds_file, **FAULT_SETTINGS),
        tmp_path,
        tmp_path / "bot.log",
    )
    if stage == "deliver":
        bot_api.timeout_delay = 3  # the first alert's send hangs until after the kill
        bot_api.inject("sendMessage", "timeout", times=1)
    else:
        # Telegram accepts nothing before the kill: a send accepted but not yet recorded
        # is the outbox's one documented duplicate, and not what this test is about.
        bot_api.inject("sendMessage", "500", times=100_000)
    if stage == "fetch":
        feeds.slow("kz.xml", 5)
    if stage in LOGGED_STAGES:
        bot.kill_at(at_stage(stage), "ingest_stage")
    killed_item = None

    try:
        bot.start()
        if stage == "fetch":
            await until(lambda: feeds.in_flight > 0, 30, "the feed request")
            await bot.kill()
        elif stage == "deliver":
            await until(lambda: bot_api.received["sendMessage"] > 0, 30, "the first alert's send")
            await bot.kill()
        else:
            killed_item = (await bot.wait_killed(30)).get("item")
            print(f"\nkilled at {stage} of item {killed_item} after {bot.misses} miss(es)")
            if killed_item is not None:
                lease = await redis.get(keys.seen_item(killed_item))
                assert lease != "done"
                # The claim's SET may or may not have left the process when it stopped;
                # from extract on, the lease is certainly there.
                if lease is None:
                    assert stage == "claim"
                    killed_item = None
                else:
                    assert lease.startswith("processing:")
        before = await stored_articles(redis)
        assert len(before) < ITEMS or stage == "deliver", "the kill came after the cycle"
        assert not delivered(bot_api, items)

        bot_api.clear_faults()
        feeds.slow("kz.xml", 0)
        cycles = len(bot.events("poll_cycle_done"))
        bot.start()
        await until(
            lambda: len(bot.events("poll_cycle_done")) > cycles, 30, "a poll cycle after restart"
        )
        # A lost item never gets its alert: the checks below then say which was lost.
        with contextlib.suppress(AssertionError):
            await until(lambda: sum(delivered(bot_api, items).values()) >= ITEMS, 15, "every alert")
        await quiet(bot_api)
        drained = await Outbox(redis).depth() == 0
    finally:
        await bot.stop()

    await assert_each_stored_once(redis, items)
    assert delivered(bot_api, items) == dict.fromkeys((i.title for i in items), 1)
    assert drained
    assert not bot.events("item_failed")
    assert not bot.events("handler_failed")
    if killed_item is not None:  # the restarted bot took over the dead one's lease
        assert bot.events("item_lease_taken_over", item=killed_item)
