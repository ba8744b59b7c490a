"""/stats and /broadcast (with its confirmation buttons)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import stats
from bot.broadcast import MAX_BROADCAST_CHARS
from bot.texts import text
from handlers.admin import admin_only, audit, reply
from handlers.common import services, user_language

BROADCAST_PATTERN = r"^bc:(send|cancel):[0-9a-f]{1,32}$"


def _counts(values: dict[str, int], lang: str) -> str:
    return ", ".join(f"{name} {count}" for name, count in values.items()) or text("none", lang)


@admin_only
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    lang = await user_language(update, context)
    numbers = await stats.collect(
        svc.redis, svc.feeds, svc.articles, svc.outbox, await svc.channels.ids(), svc.clock()
    )
    sent = numbers.sent_by_kind
    await reply(
        update,
        text(
            "stats",
            lang,
            active=numbers.active,
            paused=numbers.paused,
            blocked=numbers.blocked,
            stopped=numbers.stopped,
            channels=numbers.channels,
            digests=sent.get("digest", 0),
            alerts=sent.get("alert", 0),
            broadcasts=sent.get("broadcast", 0),
            failures=_counts(numbers.failures, lang),
            retries=_counts(numbers.retries, lang),
            healthy=numbers.feeds_healthy,
            unhealthy=numbers.feeds_unhealthy,
            feeds_paused=numbers.feeds_paused,
            articles=numbers.articles,
            share=f"{100 * numbers.politics_share:.0f}",
            queued=numbers.queued,
        ),
    )


@admin_only
async def broadcast_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None
    assert user is not None
    lang = await user_language(update, context)
    # The admin's own formatting (bold, links…) kept as Telegram HTML, the command cut off.
    parts = (message.text_html or "").split(maxsplit=1)
    body = parts[1].strip() if len(parts) > 1 else ""
    if not body:
        await reply(update, text("broadcast_usage", lang))
        return
    if len(body) > MAX_BROADCAST_CHARS:
        await reply(update, text("broadcast_too_long", lang, limit=MAX_BROADCAST_CHARS))
        return
    pending = await svc.broadcasts.prepare(user.id, body)
    count = len(await svc.broadcasts.recipients())
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    text("btn_broadcast_send", lang, count=count),
                    callback_data=f"bc:send:{pending.id}",
                ),
                InlineKeyboardButton(
                    text("btn_cancel", lang), callback_data=f"bc:cancel:{pending.id}"
                ),
            ]
        ]
    )
    await reply(
        update,
        f"{text('broadcast_confirm', lang, count=count)}\n\n{body}",
        reply_markup=keyboard,
    )


@admin_only
async def broadcast_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None
    assert query.data is not None
    assert user is not None
    svc = services(context)
    lang = await user_language(update, context)
    _prefix, action, broadcast_id = query.data.split(":")
    pending = await svc.broadcasts.take(broadcast_id, user.id)
    if pending is None:
        await query.answer(text("button_expired", lang), show_alert=True)
        return
    await query.answer()
    if action == "cancel":
        await query.edit_message_text(text("broadcast_cancelled", lang))
        return
    count = await svc.broadcasts.send(pending)
    await audit(update, context, "broadcast", f"{count} recipients: {pending.text[:300]}")
    await query.edit_message_text(
        f"{text('broadcast_queued', lang, count=count)}\n\n{pending.text}"
    )
