"""Several bot instances on one Redis: one leader polls, every instance sends, nothing is
done twice, and a killed leader or sender is replaced.

The first test runs three real `python -m bot run` processes against the Bot API
stand-in, the feed server (both served by this test's event loop) and the test Redis.
The others run the same classes in this process where a real process would make the
test wait a minute for nothing (a dead sender's messages are taken over after a minute).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from telegram import Bot

from bot import keys
from bot.clock import FakeClock
from bot.delivery import DeliverySettings, DeliveryWorker
from bot.leader import current_leader
from bot.outbox import Outbox, OutgoingMessage
from bot.redis_server import RedisServer
from bot.services import Services
from config.settings import Settings
from tests.bot_process import BotProcess, bot_env
from tests.fakes.feed_server import FeedServer
from tests.fakes.telegram_server import BotApiStandIn
from tests.ingest.feeds import POLITICS_KK, POLITICS_RU, rss

INSTANCES = ("bot-a", "bot-b", "bot-c")
LEADER_TTL = 3.0
FEEDS = 4
ITEMS_PER_FEED = 50
LATE_ITEMS = 10  # published while the leader lies dead
CHATS = 250
PER_CHAT = 4


def _items(feed: int, numbers: range) -> list[dict[str, str]]:
    sample = POLITICS_KK if feed % 2 == 0 else POLITICS_RU
    # Over 400 characters: a full text, so no article page is fetched.
    return [
        {
            "title": f"{sample['title']} ({feed}-{n})",
            "link": f"https://news.example.kz/{feed}/{n}",
            "description": f"{sample['description']} {sample['description']} №{feed}-{n}.",
        }
        for n in numbers
    ]


def _messages() -> list[OutgoingMessage]:
    # A chat's messages one after another, as a digest's parts are queued.
    return [
        OutgoingMessage(key=f"multi:{chat}:{i}", chat_id=chat, text=f"{chat} #{i}")
        for chat in range(600_000, 600_000 + CHATS)
        for i in range(PER_CHAT)
    ]


def _chats_out_of_order(bot_api: BotApiStandIn) -> int:
    texts: dict[int, list[str]] = {}
    for call in bot_api.sent_messages():
        texts.setdefault(call.params["chat_id"], []).append(call.params["text"])
    return sum(1 for t in texts.values() if t != sorted(t, key=lambda x: int(x.split("#")[1])))


def _events(log: Path, event: str) -> list[dict[str, Any]]:
    """The process's JSON log records of this event."""
    lines = log.read_text(errors="replace").splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    return [r for r in records if r.get("event") == event]


class Fleet:
    """The bot processes, by instance name, each with its own log."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.logs = {name: workdir / f"{name}.log" for name in INSTANCES}
        self.bots = {
            name: BotProcess({**env, "INSTANCE_NAME": name}, workdir, self.logs[name])
            for name in INSTANCES
        }
        self.killed: set[str] = set()

    def start(self) -> None:
        for bot in self.bots.values():
            bot.start()

    async def kill(self, name: str) -> None:
        self.killed.add(name)
        await self.bots[name].kill()

    async def stop(self) -> None:
        await asyncio.gather(*(bot.stop() for bot in self.bots.values()))

    def cycles(self) -> dict[str, list[dict[str, Any]]]:
        """Each instance's completed poll cycles."""
        return {name: _events(log, "poll_cycle_done") for name, log in self.logs.items()}

    def output(self) -> str:
        return "\n".join(f"--- {n}:\n{b.output()}" for n, b in self.bots.items())

    async def until(
        self, condition: Callable[[], Awaitable[bool]], timeout: float, what: str
    ) -> float:
        """Seconds until `condition` held; fails when a process died or after `timeout`."""
        started = time.monotonic()
        while not await condition():
            for name, bot in self.bots.items():
                if name not in self.killed and not bot.alive():
                    pytest.fail(f"{name} exited while {what}:\n{self.output()}")
            if time.monotonic() - started > timeout:
                pytest.fail(f"{what}: not within {timeout} s\n{self.output()}")
            await asyncio.sleep(0.02)
        return time.monotonic() - started


def _sends(bot_api: BotApiStandIn) -> Counter[tuple[int, str]]:
    return Counter((c.params["chat_id"], c.params["text"]) for c in bot_api.sent_messages())


async def _count(redis: Redis, pattern: str) -> int:
    return sum([1 async for _ in redis.scan_iter(match=pattern, count=1000)])


async def _pending_of(redis: Redis, consumer: str) -> int:
    for info in await redis.xinfo_consumers(keys.outbox(), keys.OUTBOX_GROUP):
        if info["name"] == consumer:
            return int(info["pending"])
    return 0


