"""OPML feed lists: parse what an admin uploads, render what /opml exports.

Pure functions, no Redis or Telegram. The parser is the standard library's expat with
every door that XML bombs use shut: a document type declaration (where entities are
declared, billion laughs included) is refused outright, external entities are never
fetched, and the size and number of outlines are capped before and while parsing.

Each feed is an `<outline type="rss" text=… xmlUrl=… language=…/>` (OPML 2.0); a feed
whose every item counts as politics carries `category="/politics"`, a paused one
`isPaused="true"`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import NoReturn
from urllib.parse import urlsplit
from xml.parsers import expat

MAX_OPML_BYTES = 1024 * 1024
MAX_OUTLINES = 5_000
MAX_DEPTH = 32
LANGUAGES = ("kk", "ru", "en")
POLITICS_CATEGORY = "/politics"


class OpmlError(ValueError):
    """The document cannot be read as a feed list; the message says why."""


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    title: str
    language: str | None  # kk, ru or en; None when the outline names none we know
    politics_only: bool = False
    enabled: bool = True


@dataclass(frozen=True)
class OpmlDocument:
    title: str
    feeds: list[OpmlFeed]
    invalid: int  # outlines with an xmlUrl that is not an absolute http(s) URL


def parse_opml(data: bytes) -> OpmlDocument:
    """The feeds of an OPML document, each URL once (the first outline wins)."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"larger than {MAX_OPML_BYTES // 1024} KB")
    reader = _Reader()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = reader.refuse_doctype
    parser.EntityDeclHandler = reader.refuse_entity
    parser.ExternalEntityRefHandler = reader.refuse_external
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.characters
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise OpmlError(f"not well-formed XML ({expat.errors.messages[exc.code]})") from None
    if reader.root != "opml":
        raise OpmlError("not an OPML document (no <opml> root)")
    return OpmlDocument(title=reader.title.strip(), feeds=reader.feeds, invalid=reader.invalid)


class _Reader:
    def __init__(self) -> None:
        self.root: str | None = None
        self.title = ""
        self.feeds: list[OpmlFeed] = []
        self.invalid = 0
        self._seen: set[str] = set()
        self._outlines = 0
        self._path: list[str] = []

    def refuse_doctype(self, *_args: object) -> NoReturn:
        raise OpmlError("document type declarations are not accepted")

    def refuse_entity(self, *_args: object) -> NoReturn:
        raise OpmlError("entity declarations are not accepted")

    def refuse_external(self, *_args: object) -> NoReturn:
        raise OpmlError("external entities are not accepted")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.root is None:
            self.root = name
        self._path.append(name)
        if len(self._path) > MAX_DEPTH:
            raise OpmlError(f"nested deeper than {MAX_DEPTH} levels")
        if name != "outline":
            return
        self._outlines += 1
        if self._outlines > MAX_OUTLINES:
            raise OpmlError(f"more than {MAX_OUTLINES} outlines")
        url = (attrs.get("xmlUrl") or attrs.get("xmlurl") or "").strip()
        if not url:
            return  # a folder, or a plain note
        if not is_http_url(url):
            self.invalid += 1
            return
        if url in self._seen:
            return
        self._seen.add(url)
        language = (attrs.get("language") or "").strip().lower().split("-")[0]
        categories = {c.strip().lower() for c in attrs.get("category", "").split(",")}
        self.feeds.append(
            OpmlFeed(
                url=url,
                title=(attrs.get("title") or attrs.get("text") or "").strip()[:200],
                language=language if language in LANGUAGES else None,
                politics_only=POLITICS_CATEGORY in categories,
                enabled=attrs.get("isPaused", "").strip().lower() != "true",
            )
        )

    def end(self, _name: str) -> None:
        self._path.pop()

    def characters(self, data: str) -> None:
        if self._path[-2:] == ["head", "title"] and len(self.title) < 500:
            self.title += data


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def render_opml(feeds: list[OpmlFeed], title: str, created: datetime) -> bytes:
    """An OPML 2.0 document listing `feeds`, in their order."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(created)
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attrs = {"type": "rss", "text": feed.title, "title": feed.title, "xmlUrl": feed.url}
        if feed.language:
            attrs["language"] = feed.language
        if feed.politics_only:
            attrs["category"] = POLITICS_CATEGORY
        if not feed.enabled:
            attrs["isPaused"] = "true"
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
