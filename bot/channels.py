"""Channels and groups the bot publishes digests to, connected by admins.

A connected chat is an ordinary subscriber keyed by its chat id (schedule, article
languages, sources, size, forum topic in `thread_id`), so the daily digest job, the outbox
(20 messages a minute per group or channel) and the "chat gone" handling all apply as
they are. This module adds the checks before connecting, a registry of what was
connected by whom, and the per-channel settings commands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from redis.asyncio import Redis
from telegram import Bot, ChatFullInfo, ChatMember
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden

from bot import keys
from bot.clock import Clock
from bot.digest_scheduler import DigestService
from bot.feeds import FeedStore
from bot.subscribers import ARTICLE_LANGUAGES, DIGEST_SIZES, LANGUAGES, Subscriber, SubscriberStore

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_USERNAME = re.compile(r"^(?:@|(?:https?://)?t\.me/)([A-Za-z][A-Za-z0-9_]{3,31})/?$")
SETTINGS = ("time", "tz", "lang", "sources", "size", "topic", "ui")


class ChannelRefused(Exception):
    """Nothing was saved; `reason` is a text key, `values` fill it in."""

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values


@dataclass
class Channel:
    chat_id: int
    title: str
    username: str
    type: str
    is_forum: bool
    added_by: int
    added_at: datetime
    settings: Subscriber

    @property
    def ref(self) -> str:
        return f"@{self.username}" if self.username else str(self.chat_id)

    def to_hash(self) -> dict[str, str]:
        return {
            "title": self.title,
            "username": self.username,
            "type": self.type,
            "is_forum": "1" if self.is_forum else "0",
            "added_by": str(self.added_by),
            "added_at": self.added_at.isoformat(),
        }


def parse_chat_ref(ref: str) -> int | str | None:
    """`@name`, `t.me/name` or a numeric chat id; None for anything else."""
    ref = ref.strip()
    if re.fullmatch(r"-?\d{1,20}", ref):
        return int(ref)
    match = _USERNAME.match(ref)
    return f"@{match.group(1)}" if match else None


class ChannelService:
    def __init__(
        self,
        redis: Redis,
        subscribers: SubscriberStore,
        digests: DigestService,
        feeds: FeedStore,
        clock: Clock,
        default_tz: str,
    ) -> None:
        self._redis = redis
        self._subscribers = subscribers
        self._digests = digests
        self._feeds = feeds
        self._clock = clock
        self._default_tz = default_tz

    # --- connecting ---------------------------------------------------------------------
    async def connect(
        self, bot: Bot, ref: str, user_id: int, language: str, thread_id: int | None = None
    ) -> Channel:
        """Check with Telegram, then save. Raises ChannelRefused, and saves nothing, when
        the chat is unknown or private, the asking user is not one of its administrators,
        the bot may not post there, or a topic is named in a chat without topics."""
        chat = await self._verify(bot, ref, user_id, thread_id)
        sub = await self._subscribers.get(chat.id) or Subscriber(
            chat_id=chat.id, user_id=user_id, language=language, timezone=self._default_tz
        )
        sub.active, sub.blocked = True, False
        sub.first_name = chat.title or ""
        sub.thread_id = thread_id or 0
        channel = Channel(
            chat_id=chat.id,
            title=chat.title or str(chat.id),
            username=chat.username or "",
            type=chat.type,
            is_forum=bool(chat.is_forum),
            added_by=user_id,
            added_at=self._clock(),
            settings=sub,
        )
        await self._subscribers.save(sub)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(keys.channel(chat.id))
            pipe.hset(keys.channel(chat.id), mapping=channel.to_hash())
            pipe.sadd(keys.channels(), chat.id)
            await pipe.execute()
        await self._digests.schedule(sub)
        return channel

    async def _verify(
        self, bot: Bot, ref: str, user_id: int, thread_id: int | None
    ) -> ChatFullInfo:
        target = parse_chat_ref(ref)
        if target is None:
            raise ChannelRefused("channel_bad_ref", ref=ref)
        try:
            chat = await bot.get_chat(target)
        except (BadRequest, Forbidden):
            raise ChannelRefused("channel_not_found", ref=ref) from None
        title = chat.title or ref
        if chat.type == ChatType.PRIVATE:
            raise ChannelRefused("channel_private", ref=ref)
        user = await _member(bot, chat.id, user_id)
        if user is None or user.status not in (
            ChatMemberStatus.OWNER,
            ChatMemberStatus.ADMINISTRATOR,
        ):
            raise ChannelRefused("channel_user_not_admin", title=title)
        me = await _member(bot, chat.id, bot.id)
        if chat.type == ChatType.CHANNEL:
            if me is None or me.status != ChatMemberStatus.ADMINISTRATOR:
                raise ChannelRefused("channel_bot_not_admin", title=title)
            if not getattr(me, "can_post_messages", False):
                raise ChannelRefused("channel_bot_cannot_post", title=title)
        elif not _can_send_in_group(chat, me):
            if me is None or me.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
                raise ChannelRefused("group_bot_not_member", title=title)
            raise ChannelRefused("group_bot_cannot_send", title=title)
        if thread_id and not chat.is_forum:
            raise ChannelRefused("channel_no_topics", title=title)
        return chat

    # --- reading ------------------------------------------------------------------------
    async def all(self) -> list[Channel]:
        ids = sorted(int(i) for i in await self._redis.smembers(keys.channels()))
        channels = [await self.get(chat_id) for chat_id in ids]
        return [c for c in channels if c is not None]

    async def ids(self) -> set[int]:
        return {int(i) for i in await self._redis.smembers(keys.channels())}

    async def get(self, chat_id: int) -> Channel | None:
        meta = await self._redis.hgetall(keys.channel(chat_id))
        sub = await self._subscribers.get(chat_id)
        if not meta or sub is None:
            return None
        return Channel(
            chat_id=chat_id,
            title=meta.get("title", ""),
            username=meta.get("username", ""),
            type=meta.get("type", ""),
            is_forum=meta.get("is_forum") == "1",
            added_by=int(meta.get("added_by") or 0),
            added_at=datetime.fromisoformat(meta["added_at"])
            if meta.get("added_at")
            else datetime.fromtimestamp(0, UTC),
            settings=sub,
        )

    async def find(self, ref: str) -> Channel | None:
        """A connected chat by id or @username (no Telegram call)."""
        target = parse_chat_ref(ref)
        if isinstance(target, int):
            return await self.get(target) if target in await self.ids() else None
        if target is None:
            return None
        name = target[1:].casefold()
        for channel in await self.all():
            if channel.username.casefold() == name:
                return channel
        return None

    async def next_due(self, channel: Channel) -> datetime | None:
        return await self._digests.next_due(channel.chat_id)

    # --- changing -----------------------------------------------------------------------
    async def remove(self, channel: Channel) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrem(keys.digests_due(), channel.chat_id)
            pipe.delete(keys.channel(channel.chat_id))
            pipe.srem(keys.channels(), channel.chat_id)
            await pipe.execute()
        await self._subscribers.delete(channel.chat_id)

    async def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        """A connected group became a supergroup: follow it to its new id."""
        if not await self._redis.srem(keys.channels(), old_chat_id):
            return
        meta = await self._redis.hgetall(keys.channel(old_chat_id))
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(keys.channel(old_chat_id))
            if meta:
                pipe.hset(keys.channel(new_chat_id), mapping={**meta, "type": "supergroup"})
            pipe.sadd(keys.channels(), new_chat_id)
            await pipe.execute()

    async def update(self, channel: Channel, what: str, value: str) -> datetime | None:
        """Change one digest setting; returns the next digest time. Raises ChannelRefused
        (nothing saved) for an unknown setting or a value that does not fit it."""
        sub = channel.settings
        value = value.strip()
        bad = ChannelRefused("channel_set_bad", what=what, value=value)
        if what == "time":
            match = _TIME.match(value)
            if match is None:
                raise bad
            sub.digest_time = f"{int(match.group(1)):02d}:{match.group(2)}"
        elif what == "tz":
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise bad from None
            sub.timezone = value
        elif what == "lang":
            chosen = {v.strip().lower() for v in value.replace("both", "kk,ru").split(",")}
            if not chosen or not chosen <= set(ARTICLE_LANGUAGES):
                raise bad
            sub.article_languages = [lang for lang in ARTICLE_LANGUAGES if lang in chosen]
        elif what == "sources":
            sub.sources = await self._sources(value, bad)
        elif what == "size":
            if not value.isdigit() or int(value) not in DIGEST_SIZES:
                raise bad
            sub.digest_size = int(value)
        elif what == "topic":
            if value.lower() in ("none", "0", "-"):
                sub.thread_id = 0
            elif value.isdigit() and channel.is_forum:
                sub.thread_id = int(value)
            elif value.isdigit():
                raise ChannelRefused("channel_no_topics", title=channel.title)
            else:
                raise bad
        elif what == "ui":
            if value not in LANGUAGES:
                raise bad
            sub.language = value
        else:
            raise ChannelRefused("channel_set_usage")
        await self._subscribers.save(sub)
        return await self._digests.schedule(sub)

    async def _sources(self, value: str, bad: ChannelRefused) -> list[str]:
        if value.lower() in ("all", "*"):
            return []
        names = {feed.name.casefold(): feed.name for feed in await self._feeds.all()}
        chosen = []
        for wanted in (v.strip() for v in value.split(",")):
            if wanted.casefold() not in names:
                raise ChannelRefused("channel_unknown_source", value=wanted)
            chosen.append(names[wanted.casefold()])
        if not chosen:
            raise bad
        return sorted(set(chosen))

    async def post_now(self, channel: Channel, digest_id: str) -> int:
        """A digest for the chat now, through the outbox (/channels test)."""
        return await self._digests.send_digest(channel.settings, digest_id, on_demand=True)


async def _member(bot: Bot, chat_id: int, user_id: int) -> ChatMember | None:
    try:
        return await bot.get_chat_member(chat_id, user_id)
    except (BadRequest, Forbidden):
        return None


def _can_send_in_group(chat: ChatFullInfo, me: ChatMember | None) -> bool:
    if me is None:
        return False
    if me.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER):
        return True
    if me.status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(me, "is_member", False) and getattr(me, "can_send_messages", False))
    if me.status == ChatMemberStatus.MEMBER:
        permissions = chat.permissions
        return permissions is None or permissions.can_send_messages is not False
    return False
