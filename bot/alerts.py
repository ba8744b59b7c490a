"""Keyword alerts: a new politics article matching a chat's keyword is pushed at once,
at most once per story. Matching is on index terms, so inflected Kazakh and Russian forms
and Latin-script Kazakh all match."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis

import summarizer
from bot import keys
from bot.articles import Article
from bot.outbox import Outbox, OutgoingMessage
from bot.subscribers import SubscriberStore
from bot.texts import text

MAX_KEYWORD_CHARS = 100

Terms = Callable[[str], list[str]]


class AlertError(ValueError):
    """A keyword that cannot become an alert; `reason` is a UI text key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Match:
    chat_id: int
    keyword: str


def keyword_terms(keyword: str) -> list[str]:
    return list(dict.fromkeys(summarizer.index_terms(keyword)))


class AlertService:
    def __init__(self, redis: Redis, subscribers: SubscriberStore, outbox: Outbox) -> None:
        self._redis = redis
        self._subscribers = subscribers
        self._outbox = outbox

    async def add(self, chat_id: int, keyword: str) -> list[str]:
        keyword = " ".join(keyword.split())
        if not keyword:
            raise AlertError("alert_usage")
        if len(keyword) > MAX_KEYWORD_CHARS:
            raise AlertError("alert_too_long")
        terms = keyword_terms(keyword)
        if not terms:
            raise AlertError("alert_only_stopwords")
        existing = await self._redis.hgetall(keys.alerts(chat_id))
        if keyword not in existing and len(existing) >= keys.MAX_ALERTS_PER_CHAT:
            raise AlertError("alert_too_many")
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.alerts(chat_id), keyword, " ".join(terms))
            for term in terms:
                pipe.sadd(keys.alert_term(term), chat_id)
            await pipe.execute()
        return terms

    async def remove(self, chat_id: int, keyword: str) -> bool:
        keyword = " ".join(keyword.split())
        existing = await self._redis.hgetall(keys.alerts(chat_id))
        if keyword not in existing:
            return False
        remaining = {t for k, v in existing.items() if k != keyword for t in v.split()}
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(keys.alerts(chat_id), keyword)
            for term in set(existing[keyword].split()) - remaining:
                pipe.srem(keys.alert_term(term), chat_id)
            await pipe.execute()
        return True

    async def keywords(self, chat_id: int) -> list[str]:
        return sorted(await self._redis.hkeys(keys.alerts(chat_id)))

    async def forget(self, chat_id: int) -> None:
        for keyword in await self.keywords(chat_id):
            await self.remove(chat_id, keyword)

    async def matches(self, article_terms: list[str]) -> list[Match]:
        unique = sorted(set(article_terms))
        if not unique:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for term in unique:
                pipe.smembers(keys.alert_term(term))
            candidates = {int(c) for members in await pipe.execute() for c in members}
        present = set(unique)
        found: list[Match] = []
        for chat_id in sorted(candidates):
            for keyword, terms in (await self._redis.hgetall(keys.alerts(chat_id))).items():
                if set(terms.split()) <= present:
                    found.append(Match(chat_id, keyword))
                    break
        return found

    async def notify(self, article: Article) -> int:
        """Queue an alert for every chat whose keyword the article matches; returns how many."""
        if not article.is_politics:
            return 0
        queued = 0
        for match in await self.matches(article.terms):
            sub = await self._subscribers.get(match.chat_id)
            if sub is None or not sub.receives_digests:
                continue
            # Once per chat and story: the outbox skips a key it has enqueued within
            # OUTBOX_KEY_TTL, so a second article of the story, or the same one retried
            # after a crash, queues nothing.
            message = OutgoingMessage(
                key=f"alert:{match.chat_id}:{article.story_id or article.id}",
                chat_id=match.chat_id,
                text=render_alert(article, match.keyword, sub.language),
                kind="alert",
            )
            queued += await self._outbox.enqueue([message])
        return queued


def render_alert(article: Article, keyword: str, lang: str) -> str:
    title = html.escape(article.title[:300])
    url = html.escape(article.url, quote=True)
    summary = html.escape(" ".join(article.summary)[:700])
    head = text("alert_header", lang, keyword=keyword)
    lines = [head, f'<b><a href="{url}">{title}</a></b>']
    if summary:
        lines.append(summary)
    lines.append(f"<i>{html.escape(article.source)}</i>")
    return "\n".join(lines)
