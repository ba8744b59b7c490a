"""What handlers and jobs reach through `context.bot_data`: settings, Redis and stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from redis.asyncio import Redis

from bot import keys
from bot.alerts import AlertService
from bot.articles import ArticleStore
from bot.clock import Clock, utc_now
from bot.digest_scheduler import DigestService
from bot.feeds import FeedStore
from bot.outbox import Outbox
from bot.subscribers import SubscriberStore
from config.settings import Settings

if TYPE_CHECKING:
    from bot.poller import Poller


@dataclass
class Services:
    settings: Settings
    redis: Redis
    clock: Clock = utc_now
    subscribers: SubscriberStore = field(init=False)
    articles: ArticleStore = field(init=False)
    feeds: FeedStore = field(init=False)
    outbox: Outbox = field(init=False)
    digests: DigestService = field(init=False)
    alerts: AlertService = field(init=False)
    # Set once the HTTP client is open (post_init); None in a bot that does not poll.
    poller: Poller | None = None

    def __post_init__(self) -> None:
        self.subscribers = SubscriberStore(self.redis)
        self.articles = ArticleStore(self.redis)
        self.feeds = FeedStore(self.redis)
        self.outbox = Outbox(self.redis)
        self.alerts = AlertService(self.redis, self.subscribers, self.outbox)
        self.digests = DigestService(
            self.redis, self.subscribers, self.articles, self.outbox, self.clock
        )

    async def chat_unreachable(self, chat_id: int, reason: str) -> None:
        """Telegram will not deliver to this chat (blocked, kicked, gone): stop sending."""
        sub = await self.subscribers.set_blocked(chat_id, True)
        if sub is not None:
            await self.digests.schedule(sub)

    async def chat_reachable(self, chat_id: int) -> None:
        sub = await self.subscribers.set_blocked(chat_id, False)
        if sub is not None:
            await self.digests.schedule(sub)

    async def chat_moved(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: keep its settings under the new id."""
        sub = await self.subscribers.move(old_chat_id, new_chat_id)
        await self.redis.zrem(keys.digests_due(), old_chat_id)
        if sub is not None:
            await self.digests.schedule(sub)

    async def forget_chat(self, chat_id: int) -> None:
        """Delete everything stored about a chat (/forget)."""
        await self.redis.zrem(keys.digests_due(), chat_id)
        await self.alerts.forget(chat_id)
        await self.subscribers.delete(chat_id)


SERVICES_KEY = "services"


def services_from(bot_data: dict[str, Any]) -> Services:
    services = bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    return services
