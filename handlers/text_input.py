"""Plain text in a private chat: a typed answer the settings menu asked for, else a search."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers import search, settings


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await settings.typed_answer(update, context):
        return
    message = update.effective_message
    if message is not None and message.text is not None:
        await search.search_and_reply(update, context, message.text)
