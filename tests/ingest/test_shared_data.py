"""Real outlet text from ../shared/data, wrapped into feeds and pages at test time (never
copied into the repository). Each test skips with a message when the folder is absent."""

from __future__ import annotations

import ast
import gzip
import html
import json
from collections.abc import AsyncIterator
from datetime import datetime
from email.utils import format_datetime
from zoneinfo import ZoneInfo

import pytest

from bot.ingest.canonical import canonical_url, item_id
from bot.ingest.extract import extract_article_text
from bot.ingest.fetch import FeedFetcher, FetchLimits
from bot.ingest.parse import parse_feed
from tests.fakes.feed_server import FeedServer
from tests.ingest.feeds import LOCAL_NETWORKS, shared_file

pytestmark = pytest.mark.shared_data
ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        yield srv


def _rss(items: list[dict[str, str]], encoding: str = "utf-8") -> str:
    body = "".join(
        "<item>"
        f"<title>{html.escape(i['title'])}</title>"
        f"<link>{html.escape(i['link'])}</link>"
        + (f"<pubDate>{i['date']}</pubDate>" if i.get("date") else "")
        + f"<description>{html.escape(i.get('description', ''))}</description>"
        "</item>"
        for i in items
    )
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
        f"<title>Real data</title><link>https://example.kz/</link>{body}</channel></rss>"
    )


def _kazinform() -> list[dict[str, str]]:
    raw = json.loads(shared_file("kazinform-kk/news.json").read_text("utf-8"))["articles"]
    return raw if isinstance(raw, list) else ast.literal_eval(raw)


def _tengrinews() -> list[dict[str, str]]:
    path = shared_file("tengrinews-ru/tengrinews_ru_articles.jsonl")
    # split("\n"), not splitlines(): bodies contain U+2028 and other line separators.
    return [json.loads(line) for line in path.read_text("utf-8").split("\n") if line.strip()]


def test_akorda_relative_links_resolve_to_the_presidents_site() -> None:
    paths = shared_file("akorda-rss/known_posts.txt").read_text("utf-8").split()
    body = _rss([{"title": f"Post {n}", "link": path} for n, path in enumerate(paths)])
    feed = parse_feed(body.encode(), feed_url="https://www.akorda.kz/ru/rss")
    assert [i.link for i in feed.items] == [f"https://www.akorda.kz{p}" for p in paths]
    ids = {item_id(i, "https://www.akorda.kz/ru/rss") for i in feed.items}
    assert len(ids) == len(set(paths))
    assert canonical_url(feed.items[0].link).startswith("https://akorda.kz/ru/")


async def test_kazinform_kazakh_feed_over_gzip_round_trips(server: FeedServer) -> None:
    articles = _kazinform()
    items = [
        {
            "title": a["title"],
            "link": a["source_url"],
            "description": a["description"],
            "date": format_datetime(datetime.fromisoformat(a["date"]).replace(tzinfo=ALMATY)),
        }
        for a in articles
    ]
    server.add(
        "rss/kz.xml", gzip.compress(_rss(items).encode()), headers={"Content-Encoding": "gzip"}
    )
    async with FeedFetcher(
        FetchLimits(total_timeout=5.0, allow_networks=LOCAL_NETWORKS)
    ) as fetcher:
        first = await fetcher.fetch(server.url("rss/kz.xml"))
        again = await fetcher.fetch(server.url("rss/kz.xml"), etag=first.etag)
    feed = parse_feed(first.body, feed_url=first.final_url, content_type=first.content_type)
    assert again.status == 304
    assert [i.title for i in feed.items] == [" ".join(a["title"].split()) for a in articles]
    assert all(i.summary.startswith("АСТАНА. KAZINFORM") for i in feed.items[:3])
    assert all(i.published is not None for i in feed.items)
    assert len({item_id(i, server.url("rss/kz.xml")) for i in feed.items}) == len(
        {canonical_url(a["source_url"]) for a in articles}
    )


def test_tengrinews_russian_feed_in_windows_1251_declared_utf8() -> None:
    articles = [a for a in _tengrinews()[:120] if _fits_cp1251(a["title"] + a["content"][:300])]
    assert len(articles) > 50
    items = [
        {"title": a["title"], "link": a["page_url"], "description": a["content"][:300]}
        for a in articles
    ]
    body = _rss(items).encode("cp1251")  # the declaration still says utf-8
    feed = parse_feed(body, feed_url="https://tengrinews.kz/news.rss")
    assert feed.charset == "cp1251"
    assert [i.title for i in feed.items] == [" ".join(a["title"].split()) for a in articles]


def test_tengrinews_article_pages_give_back_their_body() -> None:
    recovered = []
    for article in _tengrinews()[:25]:
        sentences = [s.strip() + "." for s in article["content"].split(". ") if s.strip()]
        if len(sentences) < 4:
            continue
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        page = (
            f"<html><head><title>{html.escape(article['title'])}</title></head><body>"
            "<nav><a href='/'>Главная</a> <a href='/news/'>Новости</a></nav><article>"
            f"<h1>{html.escape(article['title'])}</h1>"
            + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
            + "</article><footer>© Tengrinews.kz</footer></body></html>"
        )
        extracted = extract_article_text(page, article["page_url"])
        if extracted is None:
            recovered.append(0.0)
            continue
        words = set(article["content"].split())
        recovered.append(len(words & set(extracted.text.split())) / len(words))
    assert len(recovered) >= 15
    # Most of each body comes back; the nav and footer do not count towards this.
    assert sum(recovered) / len(recovered) > 0.8


def _fits_cp1251(text: str) -> bool:
    try:
        text.encode("cp1251")
    except UnicodeEncodeError:
        return False
    return True
