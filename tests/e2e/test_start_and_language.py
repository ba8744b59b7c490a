"""A user meets the bot: /start, the language keyboard, /help, /language, unknown commands."""

from __future__ import annotations

import json

from redis.asyncio import Redis
from telegram.ext import Application

from bot import keys
from tests.conftest import telegram_user
from tests.fakes.telegram_server import BotApiStandIn


def _buttons(call_params: dict) -> list[dict]:
    markup = call_params["reply_markup"]
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [button for row in markup["inline_keyboard"] for button in row]


async def test_start_welcomes_in_the_users_language_and_stores_the_subscriber(
    running_app: Application, bot_api: BotApiStandIn, redis: Redis
) -> None:
    user = telegram_user(2001, language_code="ru")
    bot_api.send_command(user, "/start")

    [reply] = await bot_api.wait_for("sendMessage")
    assert reply.params["chat_id"] == 2001
    assert "Здравствуйте, Aigerim" in reply.params["text"]
    assert reply.params["parse_mode"] == "HTML"
    assert [b["callback_data"] for b in _buttons(reply.params)] == ["lang:kk", "lang:ru", "lang:en"]

    stored = await redis.hgetall(keys.subscriber(2001))
    assert stored["language"] == "ru"
    assert stored["active"] == "1"
    assert stored["timezone"] == "Asia/Almaty"
    assert await redis.sismember(keys.subscribers_active(), "2001")


async def test_start_falls_back_to_kazakh_for_other_client_languages(
    running_app: Application, bot_api: BotApiStandIn, redis: Redis
) -> None:
    bot_api.send_command(telegram_user(2002, language_code="de"), "/start")
    [reply] = await bot_api.wait_for("sendMessage")
    assert "Сәлем, Aigerim" in reply.params["text"]
    assert (await redis.hgetall(keys.subscriber(2002)))["language"] == "kk"


async def test_start_escapes_the_users_name(
    running_app: Application, bot_api: BotApiStandIn
) -> None:
    bot_api.send_command(telegram_user(2003, first_name="<b>Bek</b> & co"), "/start")
    [reply] = await bot_api.wait_for("sendMessage")
    assert "&lt;b&gt;Bek&lt;/b&gt; &amp; co" in reply.params["text"]


async def test_pressing_a_language_button_edits_the_message_and_saves_the_choice(
    running_app: Application, bot_api: BotApiStandIn, redis: Redis
) -> None:
    user = telegram_user(2004, language_code="kk")
    bot_api.send_command(user, "/start")
    [welcome] = await bot_api.wait_for("sendMessage")
    message = bot_api.last_message(2004)

    bot_api.press_button(user, message, "lang:en")

    [edit] = await bot_api.wait_for("editMessageText")
    assert edit.params["message_id"] == welcome.result["message_id"]
    assert edit.params["text"] == "Language set: English."
    assert "✓ English" in [b["text"] for b in _buttons(edit.params)]
    await bot_api.wait_for("answerCallbackQuery")
    assert (await redis.hgetall(keys.subscriber(2004)))["language"] == "en"

    bot_api.send_command(user, "/help")
    [_, help_reply] = await bot_api.wait_for("sendMessage", count=2)
    assert "news on Kazakhstan's politics" in help_reply.params["text"]


async def test_language_command_offers_the_keyboard_in_the_current_language(
    running_app: Application, bot_api: BotApiStandIn
) -> None:
    bot_api.send_command(telegram_user(2005, language_code="en"), "/language")
    [reply] = await bot_api.wait_for("sendMessage")
    assert reply.params["text"] == "Choose the interface language:"
    assert len(_buttons(reply.params)) == 3


async def test_unknown_command_and_stale_button_get_an_answer(
    running_app: Application, bot_api: BotApiStandIn
) -> None:
    user = telegram_user(2006, language_code="ru")
    bot_api.send_command(user, "/nonsense")
    [reply] = await bot_api.wait_for("sendMessage")
    assert "Такой команды нет" in reply.params["text"]

    bot_api.press_button(user, bot_api.last_message(2006), "gone:button")
    [answer] = await bot_api.wait_for("answerCallbackQuery")
    assert answer.params.get("text") == "Эта кнопка устарела."


async def test_a_photo_or_sticker_in_a_private_chat_gets_told_what_the_bot_reads(
    running_app: Application, bot_api: BotApiStandIn
) -> None:
    user = telegram_user(2008, language_code="kk")
    chat = bot_api.private_chat(user)
    photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]
    bot_api.push_update(
        {"message": {"message_id": 1, "date": 0, "chat": chat, "from": user, "photo": photo}}
    )
    [reply] = await bot_api.wait_for("sendMessage")
    assert reply.params["chat_id"] == 2008
    assert reply.params["text"].startswith("Мен мәтін мен командаларды түсінемін")

    # A sticker in a group is not addressed to the bot: no answer there.
    group = {"id": -2008, "type": "group", "title": "Chat"}
    sticker = {
        "file_id": "s1",
        "file_unique_id": "u2",
        "width": 9,
        "height": 9,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    bot_api.push_update(
        {"message": {"message_id": 2, "date": 0, "chat": group, "from": user, "sticker": sticker}}
    )
    bot_api.send_command(user, "/help")
    await bot_api.wait_for("sendMessage", count=2)
    assert bot_api.sent_messages(-2008) == []


async def test_post_init_sets_the_command_menu_in_three_languages(
    running_app: Application, bot_api: BotApiStandIn
) -> None:
    calls = bot_api.calls_to("setMyCommands")
    by_language = {c.params.get("language_code"): c.params["commands"] for c in calls}
    assert set(by_language) == {"kk", "ru", "en", None}
    ru = by_language["ru"]
    ru = json.loads(ru) if isinstance(ru, str) else ru
    assert {"command": "start", "description": "Подписаться"} in ru
