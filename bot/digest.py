"""Pick a subscriber's stories and render them as Telegram HTML messages within its limits."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.articles import Article
from bot.texts import text

MAX_MESSAGE_CHARS = 4096
MAX_LINKS = 100
TITLE_LIMIT = 300


@dataclass
class Story:
    """One event, told by one or more outlets; `lead` is the version shown."""

    lead: Article
    others: list[Article]

    @property
    def outlets(self) -> int:
        return 1 + len({a.source for a in self.others if a.source != self.lead.source})

    @property
    def latest(self) -> datetime:
        return max(a.published for a in [self.lead, *self.others])


def group_stories(articles: Iterable[Article], preferred_language: str) -> list[Story]:
    """One Story per story id, ranked by how many outlets carry it, then by recency."""
    by_story: dict[str, list[Article]] = {}
    for article in articles:
        by_story.setdefault(article.story_id or article.id, []).append(article)
    stories = []
    for members in by_story.values():
        # Show the user's language when an outlet wrote in it; else the first report.
        members.sort(key=lambda a: (a.language != preferred_language, a.published))
        stories.append(Story(lead=members[0], others=members[1:]))
    stories.sort(key=lambda s: (s.outlets, s.latest), reverse=True)
    return stories


def filter_articles(
    articles: Iterable[Article], languages: Sequence[str], sources: Sequence[str] | None
) -> list[Article]:
    """Politics articles in the chosen languages and sources (None: every source)."""
    return [
        a
        for a in articles
        if a.is_politics
        and a.language in languages
        and (sources is None or a.source in sources or a.feed_url in sources)
    ]


def render_story(story: Story, number: int, lang: str, tz: tzinfo) -> str:
    article = story.lead
    title = html.escape(_clip(article.title, TITLE_LIMIT))
    url = html.escape(article.url, quote=True)
    local = article.published.astimezone(tz)
    lines = [f'{number}. <b><a href="{url}">{title}</a></b>']
    summary = " ".join(article.summary) or article.lead
    if summary:
        lines.append(html.escape(_clip(summary, 700)))
    meta = f"<i>{html.escape(article.source)} · {local:%d.%m %H:%M}</i>"
    also = [a for a in story.others if a.source != article.source]
    if also:
        names = ", ".join(
            f'<a href="{html.escape(a.url, quote=True)}">{html.escape(a.source)}</a>'
            for a in _unique_sources(also)
        )
        meta += f" · {text('also', lang)}: {names}"
    lines.append(meta)
    return "\n".join(lines)


def render_digest(
    stories: Sequence[Story], lang: str, tz: tzinfo, now: datetime, limit: int | None = None
) -> list[str]:
    """The digest as HTML messages, each under 4096 characters and 100 links."""
    shown = list(stories[:limit] if limit else stories)
    if not shown:
        return [text("digest_empty", lang)]
    header = text("digest_header", lang, date=f"{now.astimezone(tz):%d.%m.%Y}", count=len(shown))
    blocks = [render_story(story, i, lang, tz) for i, story in enumerate(shown, start=1)]
    return split_messages(header, blocks)


def split_messages(header: str, blocks: Sequence[str]) -> list[str]:
    """Pack whole blocks into messages; a block is never cut, so its HTML stays valid."""
    messages: list[str] = []
    current, length, links = [header], len(header), 0
    for block in blocks:
        block_links = block.count("<a ")
        if length + 2 + len(block) > MAX_MESSAGE_CHARS or links + block_links > MAX_LINKS:
            messages.append("\n\n".join(current))
            current, length, links = [], -2, 0
        current.append(block)
        length += 2 + len(block)
        links += block_links
    if current:
        messages.append("\n\n".join(current))
    return messages


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _unique_sources(articles: Iterable[Article]) -> list[Article]:
    seen: dict[str, Article] = {}
    for article in articles:
        seen.setdefault(article.source, article)
    return list(seen.values())
