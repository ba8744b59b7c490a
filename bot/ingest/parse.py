"""Feed bytes → items, with feedparser: RSS 0.9x/1.0/2.0 and Atom, bozo feeds kept,
relative links resolved, HTML stripped, and wrong or missing charsets repaired."""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser

from bot.logs import get_logger

log = get_logger(__name__)

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>", re.S)
_DECLARED = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9_\-]+)["']""")


class FeedParseError(ValueError):
    kind = "parse"


@dataclass(frozen=True)
class FeedItem:
    guid: str | None
    link: str
    title: str
    summary: str
    content_html: str = ""
    published: datetime | None = None
    categories: tuple[str, ...] = ()
    author: str = ""


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str
    ttl_minutes: int | None
    bozo: bool
    bozo_reason: str | None
    items: list[FeedItem] = field(default_factory=list)


def html_to_plain(value: str) -> str:
    """Tags dropped, entities decoded, white space collapsed."""
    text = _TAG.sub(" ", value or "")
    return _SPACE.sub(" ", html.unescape(text)).strip()


def _http_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_\-]+)", content_type, re.I)
    return match.group(1).lower() if match else None


def decode_feed(body: bytes, content_type: str | None = None) -> str:
    """The feed as text, whatever its declaration says.

    Valid UTF-8 wins even over a declaration of windows-1251: Cyrillic in windows-1251 is
    almost never valid UTF-8, while UTF-8 read as windows-1251 decodes "fine" into
    mojibake. Otherwise the HTTP or XML declaration, then windows-1251, the usual legacy
    charset of Kazakh and Russian sites.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED.search(body[:200])
    for charset in (
        _http_charset(content_type),
        declared.group(1).decode("ascii", "replace").lower() if declared else None,
        "cp1251",
    ):
        if not charset or charset.replace("-", "") == "utf8":
            continue
        try:
            return body.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", errors="replace")


def _published(entry: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, ValueError):
                continue
    return None


def _content_html(entry: feedparser.FeedParserDict) -> str:
    contents = entry.get("content") or []
    parts = [c.get("value", "") for c in contents if c.get("value")]
    return max(parts, key=len) if parts else ""


def parse_feed(body: bytes, *, feed_url: str, content_type: str | None = None) -> ParsedFeed:
    text = decode_feed(body, content_type)
    # feedparser re-reads the declaration; a declaration we already overrode would undo us.
    utf8 = _XML_DECL.sub(b'<?xml version="1.0" encoding="utf-8"?>', text.encode("utf-8"), count=1)
    parsed = feedparser.parse(
        utf8,
        response_headers={
            "content-location": feed_url,
            "content-type": "application/xml; charset=utf-8",
        },
        sanitize_html=False,
    )
    reason = str(parsed.get("bozo_exception") or "") or None
    if parsed.bozo:
        log.info("feed_bozo", feed=feed_url, reason=reason)
    if not parsed.entries and parsed.bozo and not parsed.feed.get("title"):
        raise FeedParseError(f"not a feed: {reason or 'no items'}")
    items = []
    for entry in parsed.entries:
        raw_link = entry.get("link") or ""
        link = urljoin(feed_url, raw_link.strip()) if raw_link else ""
        summary_html = entry.get("summary") or entry.get("description") or ""
        items.append(
            FeedItem(
                guid=(entry.get("id") or None),
                link=link,
                title=html_to_plain(entry.get("title") or ""),
                summary=html_to_plain(summary_html),
                content_html=_content_html(entry),
                published=_published(entry),
                categories=tuple(
                    t.get("term", "") for t in entry.get("tags") or [] if t.get("term")
                ),
                author=entry.get("author") or "",
            )
        )
    ttl = parsed.feed.get("ttl")
    return ParsedFeed(
        title=html_to_plain(parsed.feed.get("title") or ""),
        link=parsed.feed.get("link") or "",
        ttl_minutes=int(ttl) if str(ttl or "").isdigit() else None,
        bozo=bool(parsed.bozo),
        bozo_reason=reason,
        items=items,
    )
