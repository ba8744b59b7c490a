"""Roles and the audit log against real Redis: owners fixed by ADMIN_IDS, admins added and
removed, and an audit log that keeps only the newest entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from bot import keys
from bot.admins import AdminService, Role
from bot.clock import FakeClock


async def test_owners_admins_and_everyone_else(redis: Redis) -> None:
    admins = AdminService(redis, frozenset({1, 2}), FakeClock(datetime(2026, 11, 24, tzinfo=UTC)))
    assert await admins.role(1) is Role.OWNER
    assert await admins.role(3) is Role.NONE
    assert not await admins.add_admin(1)  # an owner is not also an admin
    assert await admins.add_admin(3)
    assert not await admins.add_admin(3)
    assert await admins.role(3) is Role.ADMIN
    assert await admins.everyone() == [1, 2, 3]
    assert await admins.remove_admin(3)
    assert not await admins.is_admin(3)
    assert not await admins.remove_admin(1)  # owners are not in the chat-managed set
    assert await admins.is_admin(1)


async def test_the_audit_log_keeps_the_newest_entries_up_to_its_cap(redis: Redis) -> None:
    clock = FakeClock(datetime(2026, 11, 24, 3, 0, tzinfo=UTC))
    admins = AdminService(redis, frozenset({1}), clock, max_entries=3)
    for number in range(5):
        await admins.record(1, "Dana", "addfeed", f"feed {number}")
        clock.advance(timedelta(minutes=1))
    entries = await admins.recent()
    assert [e.detail for e in entries] == ["feed 4", "feed 3", "feed 2"]
    assert entries[0].at == datetime(2026, 11, 24, 3, 4, tzinfo=UTC)
    assert (entries[0].actor_id, entries[0].actor_name) == (1, "Dana")
    assert await redis.xlen(keys.audit_log()) == 3
