"""What admins do to the feed list: add a source after trying it, pause, resume, remove,
import and export OPML, and read each source's health."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import summarizer
from bot.feeds import Feed, FeedStore, feed_id_for
from bot.ingest.fetch import FeedFetcher, FetchError
from bot.ingest.parse import FeedParseError, parse_feed
from bot.opml import OpmlFeed, is_http_url, parse_opml, render_opml

LANGUAGES = ("kk", "ru", "en")
NAME_LIMIT = 100


class FeedRefused(Exception):
    """The feed was not added; `reason` is a text key, `detail` what went wrong."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class FeedHealth:
    feed: Feed
    items_per_day: float | None  # None when the feed has no known start
    next_poll: datetime | None

    @property
    def backing_off(self) -> bool:
        return self.feed.enabled and self.feed.failures > 0


@dataclass(frozen=True)
class ImportResult:
    added: list[Feed]
    skipped: int  # already in the store
    invalid: int


class FeedAdmin:
    def __init__(self, store: FeedStore, default_language: str) -> None:
        self._store = store
        self._default_language = default_language

    async def add(
        self,
        fetcher: FeedFetcher,
        url: str,
        now: datetime,
        *,
        language: str | None = None,
        politics_only: bool = False,
    ) -> tuple[Feed, int]:
        """Fetch and parse the feed once, then save it; returns (feed, item count).

        Raises FeedRefused (nothing saved) when the URL is not http(s), the feed is
        already stored, or fetching or parsing fails."""
        url = url.strip()
        if not is_http_url(url):
            raise FeedRefused("addfeed_bad_url", url)
        # By id, or by the stored URL (a permanent redirect moved it from the original).
        existing = await self.find(url)
        if existing is not None:
            raise FeedRefused("addfeed_exists", existing.name)
        try:
            fetched = await fetcher.fetch(url)
            parsed = parse_feed(
                fetched.body, feed_url=fetched.final_url, content_type=fetched.content_type
            )
        except FetchError as exc:
            raise FeedRefused("addfeed_failed", f"{exc.kind}: {exc}") from None
        except FeedParseError as exc:
            raise FeedRefused("addfeed_failed", str(exc)) from None
        if language is None:
            language = _guess_language([f"{i.title}. {i.summary}" for i in parsed.items])
        feed = Feed(
            id=feed_id_for(url),
            # A permanent redirect moves the stored URL, as the poller would.
            url=fetched.permanent_redirect_to or url,
            name=(parsed.title or urlsplit(url).hostname or url)[:NAME_LIMIT],
            language=language or self._default_language,
            politics_only=politics_only,
            added_at=now.timestamp(),
        )
        await self._store.add(feed, due=now)
        return feed, len(parsed.items)

    async def find(self, ref: str) -> Feed | None:
        """A feed by its id, its URL or its name (any case)."""
        ref = ref.strip()
        if not ref:
            return None
        by_id = await self._store.get(ref) or await self._store.get(feed_id_for(ref))
        if by_id is not None:
            return by_id
        folded = ref.casefold()
        for feed in await self._store.all():
            if feed.url == ref or feed.name.casefold() == folded:
                return feed
        return None

    async def health(self, now: datetime) -> list[FeedHealth]:
        rows = []
        for feed in sorted(await self._store.all(), key=lambda f: f.name.casefold()):
            per_day = None
            if feed.added_at:
                days = max((now.timestamp() - feed.added_at) / 86_400, 1.0)
                per_day = feed.items_total / days
            rows.append(FeedHealth(feed, per_day, await self._store.next_due(feed.id)))
        return rows

    async def export_opml(self, now: datetime) -> tuple[bytes, int]:
        feeds = sorted(await self._store.all(), key=lambda f: f.name.casefold())
        document = render_opml(
            [OpmlFeed(f.url, f.name, f.language, f.politics_only, f.enabled) for f in feeds],
            title="Sayasat Digest sources",
            created=now,
        )
        return document, len(feeds)

    async def import_opml(self, data: bytes, now: datetime) -> ImportResult:
        """Add every feed of the document that is not stored yet (raises OpmlError)."""
        document = parse_opml(data)
        added, skipped = [], 0
        for item in document.feeds:
            feed_id = feed_id_for(item.url)
            if await self._store.get(feed_id) is not None:
                skipped += 1
                continue
            feed = Feed(
                id=feed_id,
                url=item.url,
                name=(item.title or urlsplit(item.url).hostname or item.url)[:NAME_LIMIT],
                language=item.language or self._default_language,
                politics_only=item.politics_only,
                enabled=item.enabled,
                added_at=now.timestamp(),
            )
            await self._store.add(feed, due=now)
            added.append(feed)
        return ImportResult(added, skipped, document.invalid)

    async def pause(self, feed: Feed, now: datetime) -> None:
        await self._store.set_enabled(feed.id, False, due=now)

    async def resume(self, feed: Feed, now: datetime) -> None:
        await self._store.set_enabled(feed.id, True, due=now)

    async def remove(self, feed: Feed) -> bool:
        return await self._store.remove(feed.id)


def _guess_language(texts: list[str]) -> str | None:
    """The language most of the items are in, when the admin named none."""
    votes = Counter(summarizer.detect_language(t) for t in texts[:30] if t.strip())
    for language, _count in votes.most_common():
        if language in LANGUAGES:
            return language
    return None
