"""/feeds, /addfeed, /removefeed, /pausefeed, /resumefeed, /opml and OPML import (an
admin sends an .opml document)."""

from __future__ import annotations

from datetime import tzinfo

from telegram import InputFile, Update
from telegram.ext import ContextTypes, filters

from bot.digest import split_messages
from bot.feed_admin import FeedHealth, FeedRefused
from bot.feeds import Feed
from bot.opml import MAX_OPML_BYTES, OpmlError
from bot.texts import text
from handlers.admin import admin_only, audit, reply, when
from handlers.common import services, user_language, user_language_and_zone

LANGUAGE_ARGS = ("kk", "ru", "en")
POLITICS_ARGS = ("politics", "саясат", "политика")

# A document an admin sends to import: by its name or its declared type.
OPML_DOCUMENT = (
    filters.Document.FileExtension("opml")
    | filters.Document.MimeType("text/x-opml")
    | filters.Document.MimeType("text/x-opml+xml")
)


@admin_only
async def feeds_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    lang, zone = await user_language_and_zone(update, context)
    rows = await svc.feed_admin.health(svc.clock())
    if not rows:
        await reply(update, text("feeds_empty", lang))
        return
    enabled = [r for r in rows if r.feed.enabled]
    healthy = sum(1 for r in enabled if r.feed.healthy)
    header = text(
        "feeds_header",
        lang,
        count=len(rows),
        healthy=healthy,
        unhealthy=len(enabled) - healthy,
        paused=len(rows) - len(enabled),
    )
    for part in split_messages(header, [_entry(row, lang, zone) for row in rows]):
        await reply(update, part)


def _entry(row: FeedHealth, lang: str, zone: tzinfo) -> str:
    feed, never = row.feed, text("never", lang)
    if not feed.enabled:
        state = text("feed_state_paused", lang, id=feed.id)
    elif feed.failures:
        next_poll = f"{row.next_poll.astimezone(zone):%d.%m %H:%M}" if row.next_poll else "—"
        key = "feed_state_backoff" if feed.healthy else "feed_state_unhealthy"
        state = text(key, lang, failures=feed.failures, next=next_poll)
    else:
        state = text("feed_state_ok", lang)
    error = (
        text(
            "feed_error_at",
            lang,
            when=when(feed.last_error_at, zone, never),
            error=feed.last_error[:200],
        )
        if feed.last_error
        else never
    )
    per_day = "—" if row.items_per_day is None else f"{row.items_per_day:.1f}"
    return text(
        "feed_entry",
        lang,
        name=feed.name,
        language=feed.language,
        politics=text("feed_politics_tag", lang) if feed.politics_only else "",
        id=feed.id,
        url=feed.url,
        success=when(feed.last_success, zone, never),
        per_day=per_day,
        error=error,
        state=state,
    )


@admin_only
async def addfeed_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    lang = await user_language(update, context)
    args = context.args or []
    if not args:
        await reply(update, text("addfeed_usage", lang))
        return
    url, options = args[0], [a.lower() for a in args[1:]]
    language = next((o for o in options if o in LANGUAGE_ARGS), None)
    politics = any(o in POLITICS_ARGS for o in options)
    unknown = [o for o in options if o not in LANGUAGE_ARGS and o not in POLITICS_ARGS]
    if unknown:
        await reply(update, text("addfeed_usage", lang))
        return
    if svc.fetcher is None:
        await reply(update, text("addfeed_unavailable", lang))
        return
    try:
        feed, count = await svc.feed_admin.add(
            svc.fetcher, url, svc.clock(), language=language, politics_only=politics
        )
    except FeedRefused as exc:
        await reply(update, text(exc.reason, lang, detail=exc.detail[:300]))
        return
    await audit(update, context, "addfeed", f"{feed.name} <{feed.url}>")
    await reply(
        update,
        text(
            "addfeed_done",
            lang,
            title=feed.name,
            count=count,
            language=feed.language,
            politics=text("yes" if feed.politics_only else "no", lang),
            id=feed.id,
        ),
    )


async def _feed_from_args(
    update: Update, context: ContextTypes.DEFAULT_TYPE, command: str, lang: str
) -> Feed | None:
    ref = " ".join(context.args or []).strip()
    if not ref:
        await reply(update, text("feed_ref_usage", lang, command=command))
        return None
    feed = await services(context).feed_admin.find(ref)
    if feed is None:
        await reply(update, text("feed_not_found", lang, ref=ref[:200]))
    return feed


@admin_only
async def removefeed_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    lang = await user_language(update, context)
    feed = await _feed_from_args(update, context, "removefeed", lang)
    if feed is None:
        return
    await services(context).feed_admin.remove(feed)
    await audit(update, context, "removefeed", f"{feed.name} <{feed.url}>")
    await reply(update, text("feed_removed", lang, name=feed.name))


@admin_only
async def pausefeed_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    lang = await user_language(update, context)
    feed = await _feed_from_args(update, context, "pausefeed", lang)
    if feed is None:
        return
    if not feed.enabled:
        await reply(update, text("feed_already_paused", lang, name=feed.name))
        return
    await svc.feed_admin.pause(feed, svc.clock())
    await audit(update, context, "pausefeed", f"{feed.name} <{feed.url}>")
    await reply(update, text("feed_paused", lang, name=feed.name))


@admin_only
async def resumefeed_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    lang = await user_language(update, context)
    feed = await _feed_from_args(update, context, "resumefeed", lang)
    if feed is None:
        return
    if feed.enabled:
        await reply(update, text("feed_not_paused", lang, name=feed.name))
        return
    await svc.feed_admin.resume(feed, svc.clock())
    await audit(update, context, "resumefeed", f"{feed.name} <{feed.url}>")
    await reply(update, text("feed_resumed", lang, name=feed.name))


@admin_only
async def opml_export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    message = update.effective_message
    assert message is not None
    lang = await user_language(update, context)
    now = svc.clock()
    document, count = await svc.feed_admin.export_opml(now)
    await message.reply_document(
        InputFile(document, filename=f"sayasat-feeds-{now:%Y%m%d}.opml"),
        caption=text("opml_caption", lang, count=count),
    )


@admin_only
async def opml_import(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    message = update.effective_message
    assert message is not None
    assert message.document is not None
    lang = await user_language(update, context)
    limit_kb = MAX_OPML_BYTES // 1024
    if (message.document.file_size or 0) > MAX_OPML_BYTES:
        await reply(update, text("opml_too_big", lang, limit=limit_kb))
        return
    file = await message.document.get_file()
    data = bytes(await file.download_as_bytearray())
    if len(data) > MAX_OPML_BYTES:
        await reply(update, text("opml_too_big", lang, limit=limit_kb))
        return
    try:
        result = await svc.feed_admin.import_opml(data, svc.clock())
    except OpmlError as exc:
        await reply(update, text("opml_bad", lang, reason=str(exc)))
        return
    names = ", ".join(f.name for f in result.added)
    await audit(
        update,
        context,
        "opml import",
        f"{message.document.file_name or '?'}: +{len(result.added)} {names}",
    )
    await reply(
        update,
        text(
            "opml_imported",
            lang,
            added=len(result.added),
            skipped=result.skipped,
            invalid=result.invalid,
        ),
    )
