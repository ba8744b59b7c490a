"""Every Prometheus metric the bot exports, in one place.

Counters and the histogram live in this process (each instance is scraped on its own, as
Prometheus expects); the gauges about shared state (Redis, the outbox, the last poll) are
read from Redis at scrape time, so every instance reports the same values for them.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from prometheus_client import Counter, Gauge, Histogram
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)

POLL_CYCLES = Counter("sayasat_poll_cycles", "Poll cycles completed.")
FETCH_ERRORS = Counter(
    "sayasat_fetch_errors",
    "Feeds whose fetch or parse failed in a poll cycle, by kind (bot.ingest.fetch.FetchError).",
    ["kind"],
)
ARTICLES_STORED = Counter("sayasat_articles_stored", "Articles stored after classification.")
SENDS = Counter(
    "sayasat_sends",
    "Messages sent to Telegram, each attempt counted by its outcome.",
    ["outcome"],
)
SEND_SECONDS = Histogram(
    "sayasat_send_seconds",
    "Time one send_message took, the rate limiter's waits included.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
WEBHOOK_REQUESTS = Counter(
    "sayasat_webhook_requests",
    "Posts to the webhook path by result: accepted, forbidden (secret), malformed.",
    ["result"],
)
REDIS_UP = Gauge("sayasat_redis_up", "1 when Redis answered the last scrape, else 0.")
OUTBOX_PENDING = Gauge("sayasat_outbox_pending", "Messages in the outbox not yet delivered.")
OUTBOX_OLDEST_AGE = Gauge(
    "sayasat_outbox_oldest_age_seconds", "Age of the oldest message waiting in the outbox."
)
LAST_POLL_AGE = Gauge(
    "sayasat_last_poll_age_seconds", "Seconds since any instance completed a poll cycle."
)


def send_outcome(error: BaseException) -> str:
    """The label for a send that raised; the order matters (BadRequest and TimedOut are
    NetworkErrors in PTB)."""
    if isinstance(error, RetryAfter):
        return "retry_after"
    if isinstance(error, ChatMigrated):
        return "migrated"
    if isinstance(error, Forbidden):
        return "forbidden"
    if isinstance(error, BadRequest):
        reason = str(error).lower()
        if "chat not found" in reason or "user not found" in reason:
            return "chat_not_found"
        if "can't parse entities" in reason:
            return "parse_error"
        return "bad_request"
    if isinstance(error, TimedOut):
        return "timeout"
    if isinstance(error, NetworkError):
        return "network"
    return "error"


@asynccontextmanager
async def timed_send() -> AsyncIterator[None]:
    """Around one send_message: its latency and its outcome (a cancelled send counts as
    neither: it has no outcome)."""
    started = time.perf_counter()
    try:
        yield
    except Exception as exc:
        SEND_SECONDS.observe(time.perf_counter() - started)
        SENDS.labels(outcome=send_outcome(exc)).inc()
        raise
    SEND_SECONDS.observe(time.perf_counter() - started)
    SENDS.labels(outcome="sent").inc()
