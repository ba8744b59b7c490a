"""Shared fixtures: a real redis-server, the Bot API stand-in and the real Application."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.clock import FakeClock
from bot.redis_client import connect
from bot.redis_server import RedisServer, start_redis_server
from bot.services import Services
from config.settings import Settings, load_settings
from tests.fakes.telegram_server import BotApiStandIn

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One real redis-server per test session, started by the app's own launcher."""
    server = start_redis_server(tmp_path_factory.mktemp("redis"))
    yield server
    server.shutdown()


@pytest.fixture
async def redis(redis_server: RedisServer) -> AsyncIterator[Redis]:
    client = connect(redis_server.url)
    await client.flushdb()
    yield client
    await client.aclose()


@pytest.fixture
async def bot_api() -> AsyncIterator[BotApiStandIn]:
    api = BotApiStandIn()
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
def settings(bot_api: BotApiStandIn, redis_server: RedisServer, tmp_path: Path) -> Settings:
    # No default feeds: nothing in the tests may reach for the internet.
    feeds_file = tmp_path / "feeds.yaml"
    feeds_file.write_text("feeds: []\n")
    return load_settings(
        feeds_file=feeds_file,
        # Telegram's real pacing (1 s per private chat) would make the suite slow; the
        # delivery tests check the pacing mechanism at this shorter interval.
        private_chat_interval=0.2,
        instance_name="test",
        # The local feed server listens on 127.0.0.1, which is refused by default.
        fetch_allow_networks="127.0.0.0/8",
        telegram_bot_token=bot_api.token,
        telegram_api_url=bot_api.base_url,
        redis_url=redis_server.url,
        data_dir=tmp_path,
        _env_file=None,
    )


@pytest.fixture
def clock() -> FakeClock:
    """06:00 in Almaty (01:00 UTC) on 24 November 2026; tests move it forward."""
    return FakeClock(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))


@pytest.fixture
async def services(settings: Settings, redis: Redis, clock: FakeClock) -> Services:
    return Services(settings=settings, redis=redis, clock=clock)


@pytest.fixture
async def running_app(services: Services) -> AsyncIterator[Application]:
    """The real Application polling the stand-in, as `run` would start it (post_init included)."""
    application = build_application(services)
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(
        timeout=1, poll_interval=0, allowed_updates=ALLOWED_UPDATES
    )
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data is absent ({SHARED_DATA}): real-text tests need it")
    return SHARED_DATA


async def outbox_drained(services: Services, attempts: int = 100) -> bool:
    """Wait until the sender has acknowledged everything queued (it lands just after
    Telegram's answer, so a test that saw the send must still wait for it)."""
    for _ in range(attempts):
        if await services.outbox.depth() == 0:
            return True
        await asyncio.sleep(0.05)
    return False


def telegram_user(user_id: int = 1001, language_code: str | None = "en", **extra: Any) -> dict:
    user = {"id": user_id, "is_bot": False, "first_name": "Aigerim"}
    if language_code is not None:
        user["language_code"] = language_code
    return {**user, **extra}
