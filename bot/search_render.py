"""Search results as Telegram HTML: each hit's title as a link, its source and local date,
and the sentence that best matches the query with the matching words in bold."""

from __future__ import annotations

import html
import re
from datetime import tzinfo

import summarizer
from bot.articles import Article
from bot.digest import MAX_MESSAGE_CHARS
from bot.search_query import MAX_QUERY_CHARS, QueryProblem
from bot.search_service import SearchOutcome
from bot.texts import text

TITLE_LIMIT = 200
SNIPPET_LIMIT = 280
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_SENTENCES_SCANNED = 80  # a long body's best sentence is almost always near the top


def render_outcome(outcome: SearchOutcome, lang: str, tz: tzinfo) -> str:
    """One message (a page must be one message: the ◀ ▶ buttons edit it)."""
    if outcome.problem is not None:
        return render_problem(outcome, lang)
    for snippet_limit in (SNIPPET_LIMIT, 120, 0):
        rendered = _render_page(outcome, lang, tz, snippet_limit)
        if len(rendered) <= MAX_MESSAGE_CHARS:
            return rendered
    return rendered[: MAX_MESSAGE_CHARS - 1]  # unreachable with 5 results and clipped titles


def render_problem(outcome: SearchOutcome, lang: str) -> str:
    match outcome.problem:
        case QueryProblem.TOO_LONG:
            return text(
                "search_too_long", lang, length=outcome.problem_detail, limit=MAX_QUERY_CHARS
            )
        case QueryProblem.STOP_WORDS:
            return text("search_stop_words", lang, words=outcome.problem_detail)
        case QueryProblem.BAD_FILTER:
            return text("search_bad_filter", lang, filter=outcome.problem_detail)
        case _:
            return text("search_usage", lang)


def _render_page(outcome: SearchOutcome, lang: str, tz: tzinfo, snippet_limit: int) -> str:
    page, query = outcome.page, outcome.query
    assert query is not None
    notes: list[str] = []
    if page.unknown_words:
        notes.append(text("search_unknown_words", lang, words=", ".join(page.unknown_words)))
    if outcome.suggestions:
        notes.append(text("search_did_you_mean", lang, words=", ".join(outcome.suggestions)))
    if page.unknown_source:
        sources = ", ".join(outcome.known_sources) or "—"
        return text("search_unknown_source", lang, source=query.source or "", sources=sources)
    if page.total == 0 or not outcome.articles:
        lines = [text("search_none", lang, query=outcome.text), *notes]
        if outcome.other_dates:
            dates = ", ".join(f"{d:%d.%m.%Y}" for d in outcome.other_dates)
            lines.append(text("search_other_dates", lang, dates=dates))
        return "\n".join(lines)
    header = text(
        "search_header",
        lang,
        query=outcome.text,
        # A search over very common words stops counting: "100+ articles · page 1/20+".
        total=page.total if page.total_exact else f"{page.total}+",
        page=outcome.page_number + 1,
        pages=outcome.pages_label,
    )
    if not page.match_all:
        notes.insert(0, text("search_partial", lang))
    terms = query.terms()
    first = outcome.page_number * outcome.page_size + 1
    blocks = [
        render_hit(article, number, terms, tz, snippet_limit)
        for number, article in enumerate(outcome.articles, start=first)
    ]
    return "\n\n".join(["\n".join([header, *notes]), *blocks])


def render_hit(
    article: Article, number: int, terms: set[str], tz: tzinfo, snippet_limit: int = SNIPPET_LIMIT
) -> str:
    url = html.escape(article.url, quote=True)
    title = html.escape(_clip(article.title, TITLE_LIMIT))
    lines = [f'{number}. <b><a href="{url}">{title}</a></b>']
    if snippet_limit:
        snippet = best_sentence(article, terms, snippet_limit)
        if snippet:
            lines.append(snippet)
    local = article.published.astimezone(tz)
    lines.append(f"<i>{html.escape(article.source)} · {local:%d.%m.%Y %H:%M}</i>")
    return "\n".join(lines)


def best_sentence(article: Article, terms: set[str], limit: int = SNIPPET_LIMIT) -> str:
    """The sentence with the most query words, as HTML with those words in bold."""
    text_body = (
        article.body
        if article.lead and article.lead in article.body
        else (f"{article.lead}\n\n{article.body}")
    )
    sentences = summarizer.split_sentences(text_body[:20_000], article.language)
    best, best_hits = "", 0
    for sentence in sentences[:_SENTENCES_SCANNED]:
        hits = len(terms.intersection(summarizer.index_terms(sentence, article.language)))
        if hits > best_hits:
            best, best_hits = sentence, hits
    if not best:
        best = sentences[0] if sentences else article.lead
    return highlight(_clip_around(best, terms, article.language, limit), terms, article.language)


def highlight(sentence: str, terms: set[str], language: str) -> str:
    """Escape the sentence and put every word whose index term is wanted in <b>."""
    out: list[str] = []
    position = 0
    for match in _WORD.finditer(sentence):
        if terms.intersection(summarizer.index_terms(match.group(), language)):
            out.append(html.escape(sentence[position : match.start()]))
            out.append(f"<b>{html.escape(match.group())}</b>")
            position = match.end()
    out.append(html.escape(sentence[position:]))
    return "".join(out)


def plain_snippet(article: Article, terms: set[str], limit: int = 200) -> str:
    """The best sentence without markup, for inline results' descriptions."""
    return html.unescape(re.sub(r"</?b>", "", best_sentence(article, terms, limit)))


def _clip_around(sentence: str, terms: set[str], language: str, limit: int) -> str:
    if len(sentence) <= limit:
        return sentence
    start = 0
    for match in _WORD.finditer(sentence):
        if terms.intersection(summarizer.index_terms(match.group(), language)):
            start = max(0, match.start() - limit // 3)
            break
    clipped = sentence[start : start + limit - 2].strip()
    return ("…" if start else "") + clipped + "…"


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
