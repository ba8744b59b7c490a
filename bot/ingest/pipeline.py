"""The ingestion flow, top to bottom: fetch → parse → dedupe → extract → classify →
summarize → store. One call per feed; items are independent of each other."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

import summarizer
from bot import keys
from bot.articles import Article, ArticleStore
from bot.clock import Clock
from bot.ingest.canonical import item_id, strip_tracking
from bot.ingest.extract import extract_article_text, html_to_text, needs_page_fetch
from bot.ingest.fetch import FeedFetcher, FetchError
from bot.ingest.parse import FeedItem, parse_feed
from bot.logs import get_logger
from bot.metrics import ARTICLES_STORED
from bot.redis_server import client_name
from bot.story_index import StoryIndex

log = get_logger(__name__)

# A claim is a lease while the item is processed, then a long-lived "done" mark. The
# lease names the process holding it, and one whose holder is gone (killed mid-item) is
# taken over the next time the item is seen: waiting for it to expire lost the item for
# good, since the feed's validators were saved meanwhile and it answered 304 from then on.
CLAIM_LEASE_SECONDS = 600
_LEASE = "processing:"
# Tells this process from an earlier one with the same pid (a restarted container).
_PROCESS_TOKEN = uuid.uuid4().hex[:12]
# Items this process is working on now (every pipeline in it): its own lease on any other
# item was left by an attempt that could not release it (Redis down at that moment).
_IN_HAND: set[str] = set()
_TAKE_OVER = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
end
return false
"""
POLITICS_SECTIONS = ("/politics/", "/politika/", "/sayasat/", "/saiasat/", "/state/")
POLITICS_CATEGORIES = ("саясат", "политика", "saıasat", "sayasat", "сайлау", "выборы")


@dataclass(frozen=True)
class FeedSource:
    url: str
    name: str
    language: str
    politics_only: bool = False
    # What item ids without a link are scoped by: the feed's id, which outlives its URL.
    scope: str = ""


@dataclass
class FeedRunStats:
    feed_url: str
    new: int = 0
    seen: int = 0
    failed: int = 0
    not_modified: bool = False
    ttl_minutes: int | None = None
    error: str | None = None
    seconds: float = 0.0
    articles: list[Article] = field(default_factory=list)


