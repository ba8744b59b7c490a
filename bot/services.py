"""What handlers and jobs reach through `context.bot_data`: settings, Redis and stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from redis.asyncio import Redis

from bot import keys
from bot.admins import AdminService
from bot.alerts import AlertService
from bot.articles import ArticleStore
from bot.broadcast import BroadcastService
from bot.channels import ChannelService
from bot.clock import Clock, utc_now
from bot.digest_scheduler import DigestService
from bot.feed_admin import FeedAdmin
from bot.feeds import FeedStore
from bot.ingest.pipeline import IngestPipeline
from bot.outbox import Outbox
from bot.search import SearchIndex
from bot.search_service import SearchService
from bot.story_index import StoryIndex
from bot.subscribers import SubscriberStore
from config.settings import Settings

if TYPE_CHECKING:
    from bot.ingest.fetch import FeedFetcher
    from bot.ingest.nlp_pool import NlpPool
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
    search: SearchService = field(init=False)
    # Set once the HTTP client is open (post_init); None in a bot that does not poll.
    poller: Poller | None = None
    admins: AdminService = field(init=False)
    feed_admin: FeedAdmin = field(init=False)
    channels: ChannelService = field(init=False)
    broadcasts: BroadcastService = field(init=False)
    # The poller's HTTP client (post_init): /addfeed tries a feed with it before saving.
    fetcher: FeedFetcher | None = None
    # The poller's worker processes for parsing and NLP (post_init), closed with the app.
    nlp: NlpPool | None = None

    def __post_init__(self) -> None:
        self.subscribers = SubscriberStore(self.redis)
        self.articles = ArticleStore(self.redis)
        self.feeds = FeedStore(self.redis)
        self.outbox = Outbox(self.redis)
        self.alerts = AlertService(self.redis, self.subscribers, self.outbox)
        self.search = SearchService(
            self.redis, SearchIndex(self.redis, self.articles), self.articles
        )
        self.digests = DigestService(
            self.redis, self.subscribers, self.articles, self.outbox, self.clock
        )
        self.admins = AdminService(self.redis, self.settings.admin_ids, self.clock)
        self.feed_admin = FeedAdmin(self.feeds, self.settings.default_language)
        self.channels = ChannelService(
            self.redis,
            self.subscribers,
            self.digests,
            self.feeds,
            self.clock,
            self.settings.default_tz,
        )
        self.broadcasts = BroadcastService(self.redis, self.outbox)

    def ingest_pipeline(
        self, fetcher: FeedFetcher | None, nlp: NlpPool | None = None
    ) -> IngestPipeline:
        """The pipeline every poller uses: stored articles are indexed for search and
        checked against keyword alerts; parsing and NLP run in `nlp`'s workers."""
        return IngestPipeline(
            self.redis,
            self.articles,
            StoryIndex(self.redis),
            clock=self.clock,
            fetcher=fetcher,
            on_stored=[self.search.index.add, self.alerts.notify],
            nlp=nlp,
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
        await self.channels.moved(old_chat_id, new_chat_id)
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
