"""/search, plain-text search in a private chat, the ◀ ▶ page buttons and inline mode."""

from __future__ import annotations

import html
import re

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.search_render import plain_snippet, render_hit, render_outcome
from bot.search_service import INLINE_PAGE_SIZE, SearchOutcome
from bot.texts import text
from handlers.common import services, user_language_and_zone

SEARCH_PAGE_PATTERN = r"^sr:[0-9a-f]{12}:\d{1,4}$"


async def search_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or message.text is None:
        return
    # The raw text, not context.args: quotes and spacing inside a phrase matter.
    _, _, query = message.text.partition(" ")
    await search_and_reply(update, context, query)


async def search_and_reply(update: Update, context: ContextTypes.DEFAULT_TYPE, query: str) -> None:
    message = update.effective_message
    assert message is not None
    lang, zone = await user_language_and_zone(update, context)
    outcome = await services(context).search.find(query)
    await message.reply_text(render_outcome(outcome, lang, zone), reply_markup=_pager(outcome))


async def search_page_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    button = update.callback_query
    if button is None:
        return
    lang, zone = await user_language_and_zone(update, context)
    # PTB gives a query with no data to the first button handler, whatever its pattern.
    if not re.fullmatch(SEARCH_PAGE_PATTERN, button.data or ""):
        await button.answer(text("button_expired", lang))
        return
    _, query_id, page = (button.data or "").split(":")
    svc = services(context)
    query = await svc.search.recall(query_id)
    if query is None:
        await button.answer(text("search_expired", lang), show_alert=True)
        return
    await button.answer()
    outcome = await svc.search.find(query, int(page))
    try:
        await button.edit_message_text(
            render_outcome(outcome, lang, zone), reply_markup=_pager(outcome)
        )
    except BadRequest as exc:
        # A double tap asks for the page already shown: nothing to change.
        if "not modified" not in exc.message.lower():
            raise


async def inline_search(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    inline = update.inline_query
    if inline is None:
        return
    lang, zone = await user_language_and_zone(update, context)
    if not inline.query.strip():
        await inline.answer(
            [],
            button=InlineQueryResultsButton(
                text("search_inline_hint", lang), start_parameter="help"
            ),
            cache_time=5,
        )
        return
    # Telegram echoes our own next_offset, but a client may send anything: "²" is a
    # digit that int() refuses, and a huge page would only search for nothing.
    offset = inline.offset
    page = int(offset) if offset.isdecimal() and len(offset) <= 4 else 0
    outcome = await services(context).search.find(inline.query, page, INLINE_PAGE_SIZE)
    terms = outcome.query.terms() if outcome.query else set()
    results = [
        InlineQueryResultArticle(
            id=article.id[:64],
            title=article.title[:200] or article.url,
            description=f"{article.source} · {article.published.astimezone(zone):%d.%m.%Y} · "
            + plain_snippet(article, terms, 150),
            input_message_content=InputTextMessageContent(render_hit(article, 1, terms, zone)),
            url=article.url,
        )
        for article in outcome.articles
    ]
    more = outcome.has_next
    if not results:
        await inline.answer(
            [],
            button=InlineQueryResultsButton(
                _first_line(render_outcome(outcome, lang, zone)), start_parameter="help"
            ),
            cache_time=5,
        )
        return
    await inline.answer(results, cache_time=60, next_offset=str(page + 1) if more else "")


def _pager(outcome: SearchOutcome) -> InlineKeyboardMarkup | None:
    if not (outcome.has_next or outcome.page_number) or not outcome.query_id:
        return None
    page, buttons = outcome.page_number, []
    if page > 0:
        buttons.append(InlineKeyboardButton("◀", callback_data=f"sr:{outcome.query_id}:{page - 1}"))
    buttons.append(
        InlineKeyboardButton(
            f"{page + 1}/{outcome.pages_label}", callback_data=f"sr:{outcome.query_id}:{page}"
        )
    )
    if outcome.has_next:
        buttons.append(InlineKeyboardButton("▶", callback_data=f"sr:{outcome.query_id}:{page + 1}"))
    return InlineKeyboardMarkup([buttons])


def _first_line(rendered: str) -> str:
    """A button label: the first line without HTML, within Telegram's 64 characters."""
    line = html.unescape(re.sub(r"<[^>]+>", "", rendered.split("\n", 1)[0]))
    return line[:60]
