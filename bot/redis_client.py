"""The asyncio Redis client the bot uses."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.redis_server import client_name


def connect(url: str) -> Redis:
    """A client that retries across a Redis restart instead of failing the update."""
    return Redis.from_url(
        url,
        decode_responses=True,
        client_name=client_name(),
        health_check_interval=30,
        socket_connect_timeout=5,
        retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), retries=6),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )
