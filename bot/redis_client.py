"""The asyncio Redis client the bot uses."""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.redis_server import client_name

# Enough for the poll cycle's concurrent fetches plus the delivery workers; a burst beyond
# it waits for a free connection rather than failing (the default pool raises at once).
MAX_CONNECTIONS = 64
CONNECTION_WAIT_SECONDS = 20


def connect(url: str) -> Redis:
    """A client that retries across a Redis restart instead of failing the update."""
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=MAX_CONNECTIONS,
        timeout=CONNECTION_WAIT_SECONDS,
        decode_responses=True,
        client_name=client_name(),
        health_check_interval=30,
        socket_connect_timeout=5,
        retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), retries=6),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )
    return Redis.from_pool(pool)  # the client owns the pool and closes it