async def _claims(redis: Redis) -> Counter[str]:
    """Pipeline claims of feed items by state ('done' once the article is stored)."""
    states: Counter[str] = Counter()
    async for key in redis.scan_iter(match=keys.seen_item("*"), count=1000):
        states[await redis.get(key)] += 1
    return states


def _feeds_file(server: FeedServer, paths: list[str], workdir: Path) -> Path:
    lines = [
        f"  - {{name: Feed {n}, url: '{server.url(path)}', "
        f"language: {'kk' if n % 2 == 0 else 'ru'}, politics_only: true}}"
        for n, path in enumerate(paths)
    ]
    feeds_file = workdir / "feeds.yaml"
    feeds_file.write_text("feeds:\n" + "\n".join(lines) + "\n")
    return feeds_file


@pytest.mark.timeout(120)
async def test_three_instances_poll_once_send_once_and_replace_a_killed_leader(
    bot_api: BotApiStandIn, redis_server: RedisServer, redis: Redis, tmp_path: Path
) -> None:
    outbox = Outbox(redis)
    await outbox.ensure_group()
    total, messages = FEEDS * ITEMS_PER_FEED, _messages()

    async def consumers_reading() -> bool:
        consumers = await redis.xinfo_consumers(keys.outbox(), keys.OUTBOX_GROUP)
        return len(consumers) == len(INSTANCES)

    def stored(count: int) -> Callable[[], Awaitable[bool]]:
        async def check() -> bool:
            return await redis.zcard(keys.articles_by_time()) >= count

        return check

    async def all_sent() -> bool:
        return len(bot_api.sent_messages()) >= len(messages) and await outbox.depth() == 0

    async with FeedServer() as server:
        paths = [f"feed-{n}.xml" for n in range(FEEDS)]
        for n, path in enumerate(paths):
            server.add(path, rss(_items(n, range(ITEMS_PER_FEED))).encode())
        env = bot_env(
            bot_api,
            redis_server,
            tmp_path,
            feeds_file=_feeds_file(server, paths, tmp_path),
            FETCH_ALLOW_NETWORKS="127.0.0.0/8",
            LEADER_TTL=str(LEADER_TTL),
            PRIVATE_CHAT_INTERVAL="0.05",
            # Telegram's 30/s would stretch this test; the stand-in takes more.
            SEND_RATE_OVERALL="2000",
            HTTP_PORT="0",  # three processes on one machine: no shared HTTP port
            LOG_LEVEL="INFO",
            LOG_FORMAT="json",
        )
        fleet = Fleet(env, tmp_path)
        try:
            fleet.start()
            up = await fleet.until(consumers_reading, 60, "starting")
            enqueued_at = time.monotonic()
            assert await outbox.enqueue(messages) == len(messages)
            await fleet.until(stored(total), 30, "polling")
            await fleet.until(all_sent, 30, "delivering")
            delivered = time.monotonic() - enqueued_at
            unordered = _chats_out_of_order(bot_api)

            # One leader, and it alone polled: each feed fetched once, each item stored once.
            leader = await current_leader(redis)
            assert leader in INSTANCES
            cycles = fleet.cycles()
            assert [name for name, done in cycles.items() if done] == [leader]
            assert sum(int(c["new"]) for c in cycles[leader]) == total
            assert [server.hits(p) for p in paths] == [1] * FEEDS
            assert await _count(redis, keys.article("*")) == total
            assert await _claims(redis) == Counter({"done": total})
            # Every message sent exactly once by the instances' consumers together.
            assert _sends(bot_api) == Counter({(m.chat_id, m.text): 1 for m in messages})

            # The leader dies. Its feeds are left due, as a death mid-cycle leaves them,
            # and one of them has new items.
            killed_at = time.monotonic()
            await fleet.kill(leader)
            feed_ids = await redis.zrange(keys.feeds_due(), 0, -1)
            await redis.zadd(keys.feeds_due(), dict.fromkeys(feed_ids, 0))
            server.add(paths[0], rss(_items(0, range(ITEMS_PER_FEED + LATE_ITEMS))).encode())

            async def replaced() -> bool:
                return await current_leader(redis) not in (None, leader)

            await fleet.until(replaced, LEADER_TTL * 3, "electing a new leader")
            takeover = time.monotonic() - killed_at
            successor = await current_leader(redis)
            await fleet.until(stored(total + LATE_ITEMS), 20, "the new leader polling")
            polled = time.monotonic() - killed_at
        finally:
            await fleet.stop()

    print(
        f"\n{len(INSTANCES)} instances reading in {up:.1f} s; {len(messages)} messages sent "
        f"once each in {delivered:.1f} s ({unordered} of {CHATS} chats not in order), "
        f"{total} articles stored once; leader {leader} killed: "
        f"{successor} led {takeover:.2f} s later (LEADER_TTL {LEADER_TTL:g} s) and had the "
        f"{LATE_ITEMS} new items stored {polled:.2f} s after the kill"
    )
    assert successor in INSTANCES
    assert successor != leader
    # The lock outlives its dead holder by at most the TTL; the others ask as it expires.
    assert takeover <= LEADER_TTL + 0.5
    cycles = fleet.cycles()
    assert sorted(name for name, done in cycles.items() if done) == sorted({leader, successor})
    assert sum(int(c["new"]) for c in cycles[successor]) == LATE_ITEMS
    assert [server.hits(p) for p in paths] == [2] * FEEDS
    assert await _count(redis, keys.article("*")) == total + LATE_ITEMS
    assert await _claims(redis) == Counter({"done": total + LATE_ITEMS})
    assert max(_sends(bot_api).values()) == 1


