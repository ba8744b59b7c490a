"""Feed bytes → items, with feedparser: RSS 0.9x/1.0/2.0 and Atom, bozo feeds kept,
relative links resolved, HTML stripped, and wrong or missing charsets repaired."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from bot.ingest.charset import decode_feed
from bot.ingest.html_text import html_to_paragraphs, html_to_plain
from bot.logs import get_logger

__all__ = ["FeedItem", "FeedParseError", "ParsedFeed", "html_to_plain", "parse_feed"]

log = get_logger(__name__)

_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>", re.S)
_UTF8_DECL = b'<?xml version="1.0" encoding="utf-8"?>'


class FeedParseError(ValueError):
    """Nothing at all could be read from the body as a feed."""

    kind = "parse"


@dataclass(frozen=True)
class FeedItem:
    guid: str | None
    link: str  # absolute http(s) URL, or "" when the item has none
    title: str  # plain text
    summary: str  # plain text of the description
    content_html: str = ""  # full content:encoded / Atom content, as published
    published: datetime | None = None  # aware, UTC
    categories: list[str] = field(default_factory=list)
    author: str = ""


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str
    ttl_minutes: int | None
    bozo: bool
    bozo_reason: str | None
    items: list[FeedItem] = field(default_factory=list)
    charset: str = "utf-8"  # the one the body was actually decoded with


def parse_feed(body: bytes, *, feed_url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed body; raises FeedParseError only when nothing can be extracted."""
    if not body.strip():
        raise FeedParseError("not a feed: empty body")
    text, charset = decode_feed(body, content_type)
    utf8 = text.encode("utf-8")
    # feedparser re-reads the declaration: one naming the charset we just overrode would
    # undo the repair, so it is replaced (or added) with a true one.
    utf8, replaced = _XML_DECL.subn(_UTF8_DECL, utf8, count=1)
    if not replaced:
        utf8 = _UTF8_DECL + utf8
    try:
        # Bytes, never a str: feedparser treats a str as a URL or file name to open.
        # No content-location either: feedparser would then resolve non-URL guids such as
        # "12345" into invented links; links are resolved below instead.
        parsed = feedparser.parse(
            utf8,
            response_headers={"content-type": "application/xml; charset=utf-8"},
            sanitize_html=False,
        )
    except Exception as exc:  # feedparser is lenient, but a feed must never crash a poll
        raise FeedParseError(f"not a feed: {type(exc).__name__}: {exc}") from None
    reason = _bozo_reason(parsed)
    feed_title = html_to_plain(parsed.feed.get("title"))
    if not parsed.entries and (not parsed.get("version") or (parsed.bozo and not feed_title)):
        raise FeedParseError(f"not a feed: {reason or 'no feed elements found'}")
    if parsed.bozo:
        log.info("feed_bozo", feed=feed_url, reason=reason, entries=len(parsed.entries))
    items = [item for entry in parsed.entries if (item := _item(entry, feed_url)) is not None]
    return ParsedFeed(
        title=feed_title,
        link=_absolute_link(parsed.feed.get("link"), feed_url),
        ttl_minutes=_ttl(parsed.feed.get("ttl")),
        bozo=bool(parsed.bozo),
        bozo_reason=reason,
        items=items,
        charset=charset,
    )


def _item(entry: Any, feed_url: str) -> FeedItem | None:
    guid = (entry.get("id") or "").strip() or None
    raw_link = (entry.get("link") or "").strip()
    if entry.get("guidislink") and raw_link == guid and not _looks_like_link(raw_link):
        raw_link = ""  # feedparser copied a non-URL guid ("12345") into the link
    content_html = _content_html(entry)
    summary_html = entry.get("summary") or ""
    if content_html and summary_html == content_html:
        # No description: feedparser copies the full content into summary. The lead is
        # the first paragraph, not the whole article.
        paragraphs = html_to_paragraphs(content_html)
        summary = paragraphs[0] if paragraphs else ""
    else:
        summary = html_to_plain(summary_html)
    title = html_to_plain(entry.get("title"))
    link = _absolute_link(raw_link, feed_url)
    if not (title or link or summary or content_html):
        return None
    return FeedItem(
        guid=guid,
        link=link,
        title=title,
        summary=summary,
        content_html=content_html,
        published=_published(entry),
        categories=_categories(entry),
        author=html_to_plain(entry.get("author")),
    )


def _looks_like_link(value: str) -> bool:
    return value.startswith("/") or urlsplit(value).scheme.lower() in ("http", "https")


def _absolute_link(raw: str | None, feed_url: str) -> str:
    """Resolved against the feed URL (Akorda publishes `/ru/...` paths); "" unless http(s)."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        link = urljoin(feed_url, raw)
        scheme = urlsplit(link).scheme.lower()
    except ValueError:
        return ""
    return link if scheme in ("http", "https") else ""


def _published(entry: Any) -> datetime | None:
    # feedparser's *_parsed are UTC struct_times.
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _content_html(entry: Any) -> str:
    contents = entry.get("content") or []
    parts = [c.get("value", "") for c in contents if c.get("value")]
    return max(parts, key=len) if parts else ""


def _categories(entry: Any) -> list[str]:
    seen: dict[str, None] = {}
    for tag in entry.get("tags") or []:
        term = html_to_plain(tag.get("term") or tag.get("label"))
        if term:
            seen.setdefault(term, None)
    return list(seen)


def _ttl(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and 0 < int(text) < 10**6 else None


def _bozo_reason(parsed: Any) -> str | None:
    exc = parsed.get("bozo_exception")
    if not parsed.get("bozo") or exc is None:
        return None
    return f"{type(exc).__name__}: {exc}"
