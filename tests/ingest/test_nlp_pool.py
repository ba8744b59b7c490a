"""Parsing and NLP in worker processes (bot/ingest/nlp_pool.py): the same stored articles
as inline, nothing lost when a worker dies, and the pool's life with the app's."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot import keys
from bot.app import build_application
from bot.articles import ArticleStore
from bot.clock import FakeClock
from bot.feeds import Feed, FeedStore, feed_id_for
from bot.ingest.fetch import FeedFetcher, FetchLimits
from bot.ingest.nlp_pool import NlpPool
from bot.ingest.pipeline import FeedSource, IngestPipeline
from bot.poller import Poller
from bot.search import SearchIndex
from bot.services import Services
from bot.story_index import StoryIndex
from config.settings import Settings, SettingsError, load_settings
from tests.fakes.feed_server import FeedServer
from tests.ingest.feeds import LOCAL, LOCAL_NETWORKS, POLITICS_KK, POLITICS_RU, fixture, rss
from tests.waiting import until

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=5)
ROOT = Path(__file__).resolve().parents[2]
# Real outlets' shapes: Kazakh RSS 2.0 and Atom, Russian RSS 0.91 whose item links to a
# page the pipeline extracts (in a worker too).
FIXTURE_FEEDS = (
    ("kazinform_kk_rss2.xml", "kk"),
    ("egemen_kk.atom", "kk"),
    ("tengri_ru_rss091.xml", "ru"),
)
PAGE_URL = "https://tengrinews.kz/kazakhstan_news/senat-odobril-zakon-529901/"


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        yield srv


def news(prefix: str, count: int) -> list[dict[str, str]]:
    sources = (POLITICS_RU, POLITICS_KK)
    return [
        {
            "title": f"{sources[i % 2]['title']} {prefix}{i}",
            "link": f"https://example.kz/{prefix}/{i}",
            "description": sources[i % 2]["description"],
        }
        for i in range(count)
    ]


def alive(pid: int) -> bool:
    """Running, not a zombie its parent has yet to reap."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def stored_everything(redis: Redis, server: FeedServer, nlp: NlpPool | None) -> dict:
    """Ingest the fixture feeds into an empty Redis: every article's stored hash and search
    record (its index terms), by id."""
    await redis.flushdb()
    articles = ArticleStore(redis)
    async with FeedFetcher(
        FetchLimits(total_timeout=5.0, allow_networks=LOCAL_NETWORKS)
    ) as fetcher:
        pipeline = IngestPipeline(
            redis,
            articles,
            StoryIndex(redis),
            clock=FakeClock(NOW),
            fetcher=fetcher,
            on_stored=[SearchIndex(redis, articles).add],
            nlp=nlp,
        )
        ids = []
        for name, language, body in (
            *((n, lang, fixture(n)) for n, lang in FIXTURE_FEEDS),
            # Another outlet's copies of Kazinform's news: the same stories.
            ("copies", "kk", fixture(FIXTURE_FEEDS[0][0]).replace(b"kaz.inform.kz", b"qz.kz")),
        ):
            body = body.replace(PAGE_URL.encode(), server.url("article").encode())
            source = FeedSource(url=f"https://example.kz/{name}", name=name, language=language)
            stats = await pipeline.ingest_feed_body(source, body, final_url=source.url)
            assert stats.failed == 0
            ids += [a.id for a in stats.articles]
    return {
        article_id: (
            await redis.hgetall(keys.article(article_id)),
            await redis.get(keys.search_doc_terms(article_id)),
        )
        for article_id in ids
    }


async def test_articles_analysed_in_a_worker_are_stored_exactly_as_inline(
    redis: Redis, server: FeedServer
) -> None:
    server.add("article", fixture("article_page.html"), content_type="text/html; charset=utf-8")
    inline = await stored_everything(redis, server, None)
    async with NlpPool(1) as nlp:
        assert await nlp.run(os.getpid) != os.getpid()
        pooled = await stored_everything(redis, server, nlp)
    assert pooled == inline
    stored = [hash_ for hash_, _ in pooled.values()]
    assert {a["language"] for a in stored} == {"kk", "ru"}
    assert len({a["story_id"] for a in stored}) < len(stored)  # some share a story
    assert any("смешанной избирательной системе" in a["body"] for a in stored)  # the page's
    assert all(record for _, record in pooled.values())  # every one is searchable


class KillsWorkerOnFirstRead:
    """The pipeline's clock, read once per item after the feed is parsed and before the
    items are classified: the first read kills the pool's worker, as the OOM killer would."""

    def __init__(self, pid: int) -> None:
        self.pid: int | None = pid

    def __call__(self) -> datetime:
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            self.pid = None
        return NOW


async def add_feed(redis: Redis, url: str, due: datetime = NOW) -> None:
    await FeedStore(redis).add(Feed(id=feed_id_for(url), url=url, name="kz", language="ru"), due)


