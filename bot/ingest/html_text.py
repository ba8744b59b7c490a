"""HTML fragments from feeds (titles, descriptions, content:encoded) as plain text.

A real (lenient) HTML parser rather than a `<[^>]+>` regex: feeds put bare `<` and `>` in
titles ("5 < 6"), scripts and styles in descriptions, and double-escaped entities.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u200b\ufeff]+")
# Elements that end a paragraph: text on either side of them must not run together.
_BLOCKS = frozenset(
    (  # noqa: SIM905 - a word list reads better than 32 quoted strings
        "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 "
        "h4 h5 h6 header hr li main nav ol p pre section table td th tr ul"
    ).split()
)
_SKIPPED = frozenset(("script", "style", "noscript", "template", "iframe", "svg", "head"))
_MARKUP = re.compile(r"<[A-Za-z/!?]|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);?")
_BREAK = "\x00"  # paragraph marker, never present in decoded feed text


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append(_BREAK)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append(_BREAK)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append(_BREAK)

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _strip_once(fragment: str) -> str:
    collector = _TextCollector()
    try:
        collector.feed(fragment)
        collector.close()
    except Exception:  # HTMLParser is lenient, but a feed must never crash parsing
        return fragment
    return "".join(collector.parts)


def _paragraphs(fragment: str) -> list[str]:
    text = fragment
    # Twice at most: many feeds double-escape (`&lt;b&gt;`, `&amp;quot;`), and a literal
    # tag or entity in a news title is far rarer than a double-escaped one.
    for _ in range(2):
        if not _MARKUP.search(text):
            break
        text = _strip_once(text)
    return [p for p in (_SPACE.sub(" ", chunk).strip() for chunk in text.split(_BREAK)) if p]


def html_to_plain(fragment: str | None) -> str:
    """One line: tags dropped, entities decoded, white space collapsed."""
    return " ".join(_paragraphs(fragment or ""))


def html_to_paragraphs(fragment: str | None) -> list[str]:
    """Paragraph texts, split at block elements (`<p>`, `<br>`, `<li>`, ...)."""
    return _paragraphs(fragment or "")
