"""Ingestion throughput and a large 304 poll cycle, against local HTTP and a fresh Redis.

    .venv/bin/python bench/ingest.py [--feeds 8] [--items N] [--workers N] [--rounds 4]
                                     [--cycle-feeds 5000]

Prints the items per second of parsing alone, then articles per second through parse,
dedupe, classify, summarize, story, store and search index, in rounds that alternate the
baseline (everything on the event loop, NLP_WORKERS=0) with parsing and NLP in N worker
processes (the bot's default N unless given), each on a fresh Redis database, with the
CPU each article cost this process (the event loop) and its children (workers and
redis-server), and the medians. Then a poll cycle over many feeds that all answer 304:
wall seconds and the CPU share of this process. Real article text comes from
../shared/data (Tengrinews in Russian, Kazinform in Kazakh), each article once unless
--items asks for more (`--feeds 20 --items 50` repeats each text about three times, the
story comparison's worst case); without it, synthetic text. The load average is printed
with the numbers: other work on the machine moves them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from redis.asyncio import Redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.articles import ArticleStore  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.feeds import Feed, FeedStore, feed_id_for  # noqa: E402
from bot.ingest.fetch import FeedFetcher, FetchLimits  # noqa: E402
from bot.ingest.nlp_pool import NlpPool  # noqa: E402
from bot.ingest.parse import parse_feed  # noqa: E402
from bot.ingest.pipeline import IngestPipeline  # noqa: E402
from bot.logs import configure_logging  # noqa: E402
from bot.poller import Poller  # noqa: E402
from bot.redis_client import connect  # noqa: E402
from bot.redis_server import start_redis_server  # noqa: E402
from bot.search import SearchIndex  # noqa: E402
from bot.story_index import StoryIndex  # noqa: E402
from config.settings import default_nlp_workers  # noqa: E402
from tests.fakes.feed_server import FeedServer  # noqa: E402
from tests.ingest.feeds import LOCAL, LOCAL_NETWORKS, rss  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
TENGRINEWS = SHARED / "tengrinews-ru" / "tengrinews_ru_articles.jsonl"
KAZINFORM = SHARED / "kazinform-kk" / "news.json"
BODY_CHARS = 3000
DEFAULT_FEEDS = 8
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def article_texts() -> list[tuple[str, str]]:
    """(title, body) of every real article with a body in ../shared/data: Tengrinews in
    Russian with Kazinform's Kazakh ones spread among them."""
    if not TENGRINEWS.exists():
        print("../shared/data is absent: synthetic text", file=sys.stderr)
        return [
            (f"Мажилис принял закон {i}", f"Депутаты одобрили законопроект №{i}. " * 40)
            for i in range(300)
        ]
    # Not splitlines(): the articles hold U+2028, a line break to it.
    lines = TENGRINEWS.read_text(encoding="utf-8").split("\n")
    rows = [json.loads(line) for line in lines if line.strip()]
    texts = [(r["title"], r["content"][:BODY_CHARS]) for r in rows if r.get("content")]
    if KAZINFORM.exists():
        kazakh = [
            (a["title"], a["content_text"][:BODY_CHARS])
            for a in json.loads(KAZINFORM.read_text(encoding="utf-8"))["articles"]
            if a.get("content_text")
        ]
        step = max(1, len(texts) // max(1, len(kazakh)))
        for n, text in enumerate(kazakh):
            texts.insert(n * (step + 1), text)
    return texts


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


async def throughput(
    redis_url: str, feeds: int, items: int | None, workers: int, rounds: int
) -> None:
    texts = article_texts()
    # By default every text once: a real cycle's articles are distinct. Past that, each
    # text is repeated under other links, so every article has identical twins: the story
    # comparison's worst case (each twin is a candidate that matches).
    items = items or max(1, len(texts) // feeds)
    copies = feeds * items / len(texts)
    print(
        f"{feeds} feeds × {items} items from {len(texts)} distinct texts"
        + (f": each text {copies:.1f} times" if copies > 1 else "")
    )
    redis = connect(redis_url)
    rates: dict[str, list[float]] = {}
    async with FeedServer() as server:
        bodies = {f"f{n}.xml": feed_body(texts, n, items) for n in range(feeds)}
        for path, body in bodies.items():
            server.add(path, body)
        started = time.perf_counter()
        for body in bodies.values():
            parse_feed(body, feed_url="https://bench.kz/rss")
        parse_only = time.perf_counter() - started
        print(f"parse only                     {feeds * items / parse_only:8.0f} items/s")
        async with NlpPool(0) as inline, NlpPool(workers) as pooled:
            # Alternating, so neither always runs on the caches the other warmed, nor
            # always in a quieter moment of whatever else the machine runs.
            for _ in range(rounds):
                for label, nlp in (("inline (baseline)", inline), (f"{workers} workers", pooled)):
                    rate = await ingest_once(redis, server, list(bodies), nlp, label)
                    rates.setdefault(label, []).append(rate)
    await redis.aclose()
    print(
        "median over rounds: "
        + ", ".join(f"{label} {statistics.median(r):.0f}/s" for label, r in rates.items())
    )


async def ingest_once(
    redis: Redis, server: FeedServer, paths: list[str], nlp: NlpPool, label: str
) -> float:
    await redis.flushdb()
    clock = FakeClock(NOW)
    store = FeedStore(redis)
    for path in paths:
        url = server.url(path)
        await store.add(Feed(id=feed_id_for(url), url=url, name=path, language="ru"), due=NOW)
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
            nlp=nlp if nlp.workers else None,
        )
        poller = Poller(store, fetcher, pipeline, clock, timedelta(minutes=5))
        cpu0, others0, started = time.process_time(), _children_cpu(), time.perf_counter()
        results = await poller.poll_due()
        elapsed = time.perf_counter() - started
        cpu, others = time.process_time() - cpu0, _children_cpu() - others0
    new = sum(r.new for r in results)
    failed = sum(r.failed for r in results)
    print(
        f"fetch→…→store, {label:<17} {new / elapsed:6.0f} articles/s  ({new} articles, "
        f"{failed} failed, {elapsed:.1f} s; ms CPU an article: event loop {cpu / new * 1000:.2f}, "
        f"workers + redis-server {others / new * 1000:.2f}; load {os.getloadavg()[0]:.2f}; "
        "goal ≥ 200)"
    )
    return new / elapsed


def _children_cpu() -> float:
    """CPU seconds of every process this one started, and theirs (redis-server, the fork
    server and its workers): /proc on Linux, else 0."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    mine, total = {os.getpid()}, 0.0
    for pid in sorted(parents):  # a child's pid is nearly always above its parent's
        if parents[pid] in mine:
            mine.add(pid)
            total += times[pid]
    return total


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
    parser.add_argument("--feeds", type=int, default=DEFAULT_FEEDS)
    parser.add_argument("--items", type=int, default=None, help="default: every text once")
    parser.add_argument("--workers", type=int, default=default_nlp_workers())
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--cycle-feeds", type=int, default=5000)
    args = parser.parse_args()
    configure_logging("WARNING")  # the pipeline's per-item lines would swamp the numbers
    with tempfile.TemporaryDirectory() as tmp:
        server = start_redis_server(Path(tmp))
        try:
            asyncio.run(throughput(server.url, args.feeds, args.items, args.workers, args.rounds))
            asyncio.run(cycle_304(server.url, args.cycle_feeds))
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