class IngestPipeline:
    def __init__(
        self,
        redis: Redis,
        articles: ArticleStore,
        stories: StoryIndex,
        clock: Clock,
        fetcher: FeedFetcher | None = None,
        on_stored: Sequence[Callable[[Article], Awaitable[object]]] = (),
    ) -> None:
        self._redis = redis
        self._articles = articles
        self._stories = stories
        self._clock = clock
        self._fetcher = fetcher
        self._on_stored = tuple(on_stored)
        self._take_over = redis.register_script(_TAKE_OVER)

    async def ingest_feed_body(
        self, feed: FeedSource, body: bytes, *, final_url: str, content_type: str | None = None
    ) -> FeedRunStats:
        """Everything after the fetch, for bytes already in hand."""
        started = time.perf_counter()
        log.debug("ingest_stage", stage="parse", feed=feed.url)
        parsed = parse_feed(body, feed_url=final_url, content_type=content_type)
        stats = FeedRunStats(feed_url=feed.url, ttl_minutes=parsed.ttl_minutes)
        for item in parsed.items:
            article_id = item_id(item, feed.scope or feed.url)
            log.debug("ingest_stage", stage="claim", item=article_id)
            if not await self._claim(article_id):
                stats.seen += 1
                continue
            try:
                article = await self._process_item(feed, item, article_id)
                await self._redis.set(keys.seen_item(article_id), "done", ex=keys.SEEN_ITEM_TTL)
            except Exception:
                stats.failed += 1
                with contextlib.suppress(RedisError):  # else the next cycle takes it over
                    await self._redis.delete(keys.seen_item(article_id))
                log.exception("item_failed", feed=feed.url, link=item.link)
                continue
            finally:
                _IN_HAND.discard(article_id)
            stats.new += 1
            ARTICLES_STORED.inc()
            stats.articles.append(article)
            # Classification is CPU work: let other feeds' I/O progress between items.
            await asyncio.sleep(0)
        stats.seconds = time.perf_counter() - started
        return stats

    async def _claim(self, article_id: str) -> bool:
        key = keys.seen_item(article_id)
        lease = f"{_LEASE}{client_name()}/{_PROCESS_TOKEN}"
        if not await self._redis.set(key, lease, nx=True, ex=CLAIM_LEASE_SECONDS):
            held = await self._redis.get(key)
            if held is None or not held.startswith(_LEASE):
                return False  # done, or released just now: the next cycle sees it
            if not await self._holder_gone(held, article_id):
                return False
            if not await self._take_over(keys=[key], args=[held, lease, CLAIM_LEASE_SECONDS]):
                return False
            log.warning("item_lease_taken_over", item=article_id, holder=held[len(_LEASE) :])
        _IN_HAND.add(article_id)
        return True

    async def _holder_gone(self, held: str, article_id: str) -> bool:
        """Whether the process named in a lease died (none of its connections is left)
        or is this one and no longer works on the item."""
        name, _, token = held[len(_LEASE) :].rpartition("/")
        if name == client_name():  # this pid: this process, or a dead one before it
            return token != _PROCESS_TOKEN or article_id not in _IN_HAND
        if not name:
            return False  # a lease naming no holder: it expires on its own
        try:
            clients = await self._redis.client_list()
        except ResponseError:  # CLIENT LIST not allowed here: take the holder for alive
            return False
        return all(client.get("name") != name for client in clients)

    async def _process_item(self, feed: FeedSource, item: FeedItem, article_id: str) -> Article:
        log.debug("ingest_stage", stage="extract", item=article_id)
        lead, body = await self._extract(item)
        return await self._classify_summarize_store(feed, item, article_id, lead, body)

    async def _extract(self, item: FeedItem) -> tuple[str, str]:
        lead = summarizer.strip_boilerplate(item.summary)
        body = html_to_text(item.content_html) if item.content_html else ""
        if not body and self._fetcher is not None and needs_page_fetch(item):
            body = await self._fetch_page_text(item.link)
        body = summarizer.strip_boilerplate(body) if body else lead
        return lead, body

    async def _fetch_page_text(self, url: str) -> str:
        assert self._fetcher is not None
        try:
            page = await self._fetcher.fetch_page(url)
        except FetchError as exc:
            log.info("article_page_unavailable", url=url, kind=exc.kind)
            return ""
        if not _is_html(page.content_type):
            # A link to a PDF, an image or a video: nothing an HTML extractor can read.
            log.info("article_page_not_html", url=url, content_type=page.content_type)
            return ""
        extracted = await asyncio.to_thread(extract_article_text, page.body, page.final_url)
        if extracted is None:
            return ""
        return "\n\n".join(p for p in (extracted.lead, extracted.body) if p)

    async def _classify_summarize_store(
        self, feed: FeedSource, item: FeedItem, article_id: str, lead: str, body: str
    ) -> Article:
        now = self._clock()
        log.debug("ingest_stage", stage="classify", item=article_id)
        text = body if lead and lead in body else f"{lead}\n\n{body}".strip()
        detected = summarizer.detect_language(f"{item.title}. {text[:2000]}")
        language = detected if detected in ("kk", "ru", "en") else feed.language
        score = summarizer.politics_score(
            item.title, text, language, section_hint=feed.politics_only or _politics_section(item)
        )
        log.debug("ingest_stage", stage="summarize", item=article_id)
        summary = summarizer.summarize(text, language, max_sentences=3, max_chars=600)
        article = Article(
            id=article_id,
            feed_url=feed.url,
            source=feed.name,
            url=strip_tracking(item.link) if item.link else feed.url,
            title=item.title,
            lead=lead,
            body=body,
            language=language,
            published=_published(item, now),
            fetched=now,
            politics_score=score,
            is_politics=score >= summarizer.POLITICS_THRESHOLD,
            summary=summary,
            terms=summarizer.index_terms(f"{item.title}\n{text}", language),
        )
        log.debug("ingest_stage", stage="store", item=article_id)
        article.story_id = await self._stories.assign(article)
        await self._articles.save(article)
        for deliver in self._on_stored:
            await deliver(article)
        return article


def _politics_section(item: FeedItem) -> bool:
    link = item.link.lower()
    if any(section in link for section in POLITICS_SECTIONS):
        return True
    return any(c.strip().lower() in POLITICS_CATEGORIES for c in item.categories)


def _published(item: FeedItem, now: datetime) -> datetime:
    # A feed's clock may run ahead; a future date would pin the item on top for days.
    if item.published is None or item.published > now:
        return now
    return item.published


def _is_html(content_type: str | None) -> bool:
    """HTML or XHTML, or unlabelled (many sites send no type; the extractor decides)."""
    media = (content_type or "").split(";")[0].strip().lower()
    return media in ("", "text/html", "application/xhtml+xml", "text/plain")
