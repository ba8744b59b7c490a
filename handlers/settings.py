"""/settings: the menu of inline keyboards, and the typed answers for a custom time or zone.

Callback data (always under Telegram's 64 bytes): `s:<what>[:<value>]`."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.subscribers import DIGEST_SIZES, Subscriber
from bot.texts import text
from handlers.common import services, user_language

SETTINGS_PATTERN = r"^s:"
TIME_PRESETS = ("06:00", "07:00", "08:00", "09:00", "12:00", "18:00", "20:00", "21:00")
ZONE_PRESETS = (
    "Asia/Almaty",
    "Europe/Moscow",
    "Asia/Tashkent",
    "Europe/Istanbul",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "UTC",
)
AWAITING = "awaiting"
SUBMENUS = frozenset({"menu", "time", "tz", "lang", "size", "src"})
_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def settings_text(sub: Subscriber) -> str:
    lang = sub.language
    return text(
        "settings",
        lang,
        time=sub.digest_time,
        tz=sub.timezone,
        languages=", ".join(sub.article_languages),
        sources=", ".join(sub.sources) or text("all_sources", lang),
        size=sub.digest_size,
        status=text("status_paused" if sub.paused else "status_active", lang),
        skip=text("yes" if sub.skip_empty else "no", lang),
    )


def main_keyboard(sub: Subscriber) -> InlineKeyboardMarkup:
    lang = sub.language
    skip_state = text("skip_state_skip" if sub.skip_empty else "skip_state_send", lang)
    return InlineKeyboardMarkup(
        [
            [_button(text("btn_time", lang), "s:time"), _button(text("btn_tz", lang), "s:tz")],
            [
                _button(text("btn_languages", lang), "s:lang"),
                _button(text("btn_sources", lang), "s:src"),
            ],
            [
                _button(text("btn_size", lang), "s:size"),
                _button(text("btn_resume" if sub.paused else "btn_pause", lang), "s:pause"),
            ],
            [_button(text("btn_skip", lang, state=skip_state), "s:skip")],
        ]
    )


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def _mark(selected: bool, label: str) -> str:
    return f"✓ {label}" if selected else label


async def source_names(context: ContextTypes.DEFAULT_TYPE) -> list[str]:
    return sorted({feed.name for feed in await services(context).feeds.all()})


async def submenu(
    sub: Subscriber, what: str, context: ContextTypes.DEFAULT_TYPE
) -> InlineKeyboardMarkup:
    lang = sub.language
    back = [_button(text("btn_back", lang), "s:menu")]
    if what == "time":
        presets = [_button(_mark(t == sub.digest_time, t), f"s:time:{t}") for t in TIME_PRESETS]
        return InlineKeyboardMarkup(
            [*_rows(presets, 4), [_button(text("btn_custom", lang), "s:time:custom")], back]
        )
    if what == "tz":
        zones = [_button(_mark(z == sub.timezone, z), f"s:tz:{z}") for z in ZONE_PRESETS]
        return InlineKeyboardMarkup(
            [*_rows(zones, 2), [_button(text("btn_custom", lang), "s:tz:custom")], back]
        )
    if what == "lang":
        chosen = set(sub.article_languages)
        options = [
            _button(_mark(chosen == {"kk"}, "Қазақша"), "s:lang:kk"),
            _button(_mark(chosen == {"ru"}, "Русский"), "s:lang:ru"),
            _button(_mark(chosen == {"kk", "ru"}, text("btn_both", lang)), "s:lang:both"),
        ]
        return InlineKeyboardMarkup([options, back])
    if what == "size":
        sizes = [_button(_mark(n == sub.digest_size, str(n)), f"s:size:{n}") for n in DIGEST_SIZES]
        return InlineKeyboardMarkup([sizes, back])
    if what == "src":
        names = await source_names(context)
        buttons = [
            _button(_mark(name in sub.sources, name), f"s:src:{index}")
            for index, name in enumerate(names)
        ]
        every = _button(_mark(not sub.sources, text("all_sources", lang)), "s:src:all")
        return InlineKeyboardMarkup([*_rows(buttons, 2), [every], back])
    return main_keyboard(sub)


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    sub = await services(context).subscribers.get(chat.id)
    if sub is None:
        await message.reply_text(text("not_subscribed", await user_language(update, context)))
        return
    await message.reply_text(settings_text(sub), reply_markup=main_keyboard(sub))


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    svc = services(context)
    sub = await svc.subscribers.get(chat.id)
    if sub is None:
        await query.answer(text("not_subscribed", await user_language(update, context)))
        return
    parts = query.data.split(":", 2)
    what, value = parts[1], (parts[2] if len(parts) > 2 else None)
    if value is None and what in SUBMENUS:
        await query.answer()
        await query.edit_message_text(
            settings_text(sub), reply_markup=await submenu(sub, what, context)
        )
        return
    if value == "custom":
        assert context.chat_data is not None
        context.chat_data[AWAITING] = what
        await query.answer()
        await query.message.reply_text(
            text("ask_time" if what == "time" else "ask_tz", sub.language)
        )  # type: ignore[union-attr]
        return
    if not await _apply(sub, what, value or "", context):
        await query.answer(text("button_expired", sub.language))
        return
    await svc.subscribers.save(sub)
    await svc.digests.schedule(sub)
    await query.answer()
    await query.edit_message_text(settings_text(sub), reply_markup=main_keyboard(sub))


async def _apply(
    sub: Subscriber, what: str, value: str, context: ContextTypes.DEFAULT_TYPE
) -> bool:
    """Change one setting from a button; False when the button no longer makes sense."""
    if what == "time" and value in TIME_PRESETS:
        sub.digest_time = value
    elif what == "tz" and _zone(value):
        sub.timezone = value
    elif what == "lang" and value in ("kk", "ru", "both"):
        sub.article_languages = ["kk", "ru"] if value == "both" else [value]
    elif what == "size" and value.isdigit() and int(value) in DIGEST_SIZES:
        sub.digest_size = int(value)
    elif what == "pause":
        sub.paused = not sub.paused
    elif what == "skip":
        sub.skip_empty = not sub.skip_empty
    elif what == "src":
        names = await source_names(context)
        if value == "all":
            sub.sources = []
        elif value.isdigit() and int(value) < len(names):
            name = names[int(value)]
            chosen = set(sub.sources) ^ {name}
            sub.sources = sorted(chosen)
        else:
            return False
    else:
        return False
    return True


def _zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


async def typed_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A typed custom time or zone after the menu asked for one; False if none was asked."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or message.text is None or context.chat_data is None:
        return False
    awaiting = context.chat_data.get(AWAITING)
    if awaiting not in ("time", "tz"):
        return False
    svc = services(context)
    sub = await svc.subscribers.get(chat.id)
    if sub is None:
        context.chat_data.pop(AWAITING, None)
        return False
    value = message.text.strip()[:64]
    if awaiting == "time":
        match = _TIME.match(value)
        if match is None:
            await message.reply_text(text("bad_time", sub.language, value=value))
            return True
        sub.digest_time = f"{int(match.group(1)):02d}:{match.group(2)}"
    else:
        if not _zone(value):
            await message.reply_text(text("bad_tz", sub.language, value=value))
            return True
        sub.timezone = value
    context.chat_data.pop(AWAITING, None)
    await svc.subscribers.save(sub)
    due = await svc.digests.schedule(sub)
    when = f"{due.astimezone(ZoneInfo(sub.timezone)):%d.%m %H:%M} ({sub.timezone})" if due else "—"
    await message.reply_text(text("saved_next", sub.language, when=when))
    await message.reply_text(settings_text(sub), reply_markup=main_keyboard(sub))
    return True
