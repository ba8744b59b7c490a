"""Article text when a feed gives only a teaser: the page's main text via trafilatura."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ingest.parse import FeedItem, html_to_plain

TEASER_CHARS = 400


@dataclass(frozen=True)
class ExtractedText:
    lead: str
    body: str


def needs_page_fetch(item: FeedItem) -> bool:
    """The feed carries only a teaser, and there is a page to read."""
    return bool(item.link) and not item.content_html and len(item.summary) < TEASER_CHARS


def html_to_text(html: str) -> str:
    """Paragraphs of an HTML fragment (content:encoded) as plain text."""
    paragraphs = [html_to_plain(p) for p in html.replace("</p>", "</p>\n\n").split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def extract_article_text(page: bytes | str, url: str) -> ExtractedText | None:
    """The page's main text (lead = first paragraph), or None when nothing usable is found."""
    import trafilatura  # imported on first use: it costs ~0.3 s at start-up

    try:
        text = trafilatura.extract(
            page,
            url=url,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            deduplicate=True,
        )
    except Exception:  # trafilatura raises a variety of parser errors on broken pages
        return None
    if not text or len(text) < 80:
        return None
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    return ExtractedText(lead=paragraphs[0], body="\n\n".join(paragraphs[1:]))
