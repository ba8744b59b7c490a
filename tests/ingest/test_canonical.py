"""Canonical URLs and item ids: one article, one id, however it is spelled or re-polled."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ingest.canonical import canonical_url, item_id, strip_tracking
from bot.ingest.parse import FeedItem, parse_feed
from tests.ingest.feeds import POLITICS_KK, rss

FEED = "https://example.kz/rss/kz.xml"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://WWW.Inform.KZ/ru/news/1/", "https://inform.kz/ru/news/1"),
        ("http://inform.kz/ru/news/1?utm_source=tg&utm_medium=x", "https://inform.kz/ru/news/1"),
        ("https://inform.kz/a?fbclid=abc&id=5#comments", "https://inform.kz/a?id=5"),
        ("https://inform.kz/a?gclid=1&yclid=2&UTM_Campaign=3&page=2", "https://inform.kz/a?page=2"),
        ("https://inform.kz:443/a?b=2&a=1", "https://inform.kz/a?a=1&b=2"),
        ("http://inform.kz:80/a", "https://inform.kz/a"),
        ("https://inform.kz:8443/a", "https://inform.kz:8443/a"),
        ("https://inform.kz/", "https://inform.kz/"),
        ("https://inform.kz", "https://inform.kz/"),
        ("HTTPS://Tengrinews.KZ./news/", "https://tengrinews.kz/news"),
        ("  https://inform.kz/a\n", "https://inform.kz/a"),
        # Percent-encoding: unreserved escapes decoded, others upper-cased, Cyrillic encoded.
        ("https://inform.kz/%7Euser/%d0%b0", "https://inform.kz/~user/%D0%B0"),
        ("https://inform.kz/news/қазақ", "https://inform.kz/news/%D2%9B%D0%B0%D0%B7%D0%B0%D2%9B"),
        ("https://inform.kz/a/./b/../c", "https://inform.kz/a/c"),
        ("https://inform.kz/a%2Fb", "https://inform.kz/a%2Fb"),  # an escaped slash stays
        (
            "https://inform.kz/search?q=сайлау",
            "https://inform.kz/search?q=%D1%81%D0%B0%D0%B9%D0%BB%D0%B0%D1%83",
        ),
        ("https://user:pw@inform.kz/a", "https://inform.kz/a"),
        ("https://ақорда.қаз/ru", "https://xn--80aal3bk85c.xn--80ao21a/ru"),
    ],
)
def test_canonical_urls(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("url", ["", "urn:uuid:1234", "/ru/relative", "mailto:a@b.kz", "http://"])
def test_things_that_are_not_web_urls_come_back_unchanged(url: str) -> None:
    assert canonical_url(url) == url


def test_strip_tracking_keeps_the_published_spelling() -> None:
    assert (
        strip_tracking("http://www.Inform.kz/a/?utm_source=rss&id=5#top")
        == "http://www.Inform.kz/a/?id=5"
    )
    assert strip_tracking("https://x.kz/a/") == "https://x.kz/a/"


_urls = st.builds(
    "{}://{}{}.kz{}/{}{}{}".format,
    st.sampled_from(["http", "https", "HTTP"]),
    st.sampled_from(["", "www.", "WWW."]),
    st.sampled_from(["inform", "Egemen", "kt"]),
    st.sampled_from(["", ":443", ":80", ":8080"]),
    st.text("abcпр/.%-_~ 2", max_size=15),
    st.sampled_from(["", "?b=1&a=2", "?utm_source=x", "?q=%d0%b0&fbclid=z"]),
    st.sampled_from(["", "#frag"]),
)


@given(_urls)
def test_canonical_url_is_idempotent(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert once.startswith("https://")
    assert "#" not in once
    assert "utm_" not in once
    assert "fbclid" not in once


# item ids


def _only_item(body: str) -> FeedItem:
    [item] = parse_feed(body.encode(), feed_url=FEED).items
    return item


def test_items_without_guid_or_date_get_distinct_stable_ids() -> None:
    bodies = [
        rss([{"title": "A", "link": "https://www.x.kz/a/?utm_source=rss#top"}]),
        rss([{"title": "B", "guid": "urn:b"}]),
        rss([{"title": "C", "description": POLITICS_KK["description"]}]),
    ]
    ids = []
    for body in bodies:
        item = _only_item(body)
        assert item.published is None
        ids.append(item_id(item, FEED))
        assert item_id(_only_item(body), FEED) == ids[-1]  # a re-poll: the same id
    assert len(set(ids)) == 3
    assert all(len(i) >= 20 and int(i, 16) >= 0 for i in ids)


def test_the_link_wins_over_guid_title_and_date() -> None:
    item = FeedItem(guid="g1", link="https://x.kz/a", title="A", summary="s")
    same_page = FeedItem(
        guid="g2",
        link="http://www.x.kz/a/?utm_medium=tg",
        title="A (edited)",
        summary="longer",
        published=datetime(2026, 11, 24, tzinfo=UTC),
    )
    assert item_id(item, FEED) == item_id(same_page, FEED)
    # The link is global: the same article in two feeds of one outlet is one item.
    assert item_id(item, FEED) == item_id(item, "https://example.kz/rss/ru.xml")


def test_a_guid_is_scoped_by_its_feed() -> None:
    item = FeedItem(guid="12345", link="", title="A", summary="")
    assert item_id(item, FEED) == item_id(replace(item, title="edited"), FEED)
    assert item_id(item, FEED) == item_id(item, "http://www.example.kz/rss/kz.xml/")
    assert item_id(item, FEED) != item_id(item, "https://other.kz/rss")


def test_without_link_or_guid_title_and_summary_decide() -> None:
    item = FeedItem(guid=None, link="", title="Сенат  заңды", summary="Қабылдады.")
    respaced = FeedItem(guid=None, link="", title="сенат заңды", summary=" Қабылдады. ")
    other = FeedItem(guid=None, link="", title="Сенат заңды", summary="Қайтарды.")
    assert item_id(item, FEED) == item_id(respaced, FEED)
    assert item_id(item, FEED) != item_id(other, FEED)


def test_item_ids_do_not_change_between_releases() -> None:
    # Seen ids live in Redis for 30 days: a changed hash would re-send a month of news.
    by_link = FeedItem(guid=None, link="https://kaz.inform.kz/news/1", title="", summary="")
    by_guid = FeedItem(guid="12345", link="", title="", summary="")
    assert item_id(by_link, FEED) == "9ebae908034a7d875a406900"
    assert item_id(by_guid, FEED) == "70705e4592f6fb6215018f87"