async def test_a_worker_killed_while_items_are_analysed_loses_none_of_them(
    redis: Redis, server: FeedServer
) -> None:
    server.add("kz.xml", rss(news("w", 5)).encode())
    await add_feed(redis, server.url("kz.xml"))
    clock = FakeClock(NOW)
    async with NlpPool(1) as nlp, FeedFetcher(LOCAL) as fetcher:
        worker = await nlp.run(os.getpid)
        pipeline = IngestPipeline(
            redis, ArticleStore(redis), StoryIndex(redis), KillsWorkerOnFirstRead(worker), nlp=nlp
        )
        poller = Poller(FeedStore(redis), fetcher, pipeline, clock, INTERVAL)
        [first] = await poller.poll_due()
        assert (first.new, first.failed) == (0, 5)
        assert await ArticleStore(redis).count() == 0
        clock.advance(INTERVAL)
        [second] = await poller.poll_due()  # the whole feed again: it had failed items
        assert (second.new, second.failed, second.seen) == (5, 0, 0)
        assert await nlp.run(os.getpid) not in (worker, os.getpid())  # a new worker
    assert await ArticleStore(redis).count() == 5


async def test_a_worker_killed_before_the_poll_fails_the_feed_until_its_retry(
    redis: Redis, server: FeedServer
) -> None:
    server.add("kz.xml", rss(news("p", 3)).encode())
    await add_feed(redis, server.url("kz.xml"))
    clock = FakeClock(NOW)
    async with NlpPool(1) as nlp, FeedFetcher(LOCAL) as fetcher:
        os.kill(await nlp.run(os.getpid), signal.SIGKILL)
        pipeline = IngestPipeline(redis, ArticleStore(redis), StoryIndex(redis), clock, nlp=nlp)
        poller = Poller(FeedStore(redis), fetcher, pipeline, clock, INTERVAL)
        [first] = await poller.poll_due()
        assert first.error is not None
        assert "worker parsing it died" in first.error
        clock.advance(2 * INTERVAL)  # the failed feed's backoff
        [second] = await poller.poll_due()
        assert (second.error, second.new) == (None, 3)


async def test_the_app_starts_its_workers_for_polling_and_stops_them_with_it(
    services: Services, server: FeedServer
) -> None:
    services.settings = services.settings.model_copy(update={"nlp_workers": 1})
    server.add("kz.xml", rss(news("a", 2)).encode())
    await add_feed(services.redis, server.url("kz.xml"), services.clock())
    application = build_application(services)
    await application.initialize()
    assert application.post_init is not None
    assert application.post_shutdown is not None
    await application.post_init(application)
    try:
        assert services.nlp is not None
        assert services.poller is not None
        assert services.nlp.workers == 1
        [stats] = await services.poller.poll_due()
        assert stats.new == 2
        worker = await services.nlp.run(os.getpid)
        assert worker != os.getpid()
        assert alive(worker)
    finally:
        await application.shutdown()
        await application.post_shutdown(application)
    await until(lambda: not alive(worker), 10, "the worker's exit")
    with pytest.raises(RuntimeError, match="closed"):
        await services.nlp.run(os.getpid)


async def test_no_workers_runs_the_analysis_in_the_event_loop(
    settings: Settings, redis: Redis, server: FeedServer
) -> None:
    services = Services(settings=settings.model_copy(update={"nlp_workers": 0}), redis=redis)
    server.add("kz.xml", rss(news("i", 2)).encode())
    async with NlpPool(services.settings.nlp_workers) as nlp, FeedFetcher(LOCAL) as fetcher:
        assert await nlp.run(os.getpid) == os.getpid()
        source = FeedSource(url=server.url("kz.xml"), name="kz", language="ru")
        fetched = await fetcher.fetch(source.url)
        stats = await services.ingest_pipeline(fetcher, nlp).ingest_feed_body(
            source, fetched.body, final_url=fetched.final_url
        )
    assert stats.new == 2


def test_nlp_workers_is_a_count_of_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NLP_WORKERS", raising=False)
    assert load_settings(_env_file=None).nlp_workers >= 1  # however few the CPUs
    assert load_settings(nlp_workers="0", _env_file=None).nlp_workers == 0
    with pytest.raises(SettingsError, match=r"^NLP_WORKERS: "):
        load_settings(nlp_workers="-1", _env_file=None)


async def test_workers_end_with_a_bot_killed_by_sigkill() -> None:
    """A worker waits on a pipe it holds both ends of; left alone it would run forever."""
    program = (
        "import asyncio, os\n"
        "from bot.ingest.nlp_pool import NlpPool\n"
        "async def main():\n"
        "    pool = NlpPool(1)\n"
        "    print(await pool.run(os.getpid), flush=True)\n"
        "    await asyncio.sleep(60)\n"
        "asyncio.run(main())\n"
    )
    bot = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        program,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert bot.stdout is not None
        worker = int(await asyncio.wait_for(bot.stdout.readline(), 30))
        assert alive(worker)
    finally:
        bot.kill()
        await bot.wait()
    await until(lambda: not alive(worker), 10, "the orphaned worker's exit")
