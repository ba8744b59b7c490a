"""The error handler: log the failure with the update's context, tell the user."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.logs import get_logger
from bot.texts import text
from handlers.common import telegram_language

log = get_logger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    details: dict[str, object] = {"error_type": type(error).__name__, "error": str(error)}
    if isinstance(update, Update):
        details["update_id"] = update.update_id
        if update.effective_chat:
            details["chat_id"] = update.effective_chat.id
        if update.effective_user:
            details["user_id"] = update.effective_user.id
        if update.effective_message and update.effective_message.text:
            details["text"] = update.effective_message.text[:200]
    # The logging pipeline redacts the token from the message and the traceback.
    log.error("handler_failed", exc_info=error, **details)
    if isinstance(update, Update) and update.effective_message is not None:
        lang = telegram_language(update, "kk")
        with contextlib.suppress(TelegramError):
            await update.effective_message.reply_text(text("error", lang))
