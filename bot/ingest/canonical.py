"""Canonical URLs and stable item ids: the basis of deduplication.

Outlets link one article as http and https, with and without `www.`, with tracking
parameters from each social network, and with or without a trailing slash: all of these
must give one id, or the same article is stored and sent twice.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from bot.ingest.parse import FeedItem

# Click and campaign identifiers: never part of what the page is.
_TRACKING = frozenset(
    ("fbclid", "gclid", "yclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "_ga")
)
# http and https become one form, so either default port is dropped under either scheme.
_DEFAULT_PORTS = frozenset((80, 443))
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key.startswith("utm_") or key in _TRACKING


def _normalize_path(path: str) -> str:
    """One spelling per path: unreserved escapes decoded (`%7E` → `~`), the others in upper
    case, non-ASCII (Cyrillic slugs) percent-encoded as UTF-8, dot segments removed."""

    def unescape_unreserved(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else f"%{match.group(1).upper()}"

    # quote() leaves existing escapes alone (`%` is safe) and encodes the rest as UTF-8.
    path = quote(_PERCENT.sub(unescape_unreserved, path), safe=_PATH_SAFE)
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(segments) > 1:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    return "/".join(segments) or "/"


def _host(hostname: str) -> str:
    host = hostname.lower().rstrip(".").removeprefix("www.")
    try:
        # Cyrillic domains (.қаз) in one form: punycode.
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def canonical_url(url: str) -> str:
    """Lower-case host without `www.`, https for http, default port dropped, no tracking
    parameters, the rest sorted, no fragment, no trailing slash except the root.

    Not a URL (no http(s) scheme or no host)? The stripped input, unchanged.
    """
    raw = url.strip()
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        return raw
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return raw
    host = _host(parts.hostname)
    netloc = host if port is None or port in _DEFAULT_PORTS else f"{host}:{port}"
    path = _normalize_path(parts.path)
    if path != "/":
        path = path.rstrip("/") or "/"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    )
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def strip_tracking(url: str) -> str:
    """The link as published, minus tracking parameters and fragment: what readers see."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    if not parts.query and not parts.fragment:
        return url.strip()
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _digest(value: str) -> str:
    # 96 bits: no collision in billions of items, and short enough for Redis keys and
    # Telegram callback data (64 bytes).
    return hashlib.blake2b(value.encode("utf-8"), digest_size=12).hexdigest()


def item_id(item: FeedItem, feed_scope: str) -> str:
    """Stable across polls: the canonical link, else the guid within its feed, else the
    title and summary within its feed. 24 hex characters.

    `feed_scope` names the feed: its stable id (which a permanent redirect does not
    change, so guid-only items are not taken for new ones at the new address) or its URL.
    """
    if item.link:
        return _digest(f"url:{canonical_url(item.link)}")
    feed = canonical_url(feed_scope) if "://" in feed_scope else feed_scope
    if item.guid:
        return _digest(f"guid:{feed}:{item.guid.strip()}")
    # Case and spacing differences between polls must not make a new item.
    text = " ".join(f"{item.title}\n{item.summary}".split()).casefold()
    return _digest(f"text:{feed}\n{text}")
