"""Channels and groups end to end: connected only after Telegram confirms that the bot may
post there and that the asking admin runs that chat; per-channel settings, a forum topic,
/channels test and the daily digest through the outbox; every refusal saves nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis
from telegram.ext import Application

from bot import keys
from bot.clock import FakeClock
from bot.services import Services
from config.settings import Settings
from tests.conftest import outbox_drained
from tests.e2e.admin_helpers import OWNER, OWNER_ID, ask_one, with_admins
from tests.e2e.test_digest import EIGHT_IN_ALMATY, ingest_samples, is_digest, run_job
from tests.fakes.telegram_server import BotApiStandIn

CHANNEL = {
    "id": -1001001,
    "type": "channel",
    "title": "Саясат жаңалықтары",
    "username": "sayasat_news",
}
FORUM = {"id": -1002002, "type": "supergroup", "title": "Саясат клубы", "is_forum": True}
GROUP = {"id": -1003003, "type": "supergroup", "title": "Журналистер"}
PRIVATE = {"id": 4242, "type": "private", "first_name": "Someone"}
RESTRICTED = {
    "is_member": True,
    "can_send_messages": False,
    "can_send_audios": False,
    "can_send_documents": False,
    "can_send_photos": False,
    "can_send_videos": False,
    "can_send_video_notes": False,
    "can_send_voice_notes": False,
    "can_send_polls": False,
    "can_send_other_messages": False,
    "can_add_web_page_previews": False,
    "can_change_info": False,
    "can_invite_users": False,
    "can_pin_messages": False,
    "can_manage_topics": False,
    "can_edit_tag": False,
    "can_react_to_messages": False,
    "until_date": 0,
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_admins(settings)


@pytest.fixture
def clock() -> FakeClock:
    """22:00 in Almaty on 24 November, after the sample feeds' items were published."""
    return FakeClock(datetime(2026, 11, 24, 17, 0, tzinfo=UTC))


@pytest.fixture
def chats(bot_api: BotApiStandIn) -> None:
    bot_id = bot_api.bot_user["id"]
    for chat in (CHANNEL, FORUM, GROUP, PRIVATE):
        bot_api.set_chat(chat)
    bot_api.set_chat_member(CHANNEL["id"], bot_id, "administrator", can_post_messages=True)
    bot_api.set_chat_member(CHANNEL["id"], OWNER_ID, "creator", is_anonymous=False)
    bot_api.set_chat_member(FORUM["id"], bot_id, "member")
    bot_api.set_chat_member(FORUM["id"], OWNER_ID, "administrator", can_post_messages=None)
    bot_api.set_chat_member(GROUP["id"], OWNER_ID, "creator", is_anonymous=False)


def posts(bot_api: BotApiStandIn, chat_id: int) -> list:
    return [c for c in bot_api.sent_messages(chat_id) if is_digest(c)]


@pytest.mark.usefixtures("chats")
async def test_a_channel_is_connected_and_gets_its_digest(
    running_app: Application, bot_api: BotApiStandIn, services: Services, clock: FakeClock
) -> None:
    connected = await ask_one(bot_api, OWNER, "/channels add @sayasat_news")
    assert connected.startswith(
        "Connected “Саясат жаңалықтары”. A digest every day at 08:00 (Asia/Almaty)."
    )
    [channel] = await services.channels.all()
    assert (channel.chat_id, channel.ref, channel.added_by) == (CHANNEL["id"], "@sayasat_news", 900)
    assert await services.digests.next_due(CHANNEL["id"]) == EIGHT_IN_ALMATY
    listing = await ask_one(bot_api, OWNER, "/channels list")
    assert "<b>Саясат жаңалықтары</b> · @sayasat_news · <code>-1001001</code>" in listing
    assert "Digest: 08:00 (Asia/Almaty), languages kk,ru, sources all, size 10" in listing
    assert "Next: 25.11 08:00 · active" in listing

    await ingest_samples(services)
    queued = await ask_one(bot_api, OWNER, "/channels test @sayasat_news")
    assert queued == "A digest for “Саясат жаңалықтары” is queued and will be posted in a moment."
    [test_post] = await bot_api.wait_for(
        "sendMessage", predicate=lambda c: c.params["chat_id"] == -1001001
    )
    assert is_digest(test_post)
    assert "Сенат халықаралық келісімді ратификациялады" in test_post.params["text"]
    assert "message_thread_id" not in test_post.params

    clock.now = EIGHT_IN_ALMATY
    await run_job(running_app, "due_digests")
    await bot_api.wait_for(
        "sendMessage", count=2, predicate=lambda c: c.params["chat_id"] == -1001001
    )
    assert len(posts(bot_api, CHANNEL["id"])) == 2
    assert await services.digests.next_due(CHANNEL["id"]) == EIGHT_IN_ALMATY + timedelta(days=1)
    actions = [e.action for e in await services.admins.recent()]
    assert actions == ["channels test", "channels add"]


