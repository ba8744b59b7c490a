"""Leader election against a real redis-server: one leader, renewal, hand-over, and a
leader that stops leading when its lock is taken or Redis goes away."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

from redis.asyncio import Redis

from bot import keys
from bot.leader import Leadership, current_leader
from bot.redis_client import connect
from bot.redis_server import start_redis_server
from tests.waiting import until

TTL = 2.0  # the least LEADER_TTL allows: the tests wait in fractions of it


@contextlib.asynccontextmanager
async def two_instances(redis: Redis) -> AsyncIterator[tuple[Leadership, Leadership, list[str]]]:
    """bot-a started first, then bot#b; the list collects who was elected after starting."""
    elected: list[str] = []
    a = Leadership(redis, "bot-a", TTL, on_elected=lambda: elected.append("a"))
    b = Leadership(redis, "bot#b", TTL, on_elected=lambda: elected.append("b"))
    await a.start()
    await b.start()
    try:
        yield a, b, elected
    finally:
        await b.close()
        await a.close()


async def test_one_instance_leads_renews_and_the_others_can_name_it(redis: Redis) -> None:
    async with two_instances(redis) as (a, b, elected):
        assert (a.is_leader, b.is_leader) == (True, False)
        assert await current_leader(redis) == "bot-a"
        # Past one TTL the lock would be gone without renewals.
        deadline = time.monotonic() + TTL * 1.2
        while time.monotonic() < deadline:
            assert (a.is_leader, b.is_leader) == (True, False)
            assert 0 < await redis.pttl(keys.leader_lock()) <= TTL * 1000
            await asyncio.sleep(0.1)
        assert elected == []  # elected while starting: its first poll cycle is due anyway


async def test_a_leader_that_stops_hands_over_at_the_next_try(redis: Redis) -> None:
    async with two_instances(redis) as (a, b, elected):
        await a.close()
        assert not a.is_leader
        took = await until(lambda: b.is_leader, TTL)
        assert took <= TTL / 3 + 0.2  # b's next try, not the lock's expiry
        assert await current_leader(redis) == "bot#b"  # the name may hold the separator
        assert elected == ["b"]
    assert await current_leader(redis) is None


async def test_a_leader_whose_lock_was_taken_stops_leading_at_its_next_renewal(
    redis: Redis,
) -> None:
    a = Leadership(redis, "bot-a", TTL)
    await a.start()
    try:
        assert a.is_leader
        # As if a's lock had expired (a paused too long) and another process took it.
        await redis.set(keys.leader_lock(), "bot-z#0123", px=int(TTL * 1000))
        await until(lambda: not a.is_leader, TTL / 3 + 0.5)
        assert await current_leader(redis) == "bot-z"
        # The intruder does not renew: a leads again once its lock expires.
        await until(lambda: a.is_leader, TTL + TTL / 3 + 0.5)
    finally:
        await a.close()


async def test_a_leader_stops_leading_when_redis_goes_away(tmp_path: Path) -> None:
    server = start_redis_server(tmp_path)
    client = connect(server.url)
    a = Leadership(client, "bot-a", TTL)
    try:
        await a.start()
        assert a.is_leader
        server.shutdown()
        # At the failed renewal, and in any case before the lock would expire in Redis:
        # only then may another instance lead.
        lost = await until(lambda: not a.is_leader, TTL)
        print(f"\nRedis gone: leadership dropped after {lost:.2f} s (TTL {TTL} s)")
    finally:
        await a.close()
        await client.aclose()
        server.shutdown()


async def test_a_restart_under_the_same_name_leads_at_once_and_no_other_name_does(
    redis: Redis,
) -> None:
    # What a leader killed a moment ago leaves: its lock, most of a TTL still to run.
    await redis.set(keys.leader_lock(), "bot-a#deadbeef0123", px=int(TTL * 1000))
    other = Leadership(redis, "bot-b", TTL)
    restarted = Leadership(redis, "bot-a", TTL)
    await other.start()
    try:
        assert not other.is_leader
        await restarted.start()
        assert restarted.is_leader
        assert not other.is_leader
        assert await current_leader(redis) == "bot-a"
    finally:
        await restarted.close()
        await other.close()
