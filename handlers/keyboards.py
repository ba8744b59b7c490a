"""Inline keyboards and their callback-data formats (each under Telegram's 64 bytes)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import LANGUAGE_NAMES

LANGUAGE_CALLBACK = "lang:"
# \Z, not $: "$" also matches before a final newline, and "kk\n" is no language.
LANGUAGE_PATTERN = r"^lang:(kk|ru|en)\Z"


def language_keyboard(current: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            ("✓ " if code == current else "") + name, callback_data=f"{LANGUAGE_CALLBACK}{code}"
        )
        for code, name in LANGUAGE_NAMES.items()
    ]
    return InlineKeyboardMarkup([buttons])
