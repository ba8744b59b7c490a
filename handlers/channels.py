"""/channels list | add | set | test | remove: the channels and groups the bot posts to."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import ContextTypes

from bot.channels import Channel, ChannelRefused
from bot.digest import split_messages
from bot.texts import text
from handlers.admin import admin_only, audit, reply
from handlers.common import services, user_language

LIST_ACTIONS = ("list", "ls")
REMOVE_ACTIONS = ("remove", "rm", "del")


@admin_only
async def channels_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    lang = await user_language(update, context)
    args = context.args or []
    action = args[0].lower() if args else "list"
    rest = args[1:]
    if action in LIST_ACTIONS:
        await _list(update, context, lang)
    elif action == "add" and rest:
        await _add(update, context, lang, rest)
    elif action == "set" and len(rest) >= 3:
        await _set(update, context, lang, rest)
    elif action == "set":
        await reply(update, text("channel_set_usage", lang))
    elif action in (*REMOVE_ACTIONS, "test") and rest:
        channel = await _find(update, context, lang, rest[0])
        if channel is None:
            return
        if action == "test":
            await _test(update, context, lang, channel)
        else:
            await services(context).channels.remove(channel)
            await audit(update, context, "channels remove", _describe(channel))
            await reply(update, text("channel_removed", lang, title=channel.title))
    else:
        await reply(update, text("channels_usage", lang))


async def _list(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> None:
    svc = services(context)
    channels = await svc.channels.all()
    if not channels:
        await reply(update, text("channels_empty", lang))
        return
    blocks = []
    for channel in channels:
        sub = channel.settings
        due = await svc.channels.next_due(channel)
        when = f"{due.astimezone(ZoneInfo(sub.timezone)):%d.%m %H:%M}" if due else "—"
        blocks.append(
            text(
                "channel_entry",
                lang,
                title=channel.title,
                ref=channel.ref,
                id=channel.chat_id,
                time=sub.digest_time,
                tz=sub.timezone,
                languages=",".join(sub.article_languages),
                sources=", ".join(sub.sources) or text("all_sources", lang),
                size=sub.digest_size,
                topic=sub.thread_id or "—",
                ui=sub.language,
                next=when,
                status=text("channel_status_blocked" if sub.blocked else "channel_status_ok", lang),
            )
        )
    header = text("channels_usage", lang).split("\n", 1)[0]
    for part in split_messages(header, blocks):
        await reply(update, part)


async def _add(
    update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str, rest: list[str]
) -> None:
    svc = services(context)
    user = update.effective_user
    assert user is not None
    thread_id = None
    if len(rest) > 1:
        if not rest[1].isdigit():
            await reply(update, text("channels_usage", lang))
            return
        thread_id = int(rest[1])
    try:
        channel = await svc.channels.connect(context.bot, rest[0], user.id, lang, thread_id)
    except ChannelRefused as exc:
        await reply(update, text(exc.reason, lang, **exc.values))
        return
    await audit(update, context, "channels add", _describe(channel))
    sub = channel.settings
    await reply(
        update,
        text(
            "channel_added",
            lang,
            title=channel.title,
            time=sub.digest_time,
            tz=sub.timezone,
            id=channel.chat_id,
        ),
    )


async def _set(
    update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str, rest: list[str]
) -> None:
    channel = await _find(update, context, lang, rest[0])
    if channel is None:
        return
    what, value = rest[1].lower(), " ".join(rest[2:])
    try:
        due = await services(context).channels.update(channel, what, value)
    except ChannelRefused as exc:
        await reply(update, text(exc.reason, lang, **exc.values))
        return
    await audit(update, context, "channels set", f"{_describe(channel)}: {what}={value}")
    zone = ZoneInfo(channel.settings.timezone)
    when = f"{due.astimezone(zone):%d.%m %H:%M} ({channel.settings.timezone})" if due else "—"
    await reply(update, text("channel_saved", lang, title=channel.title, when=when))


async def _test(
    update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str, channel: Channel
) -> None:
    await services(context).channels.post_now(channel, digest_id=f"test{update.update_id}")
    await audit(update, context, "channels test", _describe(channel))
    await reply(update, text("channel_test_queued", lang, title=channel.title))


async def _find(
    update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str, ref: str
) -> Channel | None:
    channel = await services(context).channels.find(ref)
    if channel is None:
        await reply(update, text("channel_unknown", lang, ref=ref[:100]))
    return channel


def _describe(channel: Channel) -> str:
    return f"{channel.title} ({channel.ref}, {channel.chat_id})"
