"""Subscribers: their settings and state in Redis, keyed by chat id (a digest goes to a
chat: private, group or channel)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime

from redis.asyncio import Redis

from bot import keys

LANGUAGES = ("kk", "ru", "en")
ARTICLE_LANGUAGES = ("kk", "ru")
DIGEST_SIZES = (5, 10, 20)


@dataclass
class Subscriber:
    chat_id: int
    user_id: int = 0
    language: str = "kk"
    timezone: str = "Asia/Almaty"
    digest_time: str = "08:00"
    article_languages: list[str] = field(default_factory=lambda: list(ARTICLE_LANGUAGES))
    sources: list[str] = field(default_factory=list)  # empty: every source
    digest_size: int = 10
    skip_empty: bool = False
    active: bool = True  # subscribed (False after /stop)
    paused: bool = False
    blocked: bool = False  # Telegram refused delivery (blocked, kicked, chat gone)
    first_name: str = ""
    thread_id: int = 0  # a forum topic (message_thread_id) in a group; 0: none
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    last_digest_at: datetime | None = None

    @property
    def receives_digests(self) -> bool:
        return self.active and not self.paused and not self.blocked

    def to_hash(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, value in asdict(self).items():
            if isinstance(value, bool):
                out[name] = "1" if value else "0"
            elif isinstance(value, list):
                out[name] = ",".join(value)
            elif isinstance(value, datetime):
                out[name] = value.isoformat()
            elif value is None:
                out[name] = ""
            else:
                out[name] = str(value)
        return out

    @classmethod
    def from_hash(cls, data: dict[str, str]) -> Subscriber:
        kwargs: dict[str, object] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            raw = data[f.name]
            if f.type == "int":
                kwargs[f.name] = int(raw)
            elif f.type == "bool":
                kwargs[f.name] = raw == "1"
            elif f.type.startswith("list"):
                kwargs[f.name] = [v for v in raw.split(",") if v]
            elif f.type.startswith("datetime"):
                kwargs[f.name] = datetime.fromisoformat(raw) if raw else None
            else:
                kwargs[f.name] = raw
        return cls(**kwargs)  # type: ignore[arg-type]


_SET_IF_EXISTS = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return false
"""


class SubscriberStore:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._set_if_exists = redis.register_script(_SET_IF_EXISTS)

    async def get(self, chat_id: int) -> Subscriber | None:
        data = await self._redis.hgetall(keys.subscriber(chat_id))
        return Subscriber.from_hash(data) if data else None

    async def save(self, sub: Subscriber) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.subscriber(sub.chat_id), mapping=sub.to_hash())
            pipe.sadd(keys.subscribers_all(), sub.chat_id)
            if sub.active and not sub.blocked:
                pipe.sadd(keys.subscribers_active(), sub.chat_id)
            else:
                pipe.srem(keys.subscribers_active(), sub.chat_id)
            await pipe.execute()

    async def subscribe(
        self, chat_id: int, user_id: int, language: str, timezone: str, first_name: str = ""
    ) -> tuple[Subscriber, bool]:
        """Store the chat as an active subscriber; returns (subscriber, is_new)."""
        existing = await self.get(chat_id)
        if existing is None:
            sub = Subscriber(
                chat_id=chat_id,
                user_id=user_id,
                language=language,
                timezone=timezone,
                first_name=first_name,
            )
            await self.save(sub)
            return sub, True
        existing.active, existing.blocked = True, False
        await self.save(existing)
        return existing, False

    async def set_language(self, chat_id: int, user_id: int, language: str) -> Subscriber:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        sub = await self.get(chat_id) or Subscriber(chat_id=chat_id, user_id=user_id)
        sub.language = language
        await self.save(sub)
        return sub

    async def set_blocked(self, chat_id: int, blocked: bool) -> Subscriber | None:
        """Telegram told us the chat is unreachable (or reachable again)."""
        sub = await self.get(chat_id)
        if sub is None:
            return None
        sub.blocked = blocked
        await self.save(sub)
        return sub

    async def move(self, old_chat_id: int, new_chat_id: int) -> Subscriber | None:
        """A group became a supergroup: same subscriber, new chat id."""
        sub = await self.get(old_chat_id)
        if sub is None:
            return None
        sub.chat_id = new_chat_id
        await self.save(sub)
        await self.delete(old_chat_id)
        return sub

    async def set_last_digest(self, chat_id: int, when: datetime) -> None:
        """Record one field, so a settings change made while the digest was being built is
        not overwritten; a chat deleted meanwhile (/forget) is not brought back."""
        await self._set_if_exists(
            keys=[keys.subscriber(chat_id)], args=["last_digest_at", when.isoformat()]
        )

    async def delete(self, chat_id: int) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(keys.subscriber(chat_id))
            pipe.srem(keys.subscribers_all(), chat_id)
            pipe.srem(keys.subscribers_active(), chat_id)
            await pipe.execute()

    async def active_ids(self) -> list[int]:
        return sorted(int(i) for i in await self._redis.smembers(keys.subscribers_active()))

    async def active_count(self) -> int:
        return int(await self._redis.scard(keys.subscribers_active()))
