"""/digest, /stop, /forget, and Telegram's word that the bot was blocked or let back in."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import ContextTypes

from bot.texts import text
from handlers.common import services, user_language

FORGET_YES = "forget:yes"
FORGET_NO = "forget:no"
FORGET_PATTERN = r"^forget:(yes|no)$"


async def digest_now(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    svc = services(context)
    sub = await svc.subscribers.get(chat.id)
    if sub is None or not sub.active:
        await message.reply_text(text("not_subscribed", await user_language(update, context)))
        return
    await svc.digests.send_digest(sub, digest_id=f"now{update.update_id}", on_demand=True)


async def stop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    svc = services(context)
    lang = await user_language(update, context)
    sub = await svc.subscribers.get(chat.id)
    if sub is None or not sub.active:
        await message.reply_text(text("not_subscribed", lang))
        return
    sub.active = False
    await svc.subscribers.save(sub)
    await svc.digests.schedule(sub)
    await message.reply_text(text("stopped", lang))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is None:
        return
    lang = await user_language(update, context)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(text("forget_yes", lang), callback_data=FORGET_YES),
                InlineKeyboardButton(text("forget_no", lang), callback_data=FORGET_NO),
            ]
        ]
    )
    await update.effective_message.reply_text(text("forget_confirm", lang), reply_markup=keyboard)


async def forget_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    lang = await user_language(update, context)
    await query.answer()
    if query.data == FORGET_YES:
        await services(context).forget_chat(chat.id)
        await query.edit_message_text(text("forget_done", lang))
    else:
        await query.edit_message_text(text("forget_cancelled", lang))


async def membership_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member
    if change is None:
        return
    status = change.new_chat_member.status
    svc = services(context)
    if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        await svc.chat_unreachable(change.chat.id, "membership")
    elif status in (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR):
        await svc.chat_reachable(change.chat.id)
