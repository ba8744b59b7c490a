"""Canonical URLs and stable item ids: the basis of deduplication."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from bot.ingest.parse import FeedItem

_TRACKING = {"fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "igshid", "_ga"}
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """Lower-case host without `www.`, https for http, no tracking parameters, no
    fragment, no trailing slash: two spellings of one page give one string."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url.strip()
    host = (parts.hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~") or "/"
    if path != "/":
        path = path.rstrip("/") or "/"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING
    )
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def strip_tracking(url: str) -> str:
    """The link as published, minus tracking parameters and fragment: what readers see."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _digest(value: str) -> str:
    return hashlib.blake2b(value.encode("utf-8"), digest_size=12).hexdigest()


def item_id(item: FeedItem, feed_url: str) -> str:
    """Stable across polls: the canonical link, else the guid within its feed, else the
    title and summary."""
    if item.link:
        return _digest(f"url:{canonical_url(item.link)}")
    if item.guid:
        return _digest(f"guid:{canonical_url(feed_url)}:{item.guid.strip()}")
    return _digest(f"text:{canonical_url(feed_url)}:{item.title.strip()}:{item.summary.strip()}")
