"""/broadcast: an admin's announcement to every active subscriber, through the outbox,
only after its author confirmed it.

The text waits in Redis (for BROADCAST_TTL) between the command and the button. The
confirmation takes it out in one transaction, so a double tap or two admins' taps send it
once; the outbox's idempotency keys (`broadcast:<id>:<chat>`) make a retried enqueue safe.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from redis.asyncio import Redis

from bot import keys
from bot.outbox import Outbox, OutgoingMessage

MAX_BROADCAST_CHARS = 3_500  # under Telegram's 4,096 with room for the HTML tags

# The ids in the active set (subscribed, reachable) that are not paused and are not a
# connected channel or group; inside Redis, one round trip for any number of subscribers.
_RECIPIENTS = """
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('SISMEMBER', KEYS[2], id) == 0 then
    local f = redis.call('HMGET', ARGV[1] .. id, 'active', 'paused', 'blocked')
    if f[1] == '1' and f[2] ~= '1' and f[3] ~= '1' then out[#out + 1] = id end
  end
end
return out
"""


@dataclass(frozen=True)
class Broadcast:
    id: str
    author_id: int
    text: str  # Telegram HTML


class BroadcastService:
    def __init__(self, redis: Redis, outbox: Outbox) -> None:
        self._redis = redis
        self._outbox = outbox

    async def recipients(self) -> list[int]:
        """Subscribed, reachable and not paused; connected channels and groups are left
        out (an announcement to subscribers is not posted there)."""
        ids = await self._redis.eval(
            _RECIPIENTS, 2, keys.subscribers_active(), keys.channels(), keys.subscriber_prefix()
        )
        return sorted(int(i) for i in ids)

    async def prepare(self, author_id: int, text: str) -> Broadcast:
        broadcast = Broadcast(secrets.token_hex(6), author_id, text)
        await self._redis.hset(
            keys.broadcast(broadcast.id), mapping={"author": str(author_id), "text": text}
        )
        await self._redis.expire(keys.broadcast(broadcast.id), keys.BROADCAST_TTL)
        return broadcast

    async def take(self, broadcast_id: str, user_id: int) -> Broadcast | None:
        """The user's pending broadcast, removed in the same step; None when it is gone,
        already taken, or someone else's."""
        author = await self._redis.hget(keys.broadcast(broadcast_id), "author")
        if author != str(user_id):
            return None
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(keys.broadcast(broadcast_id))
            pipe.delete(keys.broadcast(broadcast_id))
            data, _deleted = await pipe.execute()
        if not data:
            return None
        return Broadcast(broadcast_id, int(data["author"]), data["text"])

    async def send(self, broadcast: Broadcast) -> int:
        """Queue the text for every recipient; returns how many."""
        recipients = await self.recipients()
        await self._outbox.enqueue(
            [
                OutgoingMessage(
                    key=f"broadcast:{broadcast.id}:{chat_id}",
                    chat_id=chat_id,
                    text=broadcast.text,
                    kind="broadcast",
                )
                for chat_id in recipients
            ]
        )
        return len(recipients)