@pytest.mark.usefixtures("chats")
async def test_a_forum_group_gets_its_digest_in_its_topic_with_its_settings(
    running_app: Application, bot_api: BotApiStandIn, services: Services, redis: Redis
) -> None:
    assert (await ask_one(bot_api, OWNER, "/channels add -1002002 77")).startswith(
        "Connected “Саясат клубы”."
    )
    for setting, value in [
        ("time", "21:30"),
        ("tz", "Europe/Moscow"),
        ("lang", "ru"),
        ("size", "5"),
        ("ui", "ru"),
        ("sources", "all"),
    ]:
        saved = await ask_one(bot_api, OWNER, f"/channels set -1002002 {setting} {value}")
        assert saved.startswith("Saved for “Саясат клубы”. Next digest:"), saved
    assert saved.endswith("Next digest: 24.11 21:30 (Europe/Moscow).")
    for setting, value, answer in [
        ("time", "25:00", "“25:00” is not a valid time. Nothing was changed."),
        ("tz", "Mars/Olympus", "“Mars/Olympus” is not a valid tz. Nothing was changed."),
        ("size", "7", "“7” is not a valid size. Nothing was changed."),
        ("lang", "de", "“de” is not a valid lang. Nothing was changed."),
        (
            "sources",
            "Nowhere News",
            "There is no source “Nowhere News” (see /feeds). Nothing was changed.",
        ),
    ]:
        assert await ask_one(bot_api, OWNER, f"/channels set -1002002 {setting} {value}") == answer
    sub = await services.subscribers.get(FORUM["id"])
    assert sub is not None
    assert (sub.digest_time, sub.timezone, sub.article_languages, sub.digest_size) == (
        "21:30",
        "Europe/Moscow",
        ["ru"],
        5,
    )
    assert (sub.language, sub.thread_id) == ("ru", 77)

    await ingest_samples(services)
    await ask_one(bot_api, OWNER, "/channels test -1002002")
    [post] = await bot_api.wait_for(
        "sendMessage", predicate=lambda c: c.params["chat_id"] == -1002002
    )
    assert post.params["message_thread_id"] == 77
    assert "Новости политики" in post.params["text"]  # the channel's own UI language
    assert "Мажилис одобрил поправки" in post.params["text"]
    assert "Сенат халықаралық" not in post.params["text"]  # Kazakh: filtered out
    assert await outbox_drained(services)

    assert await ask_one(bot_api, OWNER, "/channels set -1002002 topic none") == (
        "Saved for “Саясат клубы”. Next digest: 24.11 21:30 (Europe/Moscow)."
    )
    sub = await services.subscribers.get(FORUM["id"])
    assert sub is not None
    assert sub.thread_id == 0

    assert await ask_one(bot_api, OWNER, "/channels remove -1002002") == (
        "Disconnected “Саясат клубы”: no more digests there."
    )
    assert await services.subscribers.get(FORUM["id"]) is None
    assert await redis.zscore(keys.digests_due(), FORUM["id"]) is None
    assert await ask_one(bot_api, OWNER, "/channels list") == (
        "The bot posts to no channel or group yet. Add one: /channels add @name"
    )
    assert await ask_one(bot_api, OWNER, "/channels test -1002002") == (
        "-1002002 is not among the chats the bot posts to. The list: /channels list"
    )


