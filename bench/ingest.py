"""Ingestion throughput and a large 304 poll cycle, against local HTTP and a fresh Redis.

    .venv/bin/python bench/ingest.py [--feeds 20 --items 50] [--cycle-feeds 5000]

Prints articles per second through parse, dedupe, classify, summarize and store, with
the same items parsed without storing (the baseline in the same run), then a poll cycle
over many feeds that all answer 304: wall seconds and the CPU share of this process.
Real article text comes from ../shared/data (Tengrinews); without it, synthetic text.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.articles import ArticleStore  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.feeds import Feed, FeedStore, feed_id_for  # noqa: E402
from bot.ingest.fetch import FeedFetcher, FetchLimits  # noqa: E402
from bot.ingest.parse import parse_feed  # noqa: E402
from bot.ingest.pipeline import IngestPipeline  # noqa: E402
from bot.logs import configure_logging  # noqa: E402
from bot.poller import Poller  # noqa: E402
from bot.redis_client import connect  # noqa: E402
from bot.redis_server import start_redis_server  # noqa: E402
from bot.search import SearchIndex  # noqa: E402
from bot.story_index import StoryIndex  # noqa: E402
from tests.fakes.feed_server import FeedServer  # noqa: E402
from tests.ingest.feeds import LOCAL, LOCAL_NETWORKS, rss  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "tengrinews-ru" / "tengrinews_ru_articles.jsonl"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def article_texts() -> list[tuple[str, str]]:
    if SHARED.exists():
        rows = [
            json.loads(line)
            for line in SHARED.read_text(encoding="utf-8").split("\n")
            if line.strip()
        ]
        return [(r["title"], r["content"][:3000]) for r in rows if r.get("content")]
    print("../shared/data is absent: synthetic text", file=sys.stderr)
    return [
        (f"Мажилис принял закон {i}", "Депутаты одобрили законопроект. " * 40) for i in range(300)
    ]


def feed_body(texts: list[tuple[str, str]], feed: int, items: int) -> bytes:
    chosen = [texts[(feed * items + i) % len(texts)] for i in range(items)]
    return rss(
        [
            {
                "title": title.replace("&", "и").replace("<", " "),
                "link": f"https://bench.kz/{feed}/{i}",
                "description": body.replace("]]>", " "),
            }
            for i, (title, body) in enumerate(chosen)
        ]
    ).encode()


async def throughput(redis_url: str, feeds: int, items: int) -> None:
    texts = article_texts()
    redis = connect(redis_url)
    await redis.flushdb()
    clock = FakeClock(NOW)
    async with FeedServer() as server:
        bodies = {f"f{n}.xml": feed_body(texts, n, items) for n in range(feeds)}
        for path, body in bodies.items():
            server.add(path, body)
        started = time.perf_counter()
        for body in bodies.values():
            parse_feed(body, feed_url="https://bench.kz/rss")
        parse_only = time.perf_counter() - started
        store = FeedStore(redis)
        for path in bodies:
            await store.add(
                Feed(
                    id=feed_id_for(server.url(path)), url=server.url(path), name=path, language="ru"
                ),
                due=NOW,
            )
        async with FeedFetcher(LOCAL) as fetcher:
            articles = ArticleStore(redis)
            # As the bot runs it: every stored article is indexed for search.
            pipeline = IngestPipeline(
                redis,
                articles,
                StoryIndex(redis),
                clock=clock,
                fetcher=None,
                on_stored=[SearchIndex(redis, articles).add],
            )
            poller = Poller(store, fetcher, pipeline, clock, timedelta(minutes=5))
            started = time.perf_counter()
            results = await poller.poll_due()
            elapsed = time.perf_counter() - started
    new = sum(r.new for r in results)
    total = feeds * items
    print(f"parse only (baseline)          {total / parse_only:8.0f} items/s")
    print(
        f"fetch→parse→…→store            {new / elapsed:8.0f} articles/s  ({new} articles, {elapsed:.1f} s; goal ≥ 200)"
    )
    await redis.aclose()


async def cycle_304(redis_url: str, feeds: int) -> None:
    redis = connect(redis_url)
    await redis.flushdb()
    clock = FakeClock(NOW)
    async with FeedServer() as server:
        body = rss([{"title": "Сенат", "link": "https://bench.kz/x"}]).encode()
        server.add("feed.xml", body)
        store = FeedStore(redis)
        etag = (await _etag(server)) or ""
        for n in range(feeds):
            url = server.url(f"feed.xml?n={n}")
            await store.add(
                Feed(id=feed_id_for(url), url=url, name=str(n), language="kk", etag=etag), due=NOW
            )
        # Real feeds sit on many hosts; here all are on 127.0.0.1, so lift the per-host cap
        # to the global one instead of measuring one host's queue.
        limits = FetchLimits(per_host_concurrency=50, allow_networks=LOCAL_NETWORKS)
        async with FeedFetcher(limits) as fetcher:
            pipeline = IngestPipeline(redis, ArticleStore(redis), StoryIndex(redis), clock=clock)
            poller = Poller(store, fetcher, pipeline, clock, timedelta(minutes=5))
            cpu0, wall0 = time.process_time(), time.perf_counter()
            results = await poller.poll_due()
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    not_modified = sum(r.not_modified for r in results)
    print(
        f"poll cycle, {feeds} feeds          {wall:8.1f} s wall, {cpu / wall:.0%} of one core "
        f"(server in the same process), {not_modified} answered 304; goal < 60 s, < 1 core"
    )
    await redis.aclose()


async def _etag(server: FeedServer) -> str | None:
    async with FeedFetcher(LOCAL) as fetcher:
        return (await fetcher.fetch(server.url("feed.xml"))).etag


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--cycle-feeds", type=int, default=5000)
    args = parser.parse_args()
    configure_logging("WARNING")  # the pipeline's per-item lines would swamp the numbers
    with tempfile.TemporaryDirectory() as tmp:
        server = start_redis_server(Path(tmp))
        try:
            asyncio.run(throughput(server.url, args.feeds, args.items))
            asyncio.run(cycle_304(server.url, args.cycle_feeds))
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
