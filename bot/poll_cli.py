"""`python -m bot poll --once [--feed URL]` and `python -m bot feeds check`."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from typing import TextIO

from bot.clock import utc_now
from bot.feeds import Feed, FeedStore, feed_id_for
from bot.ingest.fetch import FeedFetcher, FetchLimits
from bot.ingest.nlp_pool import NlpPool
from bot.ingest.pipeline import FeedRunStats
from bot.poller import Poller
from bot.redis_client import connect
from bot.services import Services
from config.feeds import load_feeds
from config.settings import Settings


async def poll_once(
    settings: Settings, redis_url: str, feed_url: str | None, out: TextIO = sys.stdout
) -> list[FeedRunStats]:
    redis = connect(redis_url)
    try:
        feeds = FeedStore(redis)
        await feeds.seed(load_feeds(settings.feeds_file), utc_now())
        chosen = await _chosen_feeds(feeds, feed_url)
        limits = FetchLimits(allow_networks=settings.fetch_allow_networks)
        nlp = NlpPool(
            settings.nlp_workers, log_level=settings.log_level, log_format=settings.log_format
        )
        async with FeedFetcher(limits) as fetcher, nlp:
            # Through Services, so what the CLI stores is searchable and alerts fire; parsing
            # and NLP in worker processes, as the bot's poller runs them.
            pipeline = Services(settings=settings, redis=redis).ingest_pipeline(fetcher, nlp)
            poller = Poller(
                feeds, fetcher, pipeline, utc_now, timedelta(seconds=settings.poll_interval)
            )
            results = []
            tasks = [asyncio.create_task(poller.poll_feed(feed)) for feed in chosen]
            for done, task in enumerate(asyncio.as_completed(tasks), start=1):
                stats = await task
                results.append(stats)
                status = stats.error or ("not modified" if stats.not_modified else "ok")
                print(f"[{done}/{len(tasks)}] {stats.feed_url}: {status}", file=out, flush=True)
        print(format_poll_table(results), file=out)
        return results
    finally:
        await redis.aclose()


async def _chosen_feeds(feeds: FeedStore, feed_url: str | None) -> list[Feed]:
    every = await feeds.all()
    if feed_url is None:
        return [f for f in every if f.enabled]
    matching = [f for f in every if f.url == feed_url]
    if matching:
        return matching
    # A feed that is not in the store yet: poll it as a one-off, under its own id.
    return [Feed(id=feed_id_for(feed_url), url=feed_url, name=feed_url, language="kk")]


def format_poll_table(results: list[FeedRunStats]) -> str:
    rows = [("feed", "new", "seen", "errors", "time")]
    for r in sorted(results, key=lambda r: r.feed_url):
        errors = (1 if r.error else 0) + r.failed
        rows.append((r.feed_url, str(r.new), str(r.seen), str(errors), f"{r.seconds:.2f}s"))
    rows.append(
        (
            "total",
            str(sum(r.new for r in results)),
            str(sum(r.seen for r in results)),
            str(sum((1 if r.error else 0) + r.failed for r in results)),
            f"{max((r.seconds for r in results), default=0):.2f}s",
        )
    )
    return _table(rows)


async def feeds_health(redis_url: str, settings: Settings) -> str:
    redis = connect(redis_url)
    try:
        store = FeedStore(redis)
        await store.seed(load_feeds(settings.feeds_file), utc_now())
        rows = [("feed", "state", "last success", "failures", "last error")]
        for feed in await store.all():
            state = "paused" if not feed.enabled else ("ok" if feed.healthy else "UNHEALTHY")
            rows.append(
                (
                    f"{feed.name} {feed.url}",
                    state,
                    _when(feed.last_success),
                    str(feed.failures),
                    feed.last_error[:60] or "-",
                )
            )
        return _table(rows)
    finally:
        await redis.aclose()


def _when(timestamp: float) -> str:
    if not timestamp:
        return "never"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)
