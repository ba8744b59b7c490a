"""The ingestion flow, top to bottom: fetch → parse → dedupe → extract → classify →
summarize → store. One call per feed; items are independent of each other. Parsing,
extracting, classifying and summarizing are CPU work: with an NlpPool they run in worker
processes, a feed's new items a batch at a time."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from bot import keys
from bot.articles import Article, ArticleStore
from bot.clock import Clock
from bot.ingest.analysis import Classification, Summary, classify_text, summarize_text
from bot.ingest.canonical import item_id, strip_tracking
from bot.ingest.extract import feed_text, needs_page_fetch, page_text
from bot.ingest.fetch import FeedFetcher, FetchError
from bot.ingest.nlp_pool import NlpPool
from bot.ingest.parse import FeedItem, FeedParseError, ParsedFeed, parse_feed
from bot.logs import get_logger
from bot.metrics import ARTICLES_STORED
from bot.redis_server import client_name
from bot.story_index import StoryIndex

log = get_logger(__name__)
T = TypeVar("T")

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
# A feed's items claimed and analysed this many at a time: one Redis round trip for the
# claims and one worker round trip each for classify and summarize rather than one per
# item, while a batch's analysis (~30 ms) stays short.
ANALYSIS_BATCH = 16
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


@dataclass
class _Text:
    """A claimed item with its text in hand, on its way through classify and summarize."""

    item: FeedItem
    article_id: str
    lead: str
    body: str
    text: str
    fetched: datetime
    published: datetime
    section_hint: bool


class IngestPipeline:
    def __init__(
        self,
        redis: Redis,
        articles: ArticleStore,
        stories: StoryIndex,
        clock: Clock,
        fetcher: FeedFetcher | None = None,
        on_stored: Sequence[Callable[[Article], Awaitable[object]]] = (),
        nlp: NlpPool | None = None,
    ) -> None:
        self._redis = redis
        self._articles = articles
        self._stories = stories
        self._clock = clock
        self._fetcher = fetcher
        self._on_stored = tuple(on_stored)
        # Where parsing, page extraction and the analysis run: worker processes, or inline
        # on this event loop (None, or a pool of no workers).
        self._nlp = nlp
        self._take_over = redis.register_script(_TAKE_OVER)

    async def ingest_feed_body(
        self, feed: FeedSource, body: bytes, *, final_url: str, content_type: str | None = None
    ) -> FeedRunStats:
        """Everything after the fetch, for bytes already in hand."""
        started = time.perf_counter()
        log.debug("ingest_stage", stage="parse", feed=feed.url)
        parsed = await self._parse(body, final_url, content_type)
        stats = FeedRunStats(feed_url=feed.url, ttl_minutes=parsed.ttl_minutes)
        batch: list[tuple[FeedItem, str]] = []
        try:
            for start in range(0, len(parsed.items), ANALYSIS_BATCH):
                chunk = [
                    (item, item_id(item, feed.scope or feed.url))
                    for item in parsed.items[start : start + ANALYSIS_BATCH]
                ]
                log.debug("ingest_stage", stage="claim", item=chunk[0][1], batch=len(chunk))
                claimed = await self._claim([article_id for _, article_id in chunk])
                batch = [pair for pair, mine in zip(chunk, claimed, strict=True) if mine]
                stats.seen += len(chunk) - len(batch)
                if batch:
                    await self._ingest_batch(feed, batch, stats)
                batch = []
        finally:
            # Claimed, then Redis failed before they were processed: a later cycle of this
            # process may take their leases over.
            _IN_HAND.difference_update(article_id for _, article_id in batch)
        stats.seconds = time.perf_counter() - started
        return stats

    async def _parse(self, body: bytes, final_url: str, content_type: str | None) -> ParsedFeed:
        if self._nlp is None or not self._nlp.workers:
            return parse_feed(body, feed_url=final_url, content_type=content_type)
        try:
            return await self._nlp.run(
                parse_feed, body, feed_url=final_url, content_type=content_type
            )
        except BrokenProcessPool as exc:
            # The feed fails this time (and is retried after its backoff), not the cycle.
            raise FeedParseError(f"the worker parsing it died: {exc}") from exc

    async def _claim(self, article_ids: list[str]) -> list[bool]:
        """Claim items for this process, one round trip for them all when none is held by
        another (a command each cost more event-loop time than the item's own analysis
        round trip); True for each item this process now holds."""
        lease = f"{_LEASE}{client_name()}/{_PROCESS_TOKEN}"
        item_keys = [keys.seen_item(article_id) for article_id in article_ids]
        # A pipeline, not one script: the claim keys carry no hash tag and spread over a
        # Cluster's nodes.
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in item_keys:
                pipe.set(key, lease, nx=True, ex=CLAIM_LEASE_SECONDS)
            claimed = [bool(ok) for ok in await pipe.execute()]
        # Before any take-over: an item listed twice in the feed is then seen as this
        # process's own, not as one a dead process left.
        _IN_HAND.update(a for a, ok in zip(article_ids, claimed, strict=True) if ok)
        taken = [i for i, ok in enumerate(claimed) if not ok]
        if not taken:
            return claimed
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for i in taken:
                    pipe.get(item_keys[i])
                held = await pipe.execute()
            for i, holder in zip(taken, held, strict=True):
                # None: released just now; not a lease: done. The next cycle sees either.
                if holder is not None and holder.startswith(_LEASE):
                    claimed[i] = await self._take_over_lease(
                        item_keys[i], article_ids[i], holder, lease
                    )
        except BaseException:
            # Redis failed before the caller got these claims, so it cannot release them:
            # out of hand, a later cycle of this process takes their leases over, as it does
            # for the items of a batch that failed.
            _IN_HAND.difference_update(a for a, ok in zip(article_ids, claimed, strict=True) if ok)
            raise
        return claimed

    async def _take_over_lease(self, key: str, article_id: str, held: str, lease: str) -> bool:
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

    async def _ingest_batch(
        self, feed: FeedSource, batch: list[tuple[FeedItem, str]], stats: FeedRunStats
    ) -> None:
        """Claimed items: their text taken from the feed in one call (each one's page
        fetched where the feed has only a teaser), then classified in one call and
        summarized in one (a round trip to a worker costs about as much as classifying a
        short article), then each one stored. An item that fails anywhere fails alone,
        except when a worker dies: then the whole call's items fail. Failed items are
        released, so the next cycle tries them again."""
        try:
            try:
                from_feed = await self._each(
                    "extract",
                    feed_text,
                    [(article_id, (item.summary, item.content_html)) for item, article_id in batch],
                )
            except Exception:  # the call itself failed: a worker died, or the pool closed
                for item, article_id in batch:
                    await self._failed(feed, item, article_id, stats)
                return
            texts: list[_Text] = []
            for (item, article_id), found_text in zip(batch, from_feed, strict=True):
                try:
                    if isinstance(found_text, BaseException):
                        raise found_text
                    texts.append(await self._text(feed, item, article_id, *found_text))
                except Exception:
                    await self._failed(feed, item, article_id, stats)
            try:
                classified = await self._each(
                    "classify",
                    classify_text,
                    [
                        (t.article_id, (t.item.title, t.text, feed.language, t.section_hint))
                        for t in texts
                    ],
                )
                summarized = await self._each(
                    "summarize",
                    summarize_text,
                    [
                        (t.article_id, (t.item.title, t.lead, t.text, c.language, t.published))
                        for t, c in zip(texts, classified, strict=True)
                        if isinstance(c, Classification)
                    ],
                )
            except Exception:  # the call itself failed: a worker died, or the pool closed
                for t in texts:
                    await self._failed(feed, t.item, t.article_id, stats)
                return
            summaries = iter(summarized)
            for t, found in zip(texts, classified, strict=True):
                summary = next(summaries) if isinstance(found, Classification) else found
                try:
                    if isinstance(found, BaseException):
                        raise found
                    if isinstance(summary, BaseException):
                        raise summary
                    article = await self._store(feed, t, found, summary)
                    await self._redis.set(
                        keys.seen_item(t.article_id), "done", ex=keys.SEEN_ITEM_TTL
                    )
                except Exception:
                    await self._failed(feed, t.item, t.article_id, stats)
                    continue
                finally:
                    _IN_HAND.discard(t.article_id)
                stats.new += 1
                ARTICLES_STORED.inc()
                stats.articles.append(article)
                # Storing is a dozen Redis calls: let other feeds progress between items.
                await asyncio.sleep(0)
        finally:
            _IN_HAND.difference_update(article_id for _, article_id in batch)

    async def _failed(
        self, feed: FeedSource, item: FeedItem, article_id: str, stats: FeedRunStats
    ) -> None:
        """Log the exception being handled, and release the item's claim."""
        stats.failed += 1
        log.exception("item_failed", feed=feed.url, link=item.link)
        with contextlib.suppress(RedisError):  # else the next cycle takes it over
            await self._redis.delete(keys.seen_item(article_id))
        _IN_HAND.discard(article_id)

    async def _each(
        self, stage: str, fn: Callable[..., T], calls: list[tuple[str, tuple[Any, ...]]]
    ) -> list[T | BaseException]:
        """fn(*args) for each (item id, args): in one worker call when there are workers,
        else one by one here, letting other feeds progress between them. An item whose
        call raised gets the exception in its place."""
        if not calls:
            return []
        if self._nlp is not None and self._nlp.workers:
            # One line for the call, as for one item: it is what the process is doing now.
            log.debug("ingest_stage", stage=stage, item=calls[0][0], batch=len(calls))
            return await self._nlp.run_each(fn, [args for _, args in calls])
        results: list[T | BaseException] = []
        for article_id, args in calls:
            log.debug("ingest_stage", stage=stage, item=article_id)
            try:
                results.append(fn(*args))
            except Exception as exc:
                results.append(exc)
            await asyncio.sleep(0)
        return results

    async def _text(
        self, feed: FeedSource, item: FeedItem, article_id: str, lead: str, body: str
    ) -> _Text:
        """The item's text in hand: the feed's (lead, body), the page's text when the feed
        has only a teaser, else the lead."""
        if not body and self._fetcher is not None and needs_page_fetch(item):
            body = await self._fetch_page_text(item.link)
        body = body or lead
        now = self._clock()
        return _Text(
            item=item,
            article_id=article_id,
            lead=lead,
            body=body,
            text=body if lead and lead in body else f"{lead}\n\n{body}".strip(),
            fetched=now,
            published=_published(item, now),
            section_hint=feed.politics_only or _politics_section(item),
        )

    async def _store(
        self, feed: FeedSource, t: _Text, found: Classification, summary: Summary
    ) -> Article:
        item = t.item
        article = Article(
            id=t.article_id,
            feed_url=feed.url,
            source=feed.name,
            url=strip_tracking(item.link) if item.link else feed.url,
            title=item.title,
            lead=t.lead,
            body=t.body,
            language=found.language,
            published=t.published,
            fetched=t.fetched,
            politics_score=found.politics_score,
            is_politics=found.is_politics,
            summary=summary.sentences,
            terms=summary.terms,
        )
        log.debug("ingest_stage", stage="store", item=t.article_id)
        article.story_id = await self._stories.assign(article, summary.fingerprint)
        await self._articles.save(article)
        for deliver in self._on_stored:
            await deliver(article)
        return article

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
        if self._nlp is not None and self._nlp.workers:
            return await self._nlp.run(page_text, page.body, page.final_url)
        return await asyncio.to_thread(page_text, page.body, page.final_url)


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
