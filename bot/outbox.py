"""The outbox: every outgoing message waits in a Redis Stream until Telegram accepts it.

Enqueueing is idempotent per key (user, digest id, part). A message leaves the stream only
after its acceptance is recorded (`outbox_sent`), so a crash loses nothing: on restart the
consumer re-reads its pending entries and skips those already recorded as sent. The one
window left is between Telegram's 200 and that record: a crash exactly there resends that
message once (at most one duplicate per message in flight per crash).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from bot import keys

# SET NX each message's enqueue marker and XADD it in one step, so a retry never enqueues
# twice. One call per chunk rather than a pipeline of calls: redis-py's Cluster pipeline
# refuses EVALSHA, and the stream and markers share the {outbox} slot anyway.
# KEYS: the stream, then one marker per message. ARGV: the marker TTL, then per message
# its number of field/value items followed by the items. Returns how many were added.
_ENQUEUE = """
local added, at = 0, 2
for i = 2, #KEYS do
  local n = tonumber(ARGV[at])
  if redis.call('SET', KEYS[i], '1', 'NX', 'EX', ARGV[1]) then
    redis.call('XADD', KEYS[1], '*', unpack(ARGV, at + 1, at + n))
    added = added + 1
  end
  at = at + n + 1
end
return added
"""
_ENQUEUE_CHUNK = 500
# Telegram's acceptance of a batch, recorded atomically: each message's sent marker, the
# entries acknowledged and deleted, the day's counters. One script call instead of a
# MULTI of a command per message: the client-side cost of those commands was a tenth of
# the delivery worker's CPU in bench/delivery.py.
# KEYS: the stream, the day's stats, then one sent marker per message. ARGV: the marker
# TTL, the consumer group, the entry ids, the message ids, then (counter, increment) pairs.
_MARK_SENT = """
local n = #KEYS - 2
for i = 1, n do
  redis.call('SET', KEYS[2 + i], ARGV[2 + n + i], 'EX', ARGV[1])
