"""Roles end to end: owners from ADMIN_IDS add and remove admins in chat, everyone else is
refused politely in their language and nothing changes, every admin action is audited."""

from __future__ import annotations

import json

import pytest
from redis.asyncio import Redis
from telegram.ext import Application

from bot import keys
from bot.services import Services
from config.settings import Settings
from tests.conftest import telegram_user
from tests.e2e.admin_helpers import OWNER, OWNER_ID, STRANGER, ask_one, with_admins
from tests.fakes.telegram_server import BotApiStandIn

ADMIN_COMMANDS = [
    "/admins",
    "/admins add 901",
    "/audit",
    "/feeds",
    "/addfeed https://example.kz/rss ru",
    "/removefeed abc",
    "/pausefeed abc",
    "/resumefeed abc",
    "/opml",
    "/channels",
    "/channels add @sayasat",
    "/channels remove -100123",
    "/channels test -100123",
    "/stats",
    "/broadcast Сәлем бәріңізге",
]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_admins(settings)


def menu(bot_api: BotApiStandIn, user_id: int, lang: str | None) -> list[str]:
    scope = json.dumps({"chat_id": user_id, "type": "chat"}, sort_keys=True)
    return [c["command"] for c in bot_api.commands.get((scope, lang), [])]


async def test_the_owner_adds_and_removes_an_admin(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    helper = telegram_user(555, language_code="en", first_name="Dana")
    listing = await ask_one(bot_api, OWNER, "/admins")
    assert "Owners</b> (ADMIN_IDS): 900" in listing
    assert "Administrators</b>: none" in listing
    assert "feeds" not in menu(bot_api, 555, "en")

    assert await ask_one(bot_api, OWNER, "/admins add 555") == "555 is now an administrator."
    assert await services.admins.is_admin(555)
    # The admin commands appear in the new admin's own menu, in each language.
    assert {"feeds", "stats", "channels", "start"} <= set(menu(bot_api, 555, "en"))
    assert "feeds" in menu(bot_api, 555, "kk")
    assert "Statistics" in await ask_one(bot_api, helper, "/stats")

    # An admin is not an owner: they cannot add or remove admins.
    refused = await ask_one(bot_api, helper, "/admins add 556")
    assert refused == "Sorry, only the bot's owners can add or remove administrators."
    assert not await services.admins.is_admin(556)
    assert "Administrators</b>: 555" in await ask_one(bot_api, helper, "/admins")

    assert await ask_one(bot_api, OWNER, "/admins remove 555") == (
        "555 is no longer an administrator."
    )
    assert menu(bot_api, 555, "en") == []
    refused = await ask_one(bot_api, helper, "/stats")
    assert refused == "Sorry, this command is only for the bot's administrators."

    audit = await ask_one(bot_api, OWNER, "/audit")
    lines = audit.split("\n\n")
    assert lines[0] == "<b>Admin actions</b> (latest 2):"
    # Newest first: who (name, @username, id), what, when (Almaty time of the fake clock).
    assert lines[1] == (
        "24.11 06:00 · Aigerim (@owner) (<code>900</code>) · <b>admins remove</b> · 555"
    )
    assert "<b>admins add</b> · 555" in lines[2]


async def test_owners_are_not_changed_in_chat_and_ids_are_checked(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    owner_note = "900 is an owner: owners are changed in the ADMIN_IDS setting, not in chat."
    assert await ask_one(bot_api, OWNER, "/admins remove 900") == owner_note
    assert await ask_one(bot_api, OWNER, "/admins add 900") == owner_note
    assert await ask_one(bot_api, OWNER, "/admins add Dana") == (
        "“Dana” is not a Telegram user id (a number is needed)."
    )
    assert await ask_one(bot_api, OWNER, "/admins remove 777") == "777 is not an administrator."
    assert await ask_one(bot_api, OWNER, "/admins add 777") == "777 is now an administrator."
    assert await ask_one(bot_api, OWNER, "/admins add 777") == "777 already is an administrator."
    assert await services.admins.admins() == [777]
    assert [e.action for e in await services.admins.recent()] == ["admins add"]


async def test_every_admin_command_refuses_a_stranger_and_changes_nothing(
    running_app: Application, bot_api: BotApiStandIn, services: Services, redis: Redis
) -> None:
    bot_api.set_chat({"id": -100123, "type": "channel", "title": "Саясат", "username": "sayasat"})
    bot_api.set_chat_member(
        -100123, bot_api.bot_user["id"], "administrator", can_post_messages=True
    )
    bot_api.set_chat_member(-100123, STRANGER["id"], "creator", is_anonymous=False)
    for command in ADMIN_COMMANDS:
        answer = await ask_one(bot_api, STRANGER, command)
        assert answer == "Извините, эта команда только для администраторов бота.", command
    kazakh = telegram_user(902, language_code="kk")
    assert await ask_one(bot_api, kazakh, "/stats") == (
        "Кешіріңіз, бұл команда тек бот әкімшілеріне арналған."
    )
    # An OPML file from a stranger is refused before it is even downloaded.
    bot_api.send_document(STRANGER, "feeds.opml", b"<opml><body/></opml>")
    [*_, refused] = await bot_api.wait_for(
        "sendMessage", count=len(ADMIN_COMMANDS) + 1, predicate=lambda c: c.params["chat_id"] == 901
    )
    assert "только для администраторов" in refused.params["text"]

    assert await services.admins.admins() == []
    assert await services.admins.recent() == []
    assert await services.feeds.all() == []
    assert await services.channels.all() == []
    assert await redis.xlen(keys.outbox()) == 0  # no broadcast, no test digest
    assert bot_api.calls_to("getFile") == []
    assert bot_api.calls_to("sendDocument") == []
    assert bot_api.calls_to("getChat") == []


async def test_help_has_an_admin_section_for_admins_only(
    running_app: Application, bot_api: BotApiStandIn
) -> None:
    for_owner = await ask_one(bot_api, OWNER, "/help")
    assert "<b>For administrators</b>" in for_owner
    assert "/addfeed URL [kk|ru|en] [politics]" in for_owner
    for_stranger = await ask_one(bot_api, STRANGER, "/help")
    assert "/addfeed" not in for_stranger
    assert "/broadcast" not in for_stranger


async def test_owners_get_the_admin_menu_at_start(
    running_app: Application, bot_api: BotApiStandIn
) -> None:
    for lang in ("kk", "ru", "en", None):
        assert {"feeds", "channels", "stats", "broadcast", "audit", "admins"} <= set(
            menu(bot_api, OWNER_ID, lang)
        )
    # Everyone else keeps the ordinary menu.
    default = [c["command"] for c in bot_api.commands[("default", "en")]]
    assert "stats" not in default
