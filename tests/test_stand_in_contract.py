"""The Bot API stand-in against python-telegram-bot itself: every canned answer must parse
with PTB's de_json and every injected error must raise PTB's own exception, so a PTB
upgrade cannot silently break the stand-in the end-to-end tests rely on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    BotCommand,
    ChatFullInfo,
    ChatMemberAdministrator,
    ChatMemberLeft,
    Update,
    User,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.request import HTTPXRequest

from tests.fakes.telegram_server import BotApiStandIn

USER = {"id": 42, "is_bot": False, "first_name": "Dana", "language_code": "kk"}


@pytest.fixture
async def bot(bot_api: BotApiStandIn) -> AsyncIterator[Bot]:
    request = HTTPXRequest(read_timeout=1.0)
    async with Bot(bot_api.token, base_url=bot_api.base_url, request=request) as client:
        yield client


async def test_get_me_parses_as_a_bot_user(bot: Bot, bot_api: BotApiStandIn) -> None:
    me = await bot.get_me()
    assert isinstance(me, User)
    assert me.is_bot
    assert me.username == "sayasat_test_bot"
    assert User.de_json(bot_api.bot_user, bot) == me


async def test_send_and_edit_message_round_trip(bot: Bot, bot_api: BotApiStandIn) -> None:
    sent = await bot.send_message(42, "<b>Сәлем</b>", parse_mode="HTML")
    assert sent.chat.id == 42
    assert sent.text == "<b>Сәлем</b>"
    assert sent.from_user is not None
    assert sent.from_user.is_bot
    edited = await bot.edit_message_text("Жаңа", chat_id=42, message_id=sent.message_id)
    assert not isinstance(edited, bool)
    assert edited.text == "Жаңа"
    assert edited.edit_date is not None
    assert bot_api.last_message(42)["text"] == "Жаңа"
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=42, message_id=999)


async def test_commands_chat_and_members_parse(bot: Bot, bot_api: BotApiStandIn) -> None:
    assert await bot.set_my_commands([BotCommand("start", "Жазылу")], language_code="kk")
    assert await bot.get_my_commands(language_code="kk") == (BotCommand("start", "Жазылу"),)
    bot_api.set_chat({"id": -1001, "type": "channel", "title": "Саясат", "username": "sayasat"})
    chat = await bot.get_chat("@sayasat")
    assert isinstance(chat, ChatFullInfo)
    assert chat.id == -1001
    bot_api.set_chat_member(-1001, bot_api.bot_user["id"], "administrator", can_post_messages=True)
    member = await bot.get_chat_member(-1001, bot_api.bot_user["id"])
    assert isinstance(member, ChatMemberAdministrator)
    assert member.can_post_messages
    assert isinstance(await bot.get_chat_member(-1001, 7), ChatMemberLeft)
    with pytest.raises(BadRequest, match=r"[Cc]hat not found"):
        await bot.get_chat("@nowhere")
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.set_webhook("https://example.invalid/hook")
    assert await bot.delete_webhook()


async def test_every_pushed_update_kind_parses(bot: Bot, bot_api: BotApiStandIn) -> None:
    command = bot_api.send_command(USER, "/start@sayasat_test_bot")
    bot_api.send_text(USER, "Мәжіліс")
    bot_api.press_button(USER, command, "lang:ru")
    bot_api.send_inline_query(USER, "Сенат")
    bot_api.my_chat_member(USER, bot_api.private_chat(USER), "member", "kicked")
    bot_api.my_chat_member(USER, bot_api.private_chat(USER), "kicked", "member")
    updates = await bot.get_updates(timeout=0)
    assert len(updates) == 6
    first = updates[0]
    assert first.message is not None
    assert first.message.text == "/start@sayasat_test_bot"
    assert first.message.entities[0].type == "bot_command"
    assert first.message.entities[0].length == len("/start@sayasat_test_bot")
    assert updates[1].message is not None
    assert updates[1].message.text == "Мәжіліс"
    assert updates[2].callback_query is not None
    assert updates[2].callback_query.data == "lang:ru"
    assert updates[3].inline_query is not None
    assert updates[3].inline_query.query == "Сенат"
    assert updates[4].my_chat_member is not None
    assert updates[4].my_chat_member.new_chat_member.status == "kicked"
    assert updates[5].my_chat_member is not None
    assert updates[5].my_chat_member.old_chat_member.status == "kicked"
    # And each one survives PTB's own serialisation round trip.
    for update in updates:
        assert Update.de_json(update.to_dict(), bot) == update


async def test_get_updates_long_polls_and_honours_the_offset(
    bot: Bot, bot_api: BotApiStandIn
) -> None:
    waiting = asyncio.create_task(bot.get_updates(timeout=5, read_timeout=10))
    await asyncio.sleep(0.2)
    assert not waiting.done()
    bot_api.send_text(USER, "бір")
    first = await asyncio.wait_for(waiting, 2)
    assert [u.message.text for u in first if u.message] == ["бір"]
    bot_api.send_text(USER, "екі")
    second = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
    assert [u.message.text for u in second if u.message] == ["екі"]


@pytest.mark.parametrize(
    ("error", "expected", "check"),
    [
        ("429", RetryAfter, lambda e: e.retry_after.total_seconds() == 3),
        ("403", Forbidden, lambda e: "blocked by the user" in e.message),
        ("400-chat-not-found", BadRequest, lambda e: "not found" in e.message.lower()),
        ("400-migrate", ChatMigrated, lambda e: e.new_chat_id == -100777),
        ("400-parse", BadRequest, lambda e: "can't parse entities" in e.message.lower()),
        ("500", NetworkError, lambda e: "Internal Server Error" in e.message),
        ("502", NetworkError, lambda e: True),
    ],
)
async def test_injected_errors_raise_ptbs_exceptions(
    bot: Bot, bot_api: BotApiStandIn, error: str, expected: type[Exception], check: object
) -> None:
    bot_api.inject("sendMessage", error, retry_after=3, migrate_to_chat_id=-100777)
    with pytest.raises(expected) as raised:
        await bot.send_message(42, "x")
    assert check(raised.value)  # type: ignore[operator]
    assert bot_api.calls[-1].status != 200
    # One injection, one failure: the next call goes through.
    assert (await bot.send_message(42, "y")).text == "y"


async def test_a_slow_answer_times_out(bot: Bot, bot_api: BotApiStandIn) -> None:
    bot_api.timeout_delay = 2.0
    bot_api.inject("sendMessage", "timeout")
    with pytest.raises(NetworkError):  # TimedOut is a NetworkError
        await bot.send_message(42, "x", read_timeout=0.3)


async def test_a_wrong_token_is_refused(bot_api: BotApiStandIn) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:wrong-token-wrong-token", base_url=bot_api.base_url):
            pass
