"""/alerts: add, list and remove keyword alerts."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.alerts import AlertError
from bot.texts import text
from handlers.common import services, user_language

ALERT_REMOVE_PATTERN = r"^al:rm:\d+$"


async def alerts_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    svc = services(context)
    lang = await user_language(update, context)
    if await svc.subscribers.get(chat.id) is None:
        await message.reply_text(text("not_subscribed", lang))
        return
    args = context.args or []
    action, keyword = (args[0].lower(), " ".join(args[1:])) if args else ("list", "")
    if action in ("add", "+"):
        try:
            await svc.alerts.add(chat.id, keyword)
        except AlertError as exc:
            await message.reply_text(text(exc.reason, lang))
            return
        await message.reply_text(text("alert_added", lang, keyword=" ".join(keyword.split())))
    elif action in ("remove", "rm", "del", "-"):
        removed = await svc.alerts.remove(chat.id, keyword)
        key = "alert_removed" if removed else "alert_not_found"
        await message.reply_text(text(key, lang, keyword=keyword))
    elif action == "list":
        await _send_list(update, chat.id, lang, context)
    else:
        await message.reply_text(text("alert_usage", lang))


async def _send_list(
    update: Update, chat_id: int, lang: str, context: ContextTypes.DEFAULT_TYPE
) -> None:
    assert update.effective_message is not None
    words = await services(context).alerts.keywords(chat_id)
    if not words:
        await update.effective_message.reply_text(text("alert_usage", lang))
        return
    await update.effective_message.reply_text(
        text("alert_list", lang), reply_markup=_removal_keyboard(words)
    )


async def alert_remove_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    svc = services(context)
    lang = await user_language(update, context)
    words = await svc.alerts.keywords(chat.id)
    index = int(query.data.rsplit(":", 1)[1])
    if index >= len(words):
        await query.answer(text("button_expired", lang))
        return
    await svc.alerts.remove(chat.id, words[index])
    await query.answer(text("alert_removed", lang, keyword=words[index]))
    remaining = await svc.alerts.keywords(chat.id)
    if remaining:
        await query.edit_message_text(
            text("alert_list", lang), reply_markup=_removal_keyboard(remaining)
        )
    else:
        await query.edit_message_text(text("alert_removed", lang, keyword=words[index]))


def _removal_keyboard(words: list[str]) -> InlineKeyboardMarkup:
    """One button per keyword; the index is into the sorted list (callback data ≤ 64 bytes)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"✕ {w}", callback_data=f"al:rm:{i}")] for i, w in enumerate(words)]
    )
