"""What an operator watches: /healthz (Redis, the poll cycle, the outbox), /metrics in
Prometheus' format, and a request id on every log line written for one update."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis
from telegram.ext import Application

from bot import keys
from bot.app import build_application
from bot.clock import FakeClock
from bot.feeds import Feed, feed_id_for
from bot.health import STALE_AFTER_INTERVALS
from bot.ingest.fetch import FeedFetcher, FetchLimits
from bot.logs import configure_logging
from bot.outbox import OutgoingMessage
from bot.poller import Poller
from bot.redis_client import connect
from bot.redis_server import RedisServer, free_port, start_redis_server
from bot.services import Services
from bot.texts import text
from bot.web import build_web_app, start_web_server
from config.settings import Settings
from tests.bot_process import BotProcess, bot_env
from tests.conftest import outbox_drained, telegram_user
from tests.fakes.feed_server import FeedServer
from tests.fakes.telegram_server import BotApiStandIn
from tests.ingest.feeds import rss


@asynccontextmanager
async def serving(application: Application) -> AsyncIterator[str]:
    server = await start_web_server(build_web_app(application), "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        await server.stop()


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def healthz(base: str) -> tuple[int, dict[str, Any]]:
    status, body = await get(f"{base}/healthz")
    return status, json.loads(body)


async def metrics(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    status, body = await get(f"{base}/metrics")
    assert status == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def value(scraped: dict, name: str, **labels: str) -> float:
    return scraped.get((name, tuple(sorted(labels.items()))), 0.0)


def no_background_polls(application: Application) -> None:
    """The tests poll when they choose; the app's own poll job would race them."""
    assert application.job_queue is not None
    [job] = application.job_queue.get_jobs_by_name("poll_cycle")
    job.enabled = False


async def test_healthz_goes_503_when_no_poll_cycle_completed_for_three_intervals(
    services: Services, clock: FakeClock
) -> None:
    # Built, not started, and our own poller: no background cycle races the clock.
    application = build_application(services)
    interval = timedelta(seconds=services.settings.poll_interval)
    async with FeedFetcher(FetchLimits()) as fetcher, serving(application) as base:
        poller = Poller(
            services.feeds,
            fetcher,
            services.ingest_pipeline(fetcher),
            clock=clock,
            interval=interval,
            redis=services.redis,
        )
        await poller.poll([])
        clock.advance(timedelta(minutes=10))
        status, body = await healthz(base)
        assert (status, body["status"], body["redis"]) == (200, "ok", "ok")
        assert body["last_poll_age_seconds"] == 600.0

        window = interval * STALE_AFTER_INTERVALS
        clock.advance(window - timedelta(minutes=10))
        status, body = await healthz(base)
        assert (status, body["status"]) == (503, "unhealthy")
        assert body["redis"] == "ok"
        assert body["last_poll_age_seconds"] == window.total_seconds()

        await poller.poll([])
        status, body = await healthz(base)
        assert (status, body["last_poll_age_seconds"]) == (200, 0.0)


async def test_healthz_is_ok_at_start_before_any_poll_cycle_and_503_if_none_comes(
    services: Services, clock: FakeClock
) -> None:
    async with serving(build_application(services)) as base:
        status, body = await healthz(base)
        assert status == 200
        assert body["last_poll_age_seconds"] is None
        assert body["outbox"] == {"pending": 0, "oldest_age_seconds": None}
        clock.advance(timedelta(seconds=services.settings.poll_interval) * STALE_AFTER_INTERVALS)
        status, body = await healthz(base)
        assert (status, body["last_poll_age_seconds"]) == (503, None)


async def test_healthz_counts_the_outbox_and_its_oldest_message(
    services: Services, redis: Redis
) -> None:
    # Built, not started: no sender drains the outbox while we look at it.
    application = build_application(services)
    ten_minutes_ago_ms = int(time.time() * 1000) - 600_000
    waiting = OutgoingMessage(key="digest:1:old", chat_id=1, text="old")
    await redis.xadd(keys.outbox(), waiting.to_fields(), id=f"{ten_minutes_ago_ms}-0")
    await services.outbox.enqueue([OutgoingMessage(key="digest:2:new", chat_id=2, text="new")])

    async with serving(application) as base:
        status, body = await healthz(base)
        assert status == 200
        assert body["outbox"]["pending"] == 2
        assert 600 <= body["outbox"]["oldest_age_seconds"] < 660
        scraped = await metrics(base)
        assert value(scraped, "sayasat_outbox_pending") == 2
        assert 600 <= value(scraped, "sayasat_outbox_oldest_age_seconds") < 660


