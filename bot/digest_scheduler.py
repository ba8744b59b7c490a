"""Daily digests at each subscriber's local time.

One sorted set holds every subscriber's next due time (UTC); a job each minute takes the
due ones. After downtime the next due time is computed from *now*, so a missed digest is
sent once, not once per missed day.

Every instance runs the job. Each due digest is claimed first (SET NX per chat and due
time, then a check that the due time has not moved on), so one instance builds it: two
building it would each mark the subscriber's last digest, the later one hiding what
arrived between them, and a digest rendered later may have one part more. The outbox's
idempotency key (chat, due time, part) stays as a second guard.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from bot import keys
from bot.articles import ArticleStore
from bot.clock import Clock
from bot.digest import filter_articles, group_stories, render_digest
from bot.logs import get_logger
from bot.outbox import Outbox, OutgoingMessage
from bot.subscribers import Subscriber, SubscriberStore

log = get_logger(__name__)

DEFAULT_LOOKBACK = timedelta(hours=24)


def next_digest_time(digest_time: str, timezone: str, after: datetime) -> datetime:
    """The first moment strictly after `after` when the wall clock in `timezone` reads
    `digest_time` (HH:MM). Returned in the same tz-aware form as `after`."""
    zone = ZoneInfo(timezone)
    hour, minute = (int(p) for p in digest_time.split(":"))
    local_after = after.astimezone(zone)
    candidate = datetime.combine(local_after.date(), time(hour, minute), tzinfo=zone)
    if candidate <= local_after:
        candidate = datetime.combine(
            local_after.date() + timedelta(days=1), time(hour, minute), tzinfo=zone
        )
    return candidate.astimezone(after.tzinfo)


class DigestService:
    def __init__(
        self,
        redis: Redis,
        subscribers: SubscriberStore,
        articles: ArticleStore,
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self._redis = redis
        self._subscribers = subscribers
        self._articles = articles
        self._outbox = outbox
        self._clock = clock

    async def schedule(self, sub: Subscriber) -> datetime | None:
        """(Re)compute the subscriber's next digest; None when they get none."""
        if not sub.receives_digests:
            await self._redis.zrem(keys.digests_due(), sub.chat_id)
            return None
        due = next_digest_time(sub.digest_time, sub.timezone, self._clock())
        await self._redis.zadd(keys.digests_due(), {str(sub.chat_id): due.timestamp()})
        return due

    async def next_due(self, chat_id: int) -> datetime | None:
        score = await self._redis.zscore(keys.digests_due(), chat_id)
        return None if score is None else datetime.fromtimestamp(score, self._clock().tzinfo)

    async def send_due(self) -> int:
        """Enqueue the digest of every subscriber whose time has come; returns how many."""
        now = self._clock()
        due = await self._redis.zrangebyscore(
            keys.digests_due(), "-inf", now.timestamp(), withscores=True
        )
        sent = 0
        for chat_id, score in due:
            if not await self._claim(chat_id, score):
                continue
            sub = await self._subscribers.get(int(chat_id))
            if sub is None or not sub.receives_digests:
                await self._redis.zrem(keys.digests_due(), chat_id)
                continue
            sent += await self.send_digest(sub, digest_id=f"d{int(score)}")
            await self.schedule(sub)
        return sent

    async def _claim(self, chat_id: str, due: float) -> bool:
        """True for the one instance that sends this chat's digest due at `due`. An instance
        that dies holding the claim delays that digest by DIGEST_CLAIM_TTL."""
        claimed = await self._redis.set(
            keys.digest_claim(int(chat_id), int(due)), "1", nx=True, ex=keys.DIGEST_CLAIM_TTL
        )
        # Read as due before another instance sent it and moved the due time on.
        return bool(claimed) and await self._redis.zscore(keys.digests_due(), chat_id) == due

    async def send_digest(self, sub: Subscriber, digest_id: str, *, on_demand: bool = False) -> int:
        """Build the subscriber's digest and put it in the outbox; 1 if anything was queued."""
        now = self._clock()
        since = sub.last_digest_at or now - DEFAULT_LOOKBACK
        if on_demand:
            since = min(since, now - DEFAULT_LOOKBACK)
        articles = filter_articles(
            await self._articles.politics_since(since, now),
            sub.article_languages,
            sub.sources or None,
        )
        stories = group_stories(articles, sub.language)
        if not stories and sub.skip_empty and not on_demand:
            return 0
        parts = render_digest(stories, sub.language, ZoneInfo(sub.timezone), now, sub.digest_size)
        await self._outbox.enqueue(
            [
                OutgoingMessage(
                    key=f"digest:{sub.chat_id}:{digest_id}:{number}",
                    chat_id=sub.chat_id,
                    text=text,
                    kind="digest",
                    thread_id=sub.thread_id or None,
                )
                for number, text in enumerate(parts, start=1)
            ]
        )
        if not on_demand:
            sub.last_digest_at = now
            await self._subscribers.set_last_digest(sub.chat_id, now)
        log.info("digest_queued", chat_id=sub.chat_id, stories=len(stories), parts=len(parts))
        return 1