@pytest.mark.usefixtures("chats")
async def test_every_failed_check_is_a_clear_error_and_saves_nothing(
    running_app: Application, bot_api: BotApiStandIn, services: Services, redis: Redis
) -> None:
    bot_id = bot_api.bot_user["id"]
    nothing = "Nothing was saved."
    assert await ask_one(bot_api, OWNER, "/channels add @nowhere") == (
        f"Telegram does not know the chat @nowhere, or the bot is not in it. {nothing}"
    )
    assert await ask_one(bot_api, OWNER, "/channels add sayasat!news") == (
        "“sayasat!news” is not a chat: give its @name or numeric id."
    )
    assert await ask_one(bot_api, OWNER, "/channels add 4242") == (
        f"4242 is a private chat; channels and groups only. {nothing}"
    )

    # The bot is not an administrator of the channel, then one that may not post.
    bot_api.set_chat_member(CHANNEL["id"], bot_id, "left")
    assert await ask_one(bot_api, OWNER, "/channels add @sayasat_news") == (
        "The bot is not an administrator of “Саясат жаңалықтары”. Make it one with the right "
        f"to post messages, then try again. {nothing}"
    )
    bot_api.set_chat_member(CHANNEL["id"], bot_id, "administrator", can_post_messages=False)
    assert await ask_one(bot_api, OWNER, "/channels add @sayasat_news") == (
        "The bot is an administrator of “Саясат жаңалықтары” but may not post messages. Give "
        f"it that right, then try again. {nothing}"
    )
    # The asking admin does not run that chat.
    bot_api.set_chat_member(CHANNEL["id"], bot_id, "administrator", can_post_messages=True)
    bot_api.set_chat_member(CHANNEL["id"], OWNER_ID, "member")
    assert await ask_one(bot_api, OWNER, "/channels add @sayasat_news") == (
        f"You are not an administrator of “Саясат жаңалықтары”, so you cannot connect it. {nothing}"
    )
    # Groups: the bot is not in it, then it is muted.
    assert await ask_one(bot_api, OWNER, "/channels add -1003003") == (
        f"The bot is not a member of “Журналистер”. Add it, then try again. {nothing}"
    )
    bot_api.set_chat_member(GROUP["id"], bot_id, "restricted", **RESTRICTED)
    assert await ask_one(bot_api, OWNER, "/channels add -1003003") == (
        f"The bot may not send messages in “Журналистер”. Allow it, then try again. {nothing}"
    )
    # A topic in a group without topics.
    bot_api.set_chat_member(GROUP["id"], bot_id, "member")
    assert await ask_one(bot_api, OWNER, "/channels add -1003003 5") == (
        f"“Журналистер” has no topics: leave the topic id out. {nothing}"
    )

    assert await services.channels.all() == []
    for chat_id in (CHANNEL["id"], GROUP["id"], PRIVATE["id"]):
        assert await services.subscribers.get(chat_id) is None
    assert await redis.zcard(keys.digests_due()) == 0
    assert await services.admins.recent() == []
    assert await ask_one(bot_api, OWNER, "/channels add -1003003") == (
        "Connected “Журналистер”. A digest every day at 08:00 (Asia/Almaty).\n"
        "Change: /channels set -1003003 time 08:00 · try it now: /channels test -1003003"
    )


async def test_channels_usage(running_app: Application, bot_api: BotApiStandIn) -> None:
    usage = await ask_one(bot_api, OWNER, "/channels frobnicate")
    assert usage.startswith("<b>Channels and groups</b>\n/channels list — the list")
    assert (await ask_one(bot_api, OWNER, "/channels set -100")).startswith(
        "/channels set ID setting value:"
    )
