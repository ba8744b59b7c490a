"""Article text from pages when the feed gives only a teaser."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from bot.articles import ArticleStore
from bot.clock import FakeClock
from bot.ingest.extract import (
    TEASER_CHARS,
    extract_article_text,
    html_to_text,
    needs_page_fetch,
)
from bot.ingest.fetch import FeedFetcher, FetchLimits
from bot.ingest.parse import FeedItem, parse_feed
from bot.ingest.pipeline import FeedSource, IngestPipeline
from bot.story_index import StoryIndex
from tests.fakes.feed_server import FeedServer
from tests.ingest.feeds import LOCAL_NETWORKS, fixture

PAGE_URL = "https://tengrinews.kz/kazakhstan_news/senat-odobril-zakon-529901/"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        yield srv


def test_teasers_need_the_page_and_full_items_do_not() -> None:
    feed = parse_feed(fixture("kazinform_kk_rss2.xml"), feed_url="https://kaz.inform.kz/rss/kz.xml")
    with_content, teaser = feed.items
    assert not needs_page_fetch(with_content)  # content:encoded carries the article
    assert needs_page_fetch(teaser)
    long_description = FeedItem(guid=None, link=PAGE_URL, title="A", summary="ж" * TEASER_CHARS)
    no_link = FeedItem(guid="1", link="", title="A", summary="қысқа")
    assert not needs_page_fetch(long_description)
    assert not needs_page_fetch(no_link)


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    feed = parse_feed(fixture("kazinform_kk_rss2.xml"), feed_url="https://kaz.inform.kz/rss/kz.xml")
    text = html_to_text(feed.items[0].content_html)
    assert text.split("\n\n") == [
        "АСТАНА. KAZINFORM – Мәжіліс депутаттары сайлау туралы конституциялық заңға "
        "түзетулерді бірінші оқылымда мақұлдады.",
        "Түзетулер кандидаттарды тіркеу тәртібін және сайлау комиссияларының жұмысын нақтылайды.",
        "Құжат Сенаттың қарауына жіберіледі.",
    ]
    assert html_to_text("Бір<br>екі<ul><li>үш</li></ul>") == "Бір\n\nекі\n\nүш"


def test_the_lead_and_body_are_extracted_without_page_furniture() -> None:
    extracted = extract_article_text(fixture("article_page.html"), PAGE_URL)
    assert extracted is not None
    assert extracted.lead.startswith("Депутаты Сената на пленарном заседании одобрили")
    paragraphs = extracted.body.split("\n\n")
    assert paragraphs[0].startswith("Согласно документу")
    assert paragraphs[-1] == "Документ направлен на подпись Главе государства."
    for furniture in ("Главная", "Читайте также", "cookies", "Все права защищены", "dataLayer"):
        assert furniture not in extracted.text
    # The same page again gives the same text (no process-wide deduplication cache).
    assert extract_article_text(fixture("article_page.html"), PAGE_URL) == extracted


@pytest.mark.parametrize(
    "page",
    [
        b"",
        "<html><body><nav>Главная</nav><p>Қысқа.</p></body></html>",
        b"\x00\xff\xfe binary",
        "<html><body>" + "<div>" * 5000,
    ],
)
def test_pages_without_an_article_give_none(page: bytes | str) -> None:
    assert extract_article_text(page, PAGE_URL) is None


async def test_a_teaser_item_is_completed_from_its_page(server: FeedServer) -> None:
    server.add("article.html", fixture("article_page.html"), content_type="text/html")
    feed_body = fixture("tengri_ru_rss091.xml").replace(
        PAGE_URL.encode(), server.url("article.html").encode()
    )
    server.add("news.rss", feed_body)
    async with FeedFetcher(
        FetchLimits(total_timeout=5.0, allow_networks=LOCAL_NETWORKS)
    ) as fetcher:
        fetched = await fetcher.fetch(server.url("news.rss"))
        item = parse_feed(fetched.body, feed_url=fetched.final_url).items[0]
        assert needs_page_fetch(item)
        page = await fetcher.fetch_page(item.link)
    extracted = extract_article_text(page.body, page.final_url)
    assert extracted is not None
    assert "смешанной избирательной системе" in extracted.body
    assert len(extracted.text) > len(item.summary)


@pytest.mark.parametrize(
    ("content_type", "from_page"), [("text/html; charset=utf-8", True), ("application/pdf", False)]
)
async def test_only_an_html_page_completes_a_teaser(
    server: FeedServer, redis: Redis, content_type: str, from_page: bool
) -> None:
    server.add("article", fixture("article_page.html"), content_type=content_type)
    feed_body = fixture("tengri_ru_rss091.xml").replace(
        PAGE_URL.encode(), server.url("article").encode()
    )
    async with FeedFetcher(
        FetchLimits(total_timeout=5.0, allow_networks=LOCAL_NETWORKS)
    ) as fetcher:
        pipeline = IngestPipeline(
            redis, ArticleStore(redis), StoryIndex(redis), clock=FakeClock(NOW), fetcher=fetcher
        )
        source = FeedSource(url="https://tengrinews.kz/news.rss", name="Tengrinews", language="ru")
        stats = await pipeline.ingest_feed_body(source, feed_body, final_url=source.url)
    [article] = [a for a in stats.articles if a.url.endswith("/article")]
    assert ("смешанной избирательной системе" in article.body) is from_page
    assert article.lead  # the feed's teaser is kept either way
