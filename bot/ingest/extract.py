"""An item's text: from the feed's description and full content, or, when a feed gives only
a teaser, the page's main text via trafilatura. Outlet credits («АСТАНА. KAZINFORM –») go
through the summarizer package's boilerplate removal, for feed text and pages alike.

Pure CPU work with picklable arguments and results: the pipeline runs it in its worker
processes (bot/ingest/nlp_pool.py), off the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import summarizer
from bot.ingest.html_text import html_to_paragraphs, html_to_plain
from bot.ingest.parse import FeedItem
from bot.logs import get_logger

__all__ = [
    "ExtractedText",
    "extract_article_text",
    "feed_text",
    "html_to_plain",
    "html_to_text",
    "needs_page_fetch",
    "page_text",
]

log = get_logger(__name__)

TEASER_CHARS = 400  # a description shorter than this is a teaser, not the article
MIN_ARTICLE_CHARS = 200  # less than this from a page is a menu or a cookie banner
MAX_PAGE_BYTES = 5 * 1024 * 1024  # extraction time grows with the page; the fetch caps it too


@dataclass(frozen=True)
class ExtractedText:
    lead: str  # first paragraph: agencies put the who-what-when there
    body: str  # the remaining paragraphs, separated by blank lines

    @property
    def text(self) -> str:
        return "\n\n".join(p for p in (self.lead, self.body) if p)


def needs_page_fetch(item: FeedItem) -> bool:
    """The feed carries only a teaser, and there is a page to read."""
    if item.content_html or len(item.summary) >= TEASER_CHARS:
        return False
    return urlsplit(item.link).scheme in ("http", "https") if item.link else False


def feed_text(summary: str, content_html: str) -> tuple[str, str]:
    """(lead, body) from what the feed carries, boilerplate removed; the body is empty when
    the feed has no full content (its page may have)."""
    lead = summarizer.strip_boilerplate(summary)
    body = html_to_text(content_html) if content_html else ""
    return lead, summarizer.strip_boilerplate(body) if body else ""


def page_text(html: bytes | str, url: str) -> str:
    """An article page's main text, boilerplate removed; empty when none is found."""
    extracted = extract_article_text(html, url)
    return summarizer.strip_boilerplate(extracted.text) if extracted is not None else ""


def html_to_text(html: str) -> str:
    """Paragraphs of an HTML fragment (content:encoded) as plain text, blank-line separated."""
    return "\n\n".join(html_to_paragraphs(html))


def extract_article_text(html: bytes | str, url: str) -> ExtractedText | None:
    """The page's main text (lead = first paragraph), or None when nothing usable is found:
    the caller then keeps the feed description. Synchronous and CPU-bound (tens of ms):
    run it in a thread from async code."""
    if not html or len(html) > MAX_PAGE_BYTES:
        return None
    import trafilatura  # imported on first use: it costs ~0.3 s at start-up

    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,  # for the title, dropped from the text below
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            # Not deduplicate: its cache is process-wide, so a retried page would come
            # back empty.
            deduplicate=False,
        )
    except Exception:  # trafilatura and lxml raise many kinds of errors on broken pages
        log.debug("article_extraction_failed", url=url, exc_info=True)
        return None
    text = getattr(document, "text", None) if document is not None else None
    if not text:
        return None
    paragraphs = [p for p in (" ".join(line.split()) for line in text.splitlines()) if p]
    # The headline comes back as the first "paragraph"; the lead is what follows it.
    title = _fold(getattr(document, "title", None) or "")
    while paragraphs and title and _fold(paragraphs[0]) and title.startswith(_fold(paragraphs[0])):
        paragraphs.pop(0)
    if sum(len(p) for p in paragraphs) < MIN_ARTICLE_CHARS:
        return None
    return ExtractedText(lead=paragraphs[0], body="\n\n".join(paragraphs[1:]))


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()
