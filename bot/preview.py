"""`python -m bot preview`: the pipeline once over the bundled sample feeds, printed as the
digest a subscriber would get. It runs on a throwaway redis-server, so it never touches
the bot's own data and shows the same digest every time."""

from __future__ import annotations

import asyncio
import html
import re
import tempfile
from pathlib import Path

from bot.articles import ArticleStore
from bot.clock import utc_now
from bot.digest import group_stories, render_digest
from bot.ingest.pipeline import FeedRunStats, FeedSource, IngestPipeline
from bot.redis_client import connect
from bot.redis_server import start_redis_server
from bot.story_index import StoryIndex
from config.settings import PROJECT_ROOT, Settings

SAMPLE_DIR = PROJECT_ROOT / "config" / "sample_feeds"
SAMPLE_FEEDS: tuple[tuple[str, FeedSource], ...] = (
    ("kazinform-kk.xml", FeedSource("https://kaz.inform.kz/rss/kz.xml", "Kazinform", "kk")),
    ("tengrinews-ru.xml", FeedSource("https://tengrinews.kz/news.rss", "Tengrinews", "ru")),
    ("egemen-kk.atom", FeedSource("https://egemen.kz/rss", "Egemen Qazaqstan", "kk")),
)


def run_preview(settings: Settings, ui_language: str) -> int:
    with tempfile.TemporaryDirectory(prefix="sayasat-preview-") as tmp:
        server = start_redis_server(Path(tmp))
        try:
            stats, messages = asyncio.run(_ingest_and_render(server.url, settings, ui_language))
        finally:
            server.shutdown()
    for run in stats:
        print(
            f"· {run.feed_url}: {run.new} new, {sum(a.is_politics for a in run.articles)} politics"
        )
    print()
    for message in messages:
        print(html_to_terminal(message))
        print("─" * 60)
    return 0


async def _ingest_and_render(
    redis_url: str, settings: Settings, ui_language: str
) -> tuple[list[FeedRunStats], list[str]]:
    redis = connect(redis_url)
    try:
        articles = ArticleStore(redis)
        pipeline = IngestPipeline(redis, articles, StoryIndex(redis), clock=utc_now)
        stats = [
            await pipeline.ingest_feed_body(
                source, (SAMPLE_DIR / name).read_bytes(), final_url=source.url
            )
            for name, source in SAMPLE_FEEDS
        ]
        stories = group_stories(await articles.politics_since(None), ui_language)
        return stats, render_digest(stories, ui_language, settings.tz, utc_now())
    finally:
        await redis.aclose()


_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)
_TAG = re.compile(r"<[^>]+>")


def html_to_terminal(message: str) -> str:
    """Telegram HTML as plain text, links shown as `title [url]`."""
    with_urls = _LINK.sub(lambda m: f"{m.group(2)} [{m.group(1)}]", message)
    return html.unescape(_TAG.sub("", with_urls))
