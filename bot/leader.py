"""Leader election: of several bot processes on one Redis, one at a time runs the poll cycle.

The leader holds a lock in Redis with a TTL (redis-py's `Lock`: SET NX PX to take it, a
compare-and-set script to renew it) and renews it every third of the TTL. The lock's
value is the holder's instance name and a per-process token, so any process can tell who
leads and two processes given the same name never share the lock.

A leader stops counting itself leader the moment a renewal fails (the lock was taken,
Redis is unreachable or slower than a third of the TTL), and in any case when the TTL it
last set runs out: that is the earliest moment Redis lets another process take the lock,
so two processes never both think they lead (clock drift aside). The others retry when
the lock is due to expire, so a leader that died is replaced within one TTL. A poll cycle
already running when its process stops leading runs to its end rather than leaving items
half-processed: each item is claimed on its own, so two cycles never store one twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable

from redis.asyncio import Redis
from redis.exceptions import LockError, LockNotOwnedError, RedisError

from bot import keys
from bot.logs import get_logger

log = get_logger(__name__)

LEADERSHIP_KEY = "leadership"  # in Application.bot_data
_SEPARATOR = "#"
# A non-leader retries this long after the lock's expiry, so it asks just after it.
_AFTER_EXPIRY = 0.005


def holder_name(lock_value: str) -> str:
    """The instance name in a lock value (`name#token`; the name may hold a `#` itself)."""
    return lock_value.rpartition(_SEPARATOR)[0] or lock_value


async def current_leader(redis: Redis) -> str | None:
    """The instance name of the process leading now, None when none does."""
    value = await redis.get(keys.leader_lock())
    return None if value is None else holder_name(value)


class Leadership:
    def __init__(
        self,
        redis: Redis,
        instance_name: str,
        ttl: float,
        *,
        on_elected: Callable[[], object] | None = None,
    ) -> None:
        self._redis = redis
        self._ttl = ttl
        self.instance_name = instance_name
        self._token = f"{instance_name}{_SEPARATOR}{uuid.uuid4().hex[:12]}"
        # thread_local=False: one asyncio task renews what another acquired.
        self._lock = redis.lock(keys.leader_lock(), timeout=ttl, blocking=False, thread_local=False)
        self._on_elected = on_elected
        # Redis may hold our token: renew rather than acquire.
        self._held = False
        # Monotonic time at which the lock we last set expires, at the latest.
        self._valid_until = 0.0
        self._redis_failing = False
        self._task: asyncio.Task[None] | None = None

    @property
    def is_leader(self) -> bool:
        return self._held and time.monotonic() < self._valid_until

    async def start(self) -> None:
        """Try once now, then keep trying and renewing in a background task until `close()`.
        Elected by this first try, the process is starting: `on_elected` is left out, its
        own first poll cycle is already due."""
        await self._release_previous_run()
        delay = await self.step(notify=False)
        self._task = asyncio.create_task(self._run(delay), name="leadership")

    async def _release_previous_run(self) -> None:
        """A lock held under this instance's own name is its previous run's, which died:
        names are unique among running processes (the outbox consumer relies on it too).
        Released, a restart leads at once instead of after the TTL."""
        with contextlib.suppress(LockError, RedisError, OSError, TimeoutError):
            async with asyncio.timeout(self._ttl / 3):
                value = await self._redis.get(keys.leader_lock())
                if value is None or holder_name(value) != self.instance_name:
                    return
                # Deletes only that value: compare-and-delete, as Lock.release does.
                await self._lock.do_release(value)
                log.info("leader_lock_of_previous_run_released", instance=self.instance_name)

    async def close(self) -> None:
        """Stop, and hand the lock back so another instance takes over at its next try
        instead of after the TTL."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        was_leader = self.is_leader
        self._valid_until = 0.0
        self._held = False
        if not was_leader:  # the lock is gone, or Redis is failing and would not answer
            return
        with contextlib.suppress(LockError, RedisError, OSError, TimeoutError):
            async with asyncio.timeout(2):
                await self._lock.release()
        log.info("leader_resigned", instance=self.instance_name)

    async def _run(self, delay: float) -> None:
        while True:
            await asyncio.sleep(delay)
            delay = await self.step()

    async def step(self, *, notify: bool = True) -> float:
        """Take or renew the lock once; returns the seconds to wait before the next try."""
        started = time.monotonic()
        was_leader = self.is_leader
        try:
            # The client retries a lost connection for seconds; a renewal that late is
            # worthless, and the leader must know it has lost the lock before it expires.
            async with asyncio.timeout(self._ttl / 3):
                if self._held:
                    await self._lock.reacquire()
                elif not await self._lock.acquire(token=self._token):
                    return await self._until_expiry()
        except LockNotOwnedError:
            self._held = False
            self._lost(was_leader, "lock expired or taken by another instance")
            return 0.0
        except (RedisError, OSError, TimeoutError) as exc:
            # Still `_held`: Redis may keep our token, and renewing it is the way back.
            error = f"{type(exc).__name__}: {exc}".removesuffix(": ")
            self._lost(was_leader, f"redis: {error}")
            if not was_leader and not self._redis_failing:
                log.warning("leader_election_failed", instance=self.instance_name, error=error)
            self._redis_failing = True
            return self._ttl / 3
        self._redis_failing = False
        self._held = True
        self._valid_until = started + self._ttl
        if not was_leader:
            log.info("leader_elected", instance=self.instance_name, ttl=self._ttl)
            if notify and self._on_elected is not None:
                try:
                    self._on_elected()
                except Exception:
                    log.exception("leader_elected_callback_failed")
        return self._ttl / 3

    async def _until_expiry(self) -> float:
        self._redis_failing = False
        remaining_ms = await self._redis.pttl(keys.leader_lock())
        if remaining_ms == -2:  # expired between our SET NX and now
            return 0.0
        if remaining_ms < 0:  # no TTL: not a lock we set; check again later
            return self._ttl / 3
        return min(self._ttl / 3, remaining_ms / 1000 + _AFTER_EXPIRY)

    def _lost(self, was_leader: bool, reason: str) -> None:
        self._valid_until = 0.0
        if was_leader:
            log.warning("leader_lost", instance=self.instance_name, reason=reason)