end
redis.call('XACK', KEYS[1], ARGV[2], unpack(ARGV, 3, 2 + n))
redis.call('XDEL', KEYS[1], unpack(ARGV, 3, 2 + n))
for i = 3 + 2 * n, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
end
return n
"""
_MARK_SENT_CHUNK = 1000  # Lua's unpack takes a few thousand values at most


@dataclass(frozen=True)
class OutgoingMessage:
    key: str
    chat_id: int
    text: str
    kind: str = "digest"
    thread_id: int | None = None
    reply_markup: str = ""
    disable_preview: bool = True

    def to_fields(self) -> dict[str, str]:
        return {
            "key": self.key,
            "chat_id": str(self.chat_id),
            "text": self.text,
            "kind": self.kind,
            "thread_id": "" if self.thread_id is None else str(self.thread_id),
            "reply_markup": self.reply_markup,
            "disable_preview": "1" if self.disable_preview else "0",
        }

    @classmethod
    def from_fields(cls, data: dict[str, str]) -> OutgoingMessage:
        return cls(
            key=data["key"],
            chat_id=int(data["chat_id"]),
            text=data["text"],
            kind=data.get("kind", "digest"),
            thread_id=int(data["thread_id"]) if data.get("thread_id") else None,
            reply_markup=data.get("reply_markup", ""),
            disable_preview=data.get("disable_preview", "1") == "1",
        )

    def markup(self) -> dict | None:
        return json.loads(self.reply_markup) if self.reply_markup else None


Entry = tuple[str, OutgoingMessage]


class Outbox:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._enqueue = redis.register_script(_ENQUEUE)
        self._mark_sent = redis.register_script(_MARK_SENT)

    async def ensure_group(self) -> None:
        try:
            await self._redis.xgroup_create(keys.outbox(), keys.OUTBOX_GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def enqueue(self, messages: list[OutgoingMessage]) -> int:
        """Add messages in order; a key already enqueued is skipped. Returns how many were added."""
        added = 0
        ttl = int(keys.OUTBOX_KEY_TTL.total_seconds())
        for start in range(0, len(messages), _ENQUEUE_CHUNK):
            chunk = messages[start : start + _ENQUEUE_CHUNK]
            args: list[str | int] = [ttl]
            for message in chunk:
                flat = [item for pair in message.to_fields().items() for item in pair]
                args += [len(flat), *flat]
            added += int(
                await self._enqueue(
                    keys=[keys.outbox(), *(keys.outbox_enqueued(m.key) for m in chunk)],
                    args=args,
                )
            )
        return added

    async def read_new(self, consumer: str, count: int, block_ms: int) -> list[Entry]:
        entries = await self._read(consumer, ">", count, block_ms)
        if not entries:
            # Redis 6.2 leaves a consumer's idle time (what `claim_abandoned` goes by)
            # running through reads that find nothing new; reading one of its own pending
            # entries again resets it. With nothing pending there is nothing to protect.
            await self._redis.xreadgroup(keys.OUTBOX_GROUP, consumer, {keys.outbox(): "0"}, count=1)
        return entries

    async def read_pending(self, consumer: str, count: int, after: str = "0") -> list[Entry]:
        """This consumer's entries delivered before but never acknowledged (after a crash),
        from just after the id `after`: pass the last id of the previous page to go on."""
        return await self._read(consumer, after, count, None)

    async def claim_abandoned(
        self, consumer: str, min_idle_ms: int, count: int = 500
    ) -> list[Entry]:
        """Every entry left unacknowledged by a consumer that has not read the stream for
        `min_idle_ms` (an instance that died and was not restarted under its name).

        Not XAUTOCLAIM, which goes by how long an entry has waited: a live instance holds
        up to its in-flight limit, over a minute of sending at Telegram's 30 messages/s,
        and another instance taking those would send them a second time. A live consumer
        reads at least every block interval, so its own idle time stays short."""
        claimed: list[Entry] = []
        for info in await self._redis.xinfo_consumers(keys.outbox(), keys.OUTBOX_GROUP):
            name = info["name"]
            if name == consumer or not info["pending"] or info["idle"] < min_idle_ms:
                continue
            while pending := await self._redis.xpending_range(
                keys.outbox(), keys.OUTBOX_GROUP, "-", "+", count, name, idle=min_idle_ms
            ):
                ids = [row["message_id"] for row in pending]
                # Another instance may claim the same entries first: XCLAIM skips those.
                rows = await self._redis.xclaim(
                    keys.outbox(), keys.OUTBOX_GROUP, consumer, min_idle_ms, ids
                )
                claimed += [(entry_id, OutgoingMessage.from_fields(f)) for entry_id, f in rows if f]
                if not rows or len(pending) < count:
                    break
        return claimed

    async def _read(
        self, consumer: str, start: str, count: int, block_ms: int | None
    ) -> list[Entry]:
        response = await self._redis.xreadgroup(
            keys.OUTBOX_GROUP, consumer, {keys.outbox(): start}, count=count, block=block_ms
        )
        entries: list[Entry] = []
        for _stream, rows in response or []:
            for entry_id, fields in rows:
                if fields:  # a deleted entry still pending shows up empty
                    entries.append((entry_id, OutgoingMessage.from_fields(fields)))
        return entries

    async def was_sent(self, key: str) -> bool:
        return bool(await self._redis.exists(keys.outbox_sent(key)))

    async def mark_sent(self, entry_id: str, key: str, message_id: int, now: datetime) -> None:
        await self.mark_sent_many([(entry_id, key, message_id)], now)

    async def mark_sent_many(self, sent: list[tuple[str, str, int]], now: datetime) -> None:
        """Record Telegram's acceptance of (entry id, key, message id) and take the entries
        off the stream: one atomic call per thousand, so a busy sender makes few round
        trips."""
        stats = keys.delivery_stats(_day(now))
        for start in range(0, len(sent), _MARK_SENT_CHUNK):
            chunk = sent[start : start + _MARK_SENT_CHUNK]
            # Per kind too (the key starts with it: digest, alert, broadcast…) for /stats.
            kinds = Counter(key.partition(":")[0] for _entry_id, key, _message_id in chunk)
            counters = [("sent", len(chunk)), *((f"sent:{k}", n) for k, n in kinds.items())]
            await self._mark_sent(
                keys=[
                    keys.outbox(),
                    stats,
                    *(keys.outbox_sent(key) for _entry_id, key, _message_id in chunk),
                ],
                args=[
                    int(keys.OUTBOX_KEY_TTL.total_seconds()),
                    keys.OUTBOX_GROUP,
                    *(entry_id for entry_id, _key, _message_id in chunk),
                    *(message_id for _entry_id, _key, message_id in chunk),
                    *(value for pair in counters for value in pair),
                ],
            )

    async def acknowledge(self, entry_id: str) -> None:
        """Take off the stream an entry whose acceptance is already recorded: nothing to
        send again, nothing to count again."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xack(keys.outbox(), keys.OUTBOX_GROUP, entry_id)
            pipe.xdel(keys.outbox(), entry_id)
            await pipe.execute()

    async def drop(
        self, entry_id: str, message: OutgoingMessage, reason: str, now: datetime
    ) -> None:
        """Telegram refused for good: keep a record for admins and take it off the stream."""
        record = json.dumps(
            {
                "key": message.key,
                "chat_id": message.chat_id,
                "reason": reason,
                "at": now.isoformat(),
            }
        )
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lpush(keys.outbox_dead(), record)
            pipe.ltrim(keys.outbox_dead(), 0, 9_999)
            pipe.xack(keys.outbox(), keys.OUTBOX_GROUP, entry_id)
            pipe.xdel(keys.outbox(), entry_id)
            pipe.hincrby(keys.delivery_stats(_day(now)), f"failed:{reason}", 1)
            await pipe.execute()

    async def count(self, outcome: str, now: datetime) -> None:
        await self._redis.hincrby(keys.delivery_stats(_day(now)), outcome, 1)

    async def depth(self) -> int:
        return int(await self._redis.xlen(keys.outbox()))

    async def stats(self, now: datetime) -> dict[str, int]:
        raw = await self._redis.hgetall(keys.delivery_stats(_day(now)))
        return {k: int(v) for k, v in raw.items()}


def _day(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%d")
