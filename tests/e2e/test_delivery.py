"""The outbox and its sender inside the running bot: Telegram's errors, order and pacing."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis
from telegram.ext import Application

from bot import keys
from bot.outbox import OutgoingMessage
from bot.services import Services
from tests.conftest import outbox_drained, telegram_user
from tests.fakes.telegram_server import BotApiStandIn


def messages(chat_id: int, count: int, prefix: str = "m") -> list[OutgoingMessage]:
    return [
        OutgoingMessage(key=f"{prefix}:{chat_id}:{i}", chat_id=chat_id, text=f"<b>#{i}</b>")
        for i in range(count)
    ]


async def test_a_429_storm_delays_but_delivers_everything_in_order(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    bot_api.inject("sendMessage", "429", times=12, retry_after=1)
    chats = (501, 502, 503)
    for chat in chats:
        await services.outbox.enqueue(messages(chat, 5))

    await bot_api.wait_for("sendMessage", count=15, timeout=60)

    refused = [c for c in bot_api.calls if c.method == "sendMessage" and c.status == 429]
    assert len(refused) == 12
    for chat in chats:
        texts = [c.params["text"] for c in bot_api.sent_messages(chat)]
        assert texts == [f"<b>#{i}</b>" for i in range(5)]
    assert await outbox_drained(services)


async def test_private_chats_get_at_most_one_message_per_interval(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    await services.outbox.enqueue(messages(511, 6))
    await bot_api.wait_for("sendMessage", count=6, timeout=20)
    interval = services.settings.private_chat_interval
    assert bot_api.max_rate(511, window=interval * 0.95) == 1


async def test_enqueueing_the_same_key_twice_sends_once(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    batch = messages(521, 3)
    assert await services.outbox.enqueue(batch) == 3
    assert await services.outbox.enqueue(batch) == 0
    await bot_api.wait_for("sendMessage", count=3)
    await services.outbox.enqueue(batch)
    assert len(bot_api.sent_messages(521)) == 3


async def test_each_acceptance_is_recorded_with_telegrams_message_id_and_counted(
    running_app: Application, bot_api: BotApiStandIn, services: Services, redis: Redis
) -> None:
    await services.outbox.enqueue(messages(525, 2, prefix="digest"))
    await services.outbox.enqueue(messages(526, 1, prefix="alert"))
    await bot_api.wait_for("sendMessage", count=3)
    assert await outbox_drained(services)
    week = keys.OUTBOX_KEY_TTL.total_seconds()
    for kind, chat, number in (("digest", 525, 0), ("digest", 525, 1), ("alert", 526, 0)):
        [sent] = [m for m in bot_api.sent_messages(chat) if m.params["text"] == f"<b>#{number}</b>"]
        key = keys.outbox_sent(f"{kind}:{chat}:{number}")
        # A restarted sender skips exactly these: the marker must outlive a long outage.
        assert await redis.get(key) == str(sent.result["message_id"])
        assert week - 60 < await redis.ttl(key) <= week
    stats = await services.outbox.stats(services.clock())
    assert (stats["sent"], stats["sent:digest"], stats["sent:alert"]) == (3, 2, 1)


async def test_a_blocked_user_is_deactivated_and_nothing_stays_queued(
    running_app: Application, bot_api: BotApiStandIn, services: Services, redis: Redis
) -> None:
    user = telegram_user(531)
    bot_api.send_command(user, "/start")
    await bot_api.wait_for("sendMessage")
    bot_api.block(531)

    await services.outbox.enqueue(messages(531, 2))
    for _ in range(100):
        sub = await services.subscribers.get(531)
        if sub is not None and sub.blocked and await services.outbox.depth() == 0:
            break
        await _tick()
    assert sub is not None
    assert sub.blocked
    assert not await redis.sismember(keys.subscribers_active(), "531")
    assert await redis.zscore(keys.digests_due(), "531") is None
    assert await outbox_drained(services)
    assert (await services.outbox.stats(services.clock())).get("failed:forbidden") == 2


async def test_chat_not_found_deactivates_too(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    await services.subscribers.subscribe(532, 532, "kk", "Asia/Almaty")
    bot_api.inject("sendMessage", "400-chat-not-found", chat_id=532)
    await services.outbox.enqueue(messages(532, 1))
    for _ in range(100):
        sub = await services.subscribers.get(532)
        if sub is not None and sub.blocked:
            break
        await _tick()
    assert sub is not None
    assert sub.blocked


async def test_a_migrated_group_gets_the_message_at_its_new_id(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    old, new = -541, -1000000000541
    await services.subscribers.subscribe(old, 77, "ru", "Asia/Almaty")
    bot_api.inject("sendMessage", "400-migrate", chat_id=old, migrate_to_chat_id=new)

    await services.outbox.enqueue(messages(old, 1))

    [sent] = await bot_api.wait_for("sendMessage")
    assert sent.params["chat_id"] == new
    assert await services.subscribers.get(old) is None
    moved = await services.subscribers.get(new)
    assert moved is not None
    assert moved.language == "ru"


async def test_server_errors_are_retried_until_accepted(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    bot_api.inject("sendMessage", "500", times=2, chat_id=551)
    await services.outbox.enqueue(messages(551, 1))
    [sent] = await bot_api.wait_for("sendMessage", timeout=20)
    assert sent.params["chat_id"] == 551
    failed = [c for c in bot_api.calls if c.method == "sendMessage" and c.status == 500]
    assert len(failed) == 2


async def test_broken_html_is_delivered_as_plain_text(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    bot_api.inject("sendMessage", "400-parse", chat_id=561)
    await services.outbox.enqueue(
        [OutgoingMessage(key="p:561", chat_id=561, text="<b>Сенат &amp; Мәжіліс</b>")]
    )
    [sent] = await bot_api.wait_for("sendMessage")
    assert sent.params["text"] == "Сенат & Мәжіліс"
    assert "parse_mode" not in sent.params


async def test_blocking_and_unblocking_the_bot_flips_the_subscriber(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    user = telegram_user(571)
    bot_api.send_command(user, "/start")
    await bot_api.wait_for("sendMessage")
    chat = bot_api.private_chat(user)

    bot_api.my_chat_member(user, chat, "member", "kicked")
    assert await _eventually(services, 571, blocked=True)
    bot_api.my_chat_member(user, chat, "kicked", "member")
    assert await _eventually(services, 571, blocked=False)
    # Unblocking stores the flag, then schedules the next digest: wait for both.
    for _ in range(100):
        if await services.digests.next_due(571) is not None:
            break
        await asyncio.sleep(0.05)
    assert await services.digests.next_due(571) is not None


async def _eventually(services: Services, chat_id: int, *, blocked: bool) -> bool:
    for _ in range(100):
        sub = await services.subscribers.get(chat_id)
        if sub is not None and sub.blocked == blocked:
            return True
        await _tick()
    return False


async def _tick() -> None:
    await asyncio.sleep(0.05)
