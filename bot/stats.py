"""The numbers behind /stats, read from what the stores and the outbox already record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from redis.asyncio import Redis

from bot import keys
from bot.articles import ArticleStore
from bot.feeds import FeedStore
from bot.outbox import Outbox

# Subscribers by state (connected channels and groups left out): active, paused,
# blocked, stopped. The hashes' names are built from ARGV[1], the subscriber key prefix.
_COUNT_SUBSCRIBERS = """
local counts = {0, 0, 0, 0}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('SISMEMBER', KEYS[2], id) == 0 then
    local f = redis.call('HMGET', ARGV[1] .. id, 'active', 'paused', 'blocked')
    if f[3] == '1' then counts[3] = counts[3] + 1
    elseif f[1] ~= '1' then counts[4] = counts[4] + 1
    elseif f[2] == '1' then counts[2] = counts[2] + 1
    else counts[1] = counts[1] + 1 end
  end
end
return counts
"""


@dataclass(frozen=True)
class Stats:
    active: int  # receive digests
    paused: int
    blocked: int  # Telegram refuses delivery (blocked the bot, kicked it, chat gone)
    stopped: int  # unsubscribed with /stop
    channels: int
    sent_by_kind: dict[str, int]  # today (UTC): messages Telegram accepted, per kind
    failures: dict[str, int]  # today (UTC): messages Telegram refused for good, per reason
    retries: dict[str, int]  # today (UTC): attempts to be repeated (429, network, migrated)
    feeds_healthy: int
    feeds_unhealthy: int
    feeds_paused: int
    articles: int
    politics: int
    queued: int  # messages waiting in the outbox

    @property
    def politics_share(self) -> float:
        return self.politics / self.articles if self.articles else 0.0


async def collect(
    redis: Redis,
    feeds: FeedStore,
    articles: ArticleStore,
    outbox: Outbox,
    channel_ids: set[int],
    now: datetime,
) -> Stats:
    # One script instead of a round trip per subscriber: 10,000 subscribers are counted
    # inside Redis in milliseconds, where a client-side pipeline took seconds of Python.
    active, paused, blocked, stopped = await redis.eval(
        _COUNT_SUBSCRIBERS,
        2,
        keys.subscribers_all(),
        keys.channels(),
        keys.subscriber_prefix(),
    )
    counters = await outbox.stats(now)
    sent_by_kind = {
        name.removeprefix("sent:"): count
        for name, count in counters.items()
        if name.startswith("sent:")
    }
    failures = {
        name.removeprefix("failed:"): count
        for name, count in sorted(counters.items())
        if name.startswith("failed:") and count
    }
    retries = {
        name: count
        for name, count in sorted(counters.items())
        if not name.startswith(("sent", "failed:")) and count
    }
    all_feeds = await feeds.all()
    enabled = [f for f in all_feeds if f.enabled]
    healthy = sum(1 for f in enabled if f.healthy)
    return Stats(
        active=active,
        paused=paused,
        blocked=blocked,
        stopped=stopped,
        channels=len(channel_ids),
        sent_by_kind=sent_by_kind,
        failures=failures,
        retries=retries,
        feeds_healthy=healthy,
        feeds_unhealthy=len(enabled) - healthy,
        feeds_paused=len(all_feeds) - len(enabled),
        articles=await articles.count(),
        politics=int(await redis.zcard(keys.politics_by_arrival())),
        queued=await outbox.depth(),
    )