async def test_healthz_is_503_while_redis_is_down(settings: Settings, tmp_path: Path) -> None:
    server = start_redis_server(tmp_path / "redis-down")
    client = connect(server.url)
    try:
        application = build_application(Services(settings=settings, redis=client))
        async with serving(application) as base:
            assert (await healthz(base))[0] == 200
            server.shutdown()
            started = time.monotonic()
            (status, body), scraped = await asyncio.gather(healthz(base), metrics(base))
            took = time.monotonic() - started
            assert status == 503
            assert body["redis"] == "error"
            assert body["outbox"] == {"pending": None, "oldest_age_seconds": None}
            assert value(scraped, "sayasat_redis_up") == 0
            # A probe gets its answer while the client would still be retrying.
            assert took < 5
    finally:
        server.shutdown()
        await client.aclose()


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    async with FeedServer() as server:
        items = [
            {
                "title": f"Мәжіліс сайлау туралы заңды қарады {n}",
                "link": server.url(f"news/{n}"),
                "guid": f"news-{n}",
                "description": "Мәжіліс депутаттары сайлау туралы заңға түзетулерді қарады. " * 8,
            }
            for n in range(2)
        ]
        server.add("good.xml", rss(items).encode())
        server.fail("broken.xml", 500)
        yield server


async def test_metrics_show_sends_by_outcome_and_fetch_errors_by_kind(
    running_app: Application, bot_api: BotApiStandIn, services: Services, feeds: FeedServer
) -> None:
    no_background_polls(running_app)
    async with serving(running_app) as base:
        before = await metrics(base)
        bot_api.block(6002)
        await services.outbox.enqueue(
            [
                OutgoingMessage(key="digest:6001:1", chat_id=6001, text="<b>a</b>"),
                OutgoingMessage(key="digest:6002:1", chat_id=6002, text="<b>b</b>"),
            ]
        )
        assert await outbox_drained(services)
        assert services.poller is not None
        stored = [
            Feed(id=feed_id_for(feeds.url(name)), url=feeds.url(name), name=name, language="kk")
            for name in ("good.xml", "broken.xml")
        ]
        await services.poller.poll(stored)
        after = await metrics(base)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("sayasat_sends_total", outcome="sent") == 1
    assert delta("sayasat_sends_total", outcome="forbidden") == 1
    assert delta("sayasat_send_seconds_count") == 2
    assert delta("sayasat_fetch_errors_total", kind="http_status") == 1
    # At least ours: the app's own job may have run one cycle before it was disabled.
    assert delta("sayasat_poll_cycles_total") >= 1
    assert delta("sayasat_articles_stored_total") == 2
    assert value(after, "sayasat_outbox_pending") == 0
    assert value(after, "sayasat_redis_up") == 1
    assert value(after, "sayasat_last_poll_age_seconds") == 0


async def test_every_log_line_of_a_handled_update_carries_its_request_id(
    running_app: Application, bot_api: BotApiStandIn, capfd: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", "json", secrets=[bot_api.token])
    # Two updates whose replies fail: each failure is logged by the error handler.
    bot_api.inject("sendMessage", "500", times=1, chat_id=7001)
    bot_api.inject("sendMessage", "500", times=1, chat_id=7002)
    bot_api.send_command(telegram_user(7001), "/help")
    bot_api.send_command(telegram_user(7002), "/help")
    await bot_api.wait_for("sendMessage", count=2)

    failures = [
        line
        for line in map(json.loads, _json_lines(capfd.readouterr().err))
        if line.get("event") == "handler_failed"
    ]
    assert [line["user_id"] for line in failures] == [7001, 7002]
    for line in failures:
        assert line["request_id"] == f"u{line['update_id']}"
    assert failures[0]["request_id"] != failures[1]["request_id"]


def _json_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("{")]


@pytest.mark.timeout(60)
async def test_the_polling_bot_serves_healthz_on_http_port_and_stops_on_sigterm(
    bot_api: BotApiStandIn, redis_server: RedisServer, redis: Redis, tmp_path: Path
) -> None:
    port = free_port()
    env = bot_env(
        bot_api,
        redis_server,
        tmp_path,
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        LOG_LEVEL="WARNING",
    )
    bot = BotProcess(env, tmp_path, tmp_path / "bot.log")
    bot.start()
    try:
        # The first poll cycle runs a second after the start; /healthz sees it when done.
        deadline = time.monotonic() + 30
        body: dict[str, Any] = {}
        while body.get("last_poll_age_seconds") is None:
            assert bot.alive(), bot.output()
            assert time.monotonic() < deadline, f"no poll cycle seen: {body}\n{bot.output()}"
            try:
                status, body = await healthz(f"http://127.0.0.1:{port}")
            except aiohttp.ClientConnectionError:
                status, body = 0, {}
            await asyncio.sleep(0.1)
        assert status == 200
        assert body["redis"] == "ok"
        assert body["last_poll_age_seconds"] < 30

        user = telegram_user(7101)
        bot_api.send_command(user, "/start")
        [reply] = await bot_api.wait_for("sendMessage", timeout=20)
        assert reply.params["text"] == text("welcome", "en", name=user["first_name"])
    finally:
        await bot.stop()
    assert bot.process is not None
    assert bot.process.returncode == 0, bot.output()
