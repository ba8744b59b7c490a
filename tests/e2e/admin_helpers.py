"""Shared by the admin end-to-end tests: who the owner is, and asking the bot something."""

from __future__ import annotations

from config.settings import Settings
from tests.conftest import telegram_user
from tests.fakes.telegram_server import ApiCall, BotApiStandIn

OWNER_ID = 900
OWNER = telegram_user(OWNER_ID, language_code="en", username="owner")
STRANGER = telegram_user(901, language_code="ru")


def with_admins(settings: Settings) -> Settings:
    """The test settings with one owner."""
    return settings.model_copy(update={"admin_ids": frozenset({OWNER_ID})})


async def ask(bot_api: BotApiStandIn, user: dict, command: str, replies: int = 1) -> list[ApiCall]:
    """Send a command in the user's private chat; the bot's next `replies` messages."""
    chat_id = user["id"]
    before = len(bot_api.sent_messages(chat_id))
    bot_api.send_command(user, command)
    calls = await bot_api.wait_for(
        "sendMessage", count=before + replies, predicate=lambda c: c.params["chat_id"] == chat_id
    )
    return calls[before:]


async def ask_one(bot_api: BotApiStandIn, user: dict, command: str) -> str:
    [answer] = await ask(bot_api, user, command)
    return str(answer.params["text"])
