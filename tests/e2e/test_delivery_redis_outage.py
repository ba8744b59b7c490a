"""Redis away for longer than the client's own retries: the running bot's delivery resumes
once Redis is back, instead of the bot staying up but silent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from telegram.ext import Application

from bot.outbox import OutgoingMessage
from bot.redis_client import connect
from bot.redis_server import RedisServer, start_redis_server
from bot.services import Services
from tests.conftest import outbox_drained
from tests.fakes.telegram_server import BotApiStandIn

CHAT = 611
# The client retries for about 7 s (bot/redis_client.py); the outage must outlast that.
OUTAGE_SECONDS = 10


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[list[RedisServer]]:
    servers = [start_redis_server(tmp_path / "redis")]
    yield servers  # the test replaces it with the restarted one
    servers[-1].shutdown()


@pytest.fixture
async def redis(own_server: list[RedisServer]) -> AsyncIterator[Redis]:
    client = connect(own_server[0].url)
    yield client
    await client.aclose()


def _messages(start: int, count: int) -> list[OutgoingMessage]:
    return [
        OutgoingMessage(key=f"outage:{i}", chat_id=CHAT, text=f"#{i}")
        for i in range(start, start + count)
    ]


@pytest.mark.timeout(120)
async def test_delivery_resumes_after_redis_was_down_past_the_clients_retries(
    running_app: Application,
    bot_api: BotApiStandIn,
    services: Services,
    own_server: list[RedisServer],
    tmp_path: Path,
) -> None:
    await services.outbox.enqueue(_messages(0, 2))
    await bot_api.wait_for("sendMessage", count=2, timeout=20)
    # Acceptances recorded before the outage (a send accepted but not yet recorded is the
    # documented one-duplicate window, not what this test is about).
    assert await outbox_drained(services)

    server = own_server[0]
    server.shutdown()
    await asyncio.sleep(OUTAGE_SECONDS)
    own_server.append(start_redis_server(tmp_path / "redis", port=server.port))

    await services.outbox.enqueue(_messages(2, 2))
    await bot_api.wait_for("sendMessage", count=4, timeout=60)
    assert [c.params["text"] for c in bot_api.sent_messages(CHAT)] == ["#0", "#1", "#2", "#3"]
    assert await outbox_drained(services)
