"""Plain text in a private chat: a typed answer the settings menu asked for, else a hint."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.texts import text
from handlers import settings
from handlers.common import user_language


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await settings.typed_answer(update, context):
        return
    if update.effective_message is not None:
        lang = await user_language(update, context)
        await update.effective_message.reply_text(text("unknown_command", lang))
