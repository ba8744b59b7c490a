"""/language and the language buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.texts import LANGUAGE_NAMES, text
from handlers.common import services, user_language
from handlers.keyboards import LANGUAGE_CALLBACK, language_keyboard


async def language_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = await user_language(update, context)
    await message.reply_text(text("choose_language", lang), reply_markup=language_keyboard(lang))


async def language_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None or query.data is None or update.effective_chat is None:
        return
    lang = query.data.removeprefix(LANGUAGE_CALLBACK)
    await services(context).subscribers.set_language(
        update.effective_chat.id, query.from_user.id, lang
    )
    await query.answer()
    await query.edit_message_text(
        text("language_set", lang, language=LANGUAGE_NAMES[lang]),
        reply_markup=language_keyboard(lang),
    )
