"""Small helpers every handler shares: who is asking and in which language."""

from __future__ import annotations

from datetime import tzinfo
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import ContextTypes

from bot.services import Services, services_from
from bot.subscribers import LANGUAGES


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return services_from(context.bot_data)


def telegram_language(update: Update, default: str) -> str:
    """The user's Telegram client language when we speak it, else `default`."""
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    primary = code.split("-")[0].lower()
    return primary if primary in LANGUAGES else default


async def user_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The language chosen in the bot, else the Telegram client's, else the default."""
    svc = services(context)
    chat = update.effective_chat
    if chat is not None:
        sub = await svc.subscribers.get(chat.id)
        if sub is not None:
            return sub.language
    return telegram_language(update, svc.settings.default_language)


async def user_language_and_zone(
    update: Update, context: ContextTypes.DEFAULT_TYPE
) -> tuple[str, tzinfo]:
    """The reader's UI language and time zone: their settings, else the defaults."""
    svc = services(context)
    user = update.effective_user
    sub = await svc.subscribers.get(user.id) if user is not None else None
    if sub is not None:
        return sub.language, ZoneInfo(sub.timezone)
    return telegram_language(update, svc.settings.default_language), ZoneInfo(
        svc.settings.default_tz
    )
