"""Roles and the audit log.

Owners are the user ids in ADMIN_IDS: fixed by whoever runs the bot, never changed in
chat. Owners add and remove admins in chat; admins (and owners) manage feeds, channels,
statistics and broadcasts. Every admin action lands in a capped Redis Stream with who,
what and when, read back by /audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from redis.asyncio import Redis

from bot import keys
from bot.clock import Clock


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    NONE = "none"

    @property
    def is_admin(self) -> bool:
        return self is not Role.NONE


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor_id: int
    actor_name: str
    action: str
    detail: str


class AdminService:
    def __init__(
        self,
        redis: Redis,
        owners: frozenset[int],
        clock: Clock,
        max_entries: int = keys.AUDIT_MAX_ENTRIES,
    ) -> None:
        self._redis = redis
        self._owners = owners
        self._clock = clock
        self._max_entries = max_entries

    @property
    def owners(self) -> list[int]:
        return sorted(self._owners)

    async def role(self, user_id: int) -> Role:
        if user_id in self._owners:
            return Role.OWNER
        if await self._redis.sismember(keys.admins(), str(user_id)):
            return Role.ADMIN
        return Role.NONE

    async def is_admin(self, user_id: int) -> bool:
        return (await self.role(user_id)).is_admin

    async def admins(self) -> list[int]:
        """The admins added in chat (owners not included)."""
        return sorted(int(i) for i in await self._redis.smembers(keys.admins()))

    async def everyone(self) -> list[int]:
        """Owners and admins: who sees the admin commands."""
        return sorted(set(self._owners) | set(await self.admins()))

    async def add_admin(self, user_id: int) -> bool:
        """False when the user already is an admin or an owner."""
        if user_id in self._owners:
            return False
        return bool(await self._redis.sadd(keys.admins(), str(user_id)))

    async def remove_admin(self, user_id: int) -> bool:
        return bool(await self._redis.srem(keys.admins(), str(user_id)))

    async def record(self, actor_id: int, actor_name: str, action: str, detail: str = "") -> None:
        """One admin action in the audit log; the oldest fall off past AUDIT_MAX_ENTRIES."""
        await self._redis.xadd(
            keys.audit_log(),
            {
                "at": self._clock().astimezone(UTC).isoformat(),
                "actor": str(actor_id),
                "name": actor_name[:64],
                "action": action,
                "detail": detail[:500],
            },
            maxlen=self._max_entries,
            approximate=False,
        )

    async def recent(self, count: int = 30) -> list[AuditEntry]:
        """The latest `count` actions, newest first."""
        rows = await self._redis.xrevrange(keys.audit_log(), count=count)
        return [
            AuditEntry(
                at=datetime.fromisoformat(fields["at"]),
                actor_id=int(fields["actor"]),
                actor_name=fields.get("name", ""),
                action=fields["action"],
                detail=fields.get("detail", ""),
            )
            for _id, fields in rows
        ]