CLAIM_AFTER_MS = 1000  # how long a sender must be silent to count as dead (60 s in the bot)


async def test_a_dead_senders_messages_are_sent_once_by_another_and_a_busy_ones_are_not_taken(
    bot_api: BotApiStandIn, services: Services
) -> None:
    outbox = services.outbox
    await outbox.ensure_group()
    orphans = [
        OutgoingMessage(key=f"orphan:{chat}", chat_id=chat, text=f"orphan {chat}")
        for chat in range(800_000, 800_300)
    ]
    await outbox.enqueue(orphans)
    # What a killed instance leaves: entries it read and never acknowledged.
    assert len(await outbox.read_new("dead", 1000, 100)) == len(orphans)

    def worker(bot: Bot, name: str, pace: float, claim_after_ms: int) -> DeliveryWorker:
        return DeliveryWorker(
            outbox,
            bot,
            on_chat_gone=services.chat_unreachable,
            on_chat_moved=services.chat_moved,
            settings=DeliverySettings(
                consumer=name,
                private_chat_interval=pace,
                block_ms=200,
                abandoned_after_ms=claim_after_ms,
            ),
        )

    busy_chat = 900_001
    queued = [
        OutgoingMessage(key=f"busy:{i}", chat_id=busy_chat, text=f"busy #{i}") for i in range(12)
    ]
    async with Bot(bot_api.token, base_url=bot_api.base_url) as bot:
        # "busy" takes a chat's 12 messages and sends one every 0.4 s: they wait up to
        # 4.8 s in its queue, several times as long as a dead sender's wait to be taken over.
        # It takes nothing over itself within the test, so only reading keeps it alive.
        busy = worker(bot, "busy", 0.4, claim_after_ms=600_000)
        other = worker(bot, "other", 0.0, claim_after_ms=CLAIM_AFTER_MS)
        tasks = [asyncio.create_task(busy.run())]
        try:
            await outbox.enqueue(queued)
            for _ in range(200):
                if await _pending_of(services.redis, "busy") == len(queued):
                    break
                await asyncio.sleep(0.01)
            tasks.append(asyncio.create_task(other.run()))
            await bot_api.wait_for("sendMessage", count=len(orphans) + len(queued), timeout=30)
            for _ in range(100):  # the last acknowledgements land just after the last sends
                if await outbox.depth() == 0:
                    break
                await asyncio.sleep(0.05)
        finally:
            await busy.close()
            await other.close()
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    assert _sends(bot_api) == Counter({(m.chat_id, m.text): 1 for m in orphans + queued})
    busy_texts = [c.params["text"] for c in bot_api.sent_messages(busy_chat)]
    assert busy_texts == [m.text for m in queued]  # in order, by the one sender
    assert await outbox.depth() == 0
    pending = await services.redis.xpending(keys.outbox(), keys.OUTBOX_GROUP)
    assert pending["pending"] == 0


async def test_two_instances_running_the_digest_job_at_once_build_each_digest_once(
    services: Services, settings: Settings, redis: Redis, clock: FakeClock
) -> None:
    other = Services(settings=settings, redis=redis, clock=clock)
    chats = range(500_000, 500_040)
    for chat in chats:
        sub, _new = await services.subscribers.subscribe(chat, chat, "en", "Asia/Almaty")
        await services.digests.schedule(sub)
    clock.advance(timedelta(hours=2))  # 08:00 in Almaty: every digest is due

    built = await asyncio.gather(services.digests.send_due(), other.digests.send_due())

    assert sum(built) == len(chats)
    assert await services.outbox.depth() == len(chats)
    for chat in chats:
        due = await services.digests.next_due(chat)
        assert due is not None
        assert due - clock() == timedelta(days=1)
