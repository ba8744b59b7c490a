"""Waiting for something a test can observe, with a message that says what never came."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable

from tests.fakes.telegram_server import BotApiStandIn

Condition = Callable[[], bool | Awaitable[bool]]


async def until(
    condition: Condition, timeout: float, what: str = "the condition", every: float = 0.02
) -> float:
    """Seconds until `condition` held (a plain or an async check)."""
    started = time.monotonic()
    deadline = started + timeout
    while True:
        outcome = condition()
        if inspect.isawaitable(outcome):
            outcome = await outcome
        if outcome:
            return time.monotonic() - started
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        await asyncio.sleep(every)


async def quiet(bot_api: BotApiStandIn, seconds: float = 0.5, timeout: float = 10) -> None:
    """Until no Bot API call has come for `seconds`: a late duplicate would show by then."""
    deadline = time.monotonic() + timeout
    seen, since = len(bot_api.calls), time.monotonic()
    while time.monotonic() - since < seconds and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        if len(bot_api.calls) != seen:
            seen, since = len(bot_api.calls), time.monotonic()
