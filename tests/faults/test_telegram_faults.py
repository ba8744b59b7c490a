"""Telegram misbehaving under the running bot: a 429 storm through a digest run for many
chats, and the Bot API gone for a while. Every message arrives once, each chat's in order.

tests/e2e/test_delivery.py already has a small 429 storm (12 refusals, 3 chats, outbox
entries put in by hand); this one goes through the digest run itself, run twice at once,
with a refusal for every message in flight, and checks retry_after per chat.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from telegram.ext import Application

import summarizer
from bot import keys
from bot.articles import Article
from bot.clock import FakeClock
from bot.outbox import OutgoingMessage
from bot.services import Services
from tests.conftest import outbox_drained, telegram_user
from tests.fakes.telegram_server import ApiCall, BotApiStandIn
from tests.faults.news import EVENTS
from tests.waiting import quiet, until

STORM_CHATS = 40
STORIES = 10
REFUSALS = 120  # about one per message: every chat is refused again and again
RETRY_AFTER = 1
# The minute: past the sender's backoffs (1, 3, 7, 15, 31 s after the first
# failure) and PTB's getUpdates backoff, so both must come back on their own, and long
# enough to show how late the queue goes out once Telegram is back (the `until` below).
OUTAGE_SECONDS = 60.0
_STORY_NUMBER = re.compile(r"^(\d+)\. <b>", re.M)


async def _store_politics(services: Services, clock: FakeClock, count: int) -> None:
    """`count` stories long enough that a digest of them takes several messages."""
    for number in range(count):
        title, body = EVENTS[number % len(EVENTS)]
        long_body = " ".join([body] * 4)
        fetched = clock() - timedelta(hours=1, minutes=number)
        await services.articles.save(
            Article(
                id=f"storm{number}",
                feed_url="https://example.kz/rss",
                source="Kazinform",
                url=f"https://example.kz/news/{number}",
                title=f"{title} №{number}",
                lead=body,
                body=long_body,
                language="ru",
                published=fetched,
                fetched=fetched,
                politics_score=0.9,
                is_politics=True,
                summary=[
                    *summarizer.summarize(long_body, "ru", max_sentences=3, max_chars=600),
                    f"Подробности {number}: " + "правительство " * 40,
                ],
                story_id=f"storm{number}",
            )
        )


def _honoured_retry_after(calls: list[ApiCall], chat_id: int) -> bool:
    """After each 429 to this chat, its next attempt came no sooner than retry_after."""
    mine = [c for c in calls if c.method == "sendMessage" and c.params.get("chat_id") == chat_id]
    return all(
        later.at - refused.at >= RETRY_AFTER - 0.05
        for refused, later in itertools.pairwise(mine)
        if refused.status == 429
    )


@pytest.mark.timeout(90)
async def test_a_429_storm_over_a_digest_run_delivers_every_part_once_in_order(
    running_app: Application, bot_api: BotApiStandIn, services: Services, clock: FakeClock
) -> None:
    await _store_politics(services, clock, STORIES)
    chats = [610_000 + n for n in range(STORM_CHATS)]
    for chat in chats:
        await services.subscribers.subscribe(chat, chat, "ru", "Asia/Almaty")
    due = clock().timestamp() - 60
    await services.redis.zadd(keys.digests_due(), {str(chat): due for chat in chats})
    bot_api.inject("sendMessage", "429", times=REFUSALS, retry_after=RETRY_AFTER)

    # Two runs at once, as two instances in the same minute would: one digest each.
    await asyncio.gather(services.digests.send_due(), services.digests.send_due())

    await until(lambda: _depth_zero(services), 75, "every digest out of the outbox")
    assert await outbox_drained(services)
    await quiet(bot_api)

    refused = [c for c in bot_api.calls if c.method == "sendMessage" and c.status == 429]
    assert len(refused) == REFUSALS
    sent = bot_api.sent_messages()
    assert max(Counter((c.params["chat_id"], c.params["text"]) for c in sent).values()) == 1
    parts: dict[int, list[str]] = defaultdict(list)
    for call in sent:
        parts[call.params["chat_id"]].append(call.params["text"])
    assert set(parts) == set(chats)
    assert len({len(p) for p in parts.values()}) == 1, "chats got different numbers of parts"
    assert len(parts[chats[0]]) >= 2, "one message per chat: order not tested"
    print(f"\n{len(sent)} parts to {STORM_CHATS} chats through {len(refused)} refusals")
    for chat, texts in parts.items():
        numbers = [int(n) for t in texts for n in _STORY_NUMBER.findall(t)]
        assert numbers == list(range(1, STORIES + 1)), f"chat {chat}: {numbers}"
        assert _honoured_retry_after(bot_api.calls, chat)


async def _depth_zero(services: Services) -> bool:
    return await services.outbox.depth() == 0


@pytest.mark.timeout(180)
async def test_the_bot_api_unreachable_then_back_delivers_the_queue_once_and_polls_again(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    user = telegram_user(620_001, language_code="en")
    bot_api.send_command(user, "/start")
    await bot_api.wait_for("sendMessage")

    await bot_api.unreachable()
    chats = [620_100 + n for n in range(5)]
    queued = [
        OutgoingMessage(key=f"down:{chat}:{i}", chat_id=chat, text=f"<b>#{i}</b> to {chat}")
        for i in range(3)
        for chat in chats
    ]
    assert await services.outbox.enqueue(queued) == len(queued)
    await asyncio.sleep(OUTAGE_SECONDS)  # the outage itself is the fault under test
    # Written while the bot could not reach Telegram: it waits there for getUpdates.
    bot_api.send_command(user, "/help")
    await bot_api.reachable()

    await until(
        lambda: len(bot_api.sent_messages()) >= 2 + len(queued), 45, "the queue after the outage"
    )
    assert await outbox_drained(services)
    await quiet(bot_api)

    sent = bot_api.sent_messages()
    counts = Counter((c.params["chat_id"], c.params["text"]) for c in sent)
    assert {(m.chat_id, m.text) for m in queued} <= set(counts)
    assert max(counts.values()) == 1
    for chat in chats:
        texts = [c.params["text"] for c in bot_api.sent_messages(chat)]
        assert texts == [f"<b>#{i}</b> to {chat}" for i in range(3)]
    # getUpdates came back: the /help sent during the outage was answered.
    replies = [c.params["text"] for c in bot_api.sent_messages(user["id"])]
    assert len(replies) == 2
    assert "/search" in replies[1]
