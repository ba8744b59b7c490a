"""/help and the answer to commands the bot does not know."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.texts import text
from handlers.common import services, user_language


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is None:
        return
    lang = await user_language(update, context)
    body = text("help", lang, bot=context.bot.username)
    user = update.effective_user
    if user is not None and await services(context).admins.is_admin(user.id):
        body += "\n\n" + text("help_admin", lang)  # the admin section: admins only
    await update.effective_message.reply_text(body)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is None:
        return
    lang = await user_language(update, context)
    await update.effective_message.reply_text(text("unknown_command", lang))


async def unsupported_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo, sticker, voice or other file in a private chat: say what the bot reads."""
    if update.effective_message is None:
        return
    lang = await user_language(update, context)
    await update.effective_message.reply_text(text("unsupported_message", lang))


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button from an old message whose data no handler knows any more."""
    if update.callback_query is None:
        return
    lang = await user_language(update, context)
    await update.callback_query.answer(text("button_expired", lang), show_alert=False)
