"""Is the bot working? Redis answers, some instance completed a poll cycle lately, and how
much waits in the outbox. Everything is read from Redis, so any instance can tell."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot import keys
from bot.logs import get_logger

log = get_logger(__name__)

# A check that waits longer than this calls Redis down: the client's own retries across a
# restart take several seconds, and a load balancer's probe must not hang on them.
REDIS_TIMEOUT_SECONDS = 2.0
# Missing this many poll intervals in a row means the poll cycle is stuck or dead.
STALE_AFTER_INTERVALS = 3


@dataclass(frozen=True)
class Health:
    redis_ok: bool
    last_poll_age_seconds: float | None
    outbox_pending: int | None
    outbox_oldest_age_seconds: float | None
    healthy: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.healthy else "unhealthy",
            "redis": "ok" if self.redis_ok else "error",
            "last_poll_age_seconds": self.last_poll_age_seconds,
            "outbox": {
                "pending": self.outbox_pending,
                "oldest_age_seconds": self.outbox_oldest_age_seconds,
            },
        }


async def record_poll_done(redis: Redis, now: datetime) -> None:
    await redis.set(keys.last_poll(), f"{now.timestamp():.3f}")


async def check_health(
    redis: Redis, now: datetime, poll_interval: timedelta, started_at: datetime
) -> Health:
    """`now` from the bot's clock (the poller records its time with the same clock);
    `started_at`: when this process started, which excuses a first cycle not yet done."""
    try:
        last_poll, pending, oldest_age = await asyncio.wait_for(_read(redis), REDIS_TIMEOUT_SECONDS)
    except (RedisError, OSError, TimeoutError) as exc:
        log.warning("health_redis_unreachable", error=str(exc) or type(exc).__name__)
        return Health(False, None, None, None, healthy=False)
    poll_age = None if last_poll is None else round(max(0.0, now.timestamp() - last_poll), 3)
    window = (poll_interval * STALE_AFTER_INTERVALS).total_seconds()
    just_started = (now - started_at).total_seconds() < window
    polling = (poll_age is not None and poll_age < window) or just_started
    return Health(True, poll_age, pending, oldest_age, healthy=polling)


async def _read(redis: Redis) -> tuple[float | None, int, float | None]:
    async with redis.pipeline(transaction=False) as pipe:
        pipe.get(keys.last_poll())
        pipe.xlen(keys.outbox())
        pipe.xrange(keys.outbox(), count=1)
        last_poll, pending, first = await pipe.execute()
    # Stream ids carry Redis's clock, so the age is taken against Redis's clock too. (Not
    # in the pipeline: a Cluster pipeline refuses TIME, which belongs to no key.)
    seconds, micros = await redis.time()
    oldest_age = None
    if first:
        entry_ms = int(str(first[0][0]).partition("-")[0])
        oldest_age = round(max(0.0, seconds + micros / 1e6 - entry_ms / 1000), 3)
    return (float(last_poll) if last_poll is not None else None), int(pending), oldest_age
