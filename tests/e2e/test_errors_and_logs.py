"""A failing call is logged with its context, the user hears about it, the token never shows."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from bot.logs import configure_logging
from tests.conftest import telegram_user
from tests.fakes.telegram_server import BotApiStandIn


async def test_a_failed_reply_is_logged_with_context_and_without_the_token(
    running_app: Application, bot_api: BotApiStandIn, capfd: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", "json", secrets=[bot_api.token])
    # The first reply fails with a 500; the error handler's apology then goes through.
    bot_api.inject("sendMessage", "500", times=1)
    bot_api.send_command(telegram_user(3001, language_code="en"), "/help")

    replies = await bot_api.wait_for("sendMessage")
    assert "Sorry, something went wrong" in replies[0].params["text"]

    logged = capfd.readouterr().err
    assert '"event": "handler_failed"' in logged
    assert '"user_id": 3001' in logged
    assert '"text": "/help"' in logged
    assert bot_api.token not in logged
    assert bot_api.token.split(":")[1] not in logged
