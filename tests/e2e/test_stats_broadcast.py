"""/stats and /broadcast end to end: the numbers an admin sees after real traffic, and an
announcement that leaves only after its author confirms it, once, through the outbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis
from telegram.ext import Application

from bot import keys
from bot.feeds import Feed
from bot.services import Services
from config.settings import Settings
from tests.conftest import outbox_drained, telegram_user
from tests.e2e.admin_helpers import OWNER, OWNER_ID, STRANGER, ask_one, with_admins
from tests.e2e.test_digest import ingest_samples, is_digest, subscribe
from tests.fakes.telegram_server import ApiCall, BotApiStandIn

NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_admins(settings)


async def blocked_soon(services: Services, chat_id: int) -> bool:
    """Telegram's 403 reaches the subscriber record a moment after the attempt."""
    for _ in range(100):
        sub = await services.subscribers.get(chat_id)
        if sub is not None and sub.blocked:
            return True
        await asyncio.sleep(0.05)
    return False


def confirmation(call: ApiCall) -> bool:
    return call.params["chat_id"] == OWNER_ID and "reply_markup" in call.params


async def make_audience(bot_api: BotApiStandIn, services: Services) -> None:
    """801 active, 802 paused, 803 active but about to block the bot, 804 unsubscribed."""
    for user_id in (801, 802, 803, 804):
        await subscribe(bot_api, user_id)
    sub = await services.subscribers.get(802)
    assert sub is not None
    sub.paused = True
    await services.subscribers.save(sub)
    await ask_one(bot_api, telegram_user(804), "/stop")
    bot_api.block(803)


async def test_a_broadcast_is_sent_once_after_confirmation(
    running_app: Application, bot_api: BotApiStandIn, services: Services, redis: Redis
) -> None:
    await make_audience(bot_api, services)

    # First thoughts: cancelled, nothing leaves.
    bot_api.send_command(OWNER, "/broadcast Draft")
    [draft] = await bot_api.wait_for("sendMessage", predicate=confirmation)
    assert draft.params["text"] == "This message goes to 2 subscribers. Send it?\n\nDraft"
    cancel_data = draft.params["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
    bot_api.press_button(OWNER, bot_api.last_message(OWNER_ID), cancel_data)
    [cancelled] = await bot_api.wait_for("editMessageText")
    assert cancelled.params["text"] == "Broadcast cancelled; nothing was sent."
    assert await redis.xlen(keys.outbox()) == 0

    bot_api.send_command(OWNER, "/broadcast Ертең 5 < 6 & жаңа мүмкіндік\nЕкінші жол")
    [_, pending] = await bot_api.wait_for("sendMessage", count=2, predicate=confirmation)
    buttons = pending.params["reply_markup"]["inline_keyboard"][0]
    assert buttons[0]["text"] == "✅ Send (2)"
    confirm_message = bot_api.last_message(OWNER_ID)
    send_data = buttons[0]["callback_data"]

    # Someone else's tap (a forwarded message, a guessed button) does nothing.
    bot_api.press_button(STRANGER, confirm_message, send_data)
    [refusal] = await bot_api.wait_for(
        "answerCallbackQuery", predicate=lambda c: bool(c.params.get("text"))
    )
    assert refusal.params["text"] == "Извините, эта команда только для администраторов бота."
    assert await redis.xlen(keys.outbox()) == 0

    bot_api.press_button(OWNER, confirm_message, send_data)
    bot_api.press_button(OWNER, confirm_message, send_data)  # a double tap
    [_, queued] = await bot_api.wait_for("editMessageText", count=2)
    assert queued.params["text"].startswith("Queued: 2 subscribers will get it.")
    [*_, expired] = await bot_api.wait_for(
        "answerCallbackQuery", count=2, predicate=lambda c: bool(c.params.get("text"))
    )
    assert expired.params["text"] == "This button has expired."
    assert await outbox_drained(services)

    text = "Ертең 5 &lt; 6 &amp; жаңа мүмкіндік\nЕкінші жол"
    [received] = [c for c in bot_api.sent_messages(801) if c.params["text"] == text]
    assert received.params["parse_mode"] == "HTML"
    for user_id in (802, 804, OWNER_ID):
        assert not [c for c in bot_api.sent_messages(user_id) if c.params["text"] == text]
    assert await blocked_soon(services, 803)  # Telegram said 403: no more sends there

    [entry] = await services.admins.recent(1)
    assert (entry.action, entry.actor_id) == ("broadcast", OWNER_ID)
    assert entry.detail.startswith("2 recipients: Ертең 5")


async def test_broadcast_usage_and_length(
    running_app: Application, bot_api: BotApiStandIn, redis: Redis
) -> None:
    assert await ask_one(bot_api, OWNER, "/broadcast") == (
        "Write the text after the command: /broadcast The announcement"
    )
    assert await ask_one(bot_api, OWNER, "/broadcast " + "ұзақ " * 800) == (
        "The text is too long: 3500 characters at most."
    )
    assert await redis.keys(keys.broadcast("*")) == []


async def test_stats_after_real_traffic(
    running_app: Application, bot_api: BotApiStandIn, services: Services, redis: Redis
) -> None:
    await make_audience(bot_api, services)
    await ingest_samples(services)
    await ask_one(bot_api, telegram_user(801), "/digest")  # one digest message delivered
    bot_api.send_command(telegram_user(803), "/digest")  # refused by Telegram: blocked
    for number, (failures, enabled) in enumerate([(0, True), (0, True), (6, True), (0, False)]):
        feed = Feed(
            id=f"f{number}",
            url=f"https://example.kz/{number}.xml",
            name=f"Feed {number}",
            language="kk",
            failures=failures,
            enabled=enabled,
        )
        await services.feeds.add(feed, due=NOW)
    await bot_api.wait_for("sendMessage", predicate=lambda c: is_digest(c))
    assert await blocked_soon(services, 803)
    assert await outbox_drained(services)

    stats = await ask_one(bot_api, OWNER, "/stats")
    articles = await services.articles.count()
    politics = await redis.zcard(keys.politics_by_arrival())
    assert 0 < politics < articles
    assert stats == (
        "<b>Statistics</b>\n"
        "Subscribers: 1 active, 1 paused, 1 blocked, 1 unsubscribed\n"
        "Channels and groups: 0\n"
        "Sent today (UTC): 1 digest messages, 0 alerts, 0 broadcasts\n"
        "Delivery failures today: forbidden 1\n"
        "Retried attempts: none\n"
        "Sources: 2 healthy, 1 unhealthy, 1 paused\n"
        f"Articles stored: {articles}, politics {round(100 * politics / articles)}%\n"
        "Waiting in the outbox: 0"
    )
