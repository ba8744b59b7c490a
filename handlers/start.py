"""/start: subscribe and greet in the user's language, with a language keyboard."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.texts import text
from handlers.common import services, telegram_language
from handlers.keyboards import language_keyboard


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    svc = services(context)
    lang = telegram_language(update, svc.settings.default_language)
    sub, is_new = await svc.subscribers.subscribe(
        chat_id=chat.id,
        user_id=user.id,
        language=lang,
        timezone=svc.settings.default_tz,
        first_name=user.first_name,
    )
    await svc.digests.schedule(sub)
    key = "welcome" if is_new else "welcome_back"
    await message.reply_text(
        text(key, sub.language, name=user.first_name),
        reply_markup=language_keyboard(sub.language),
    )
