"""Parsing real-world feed shapes: RSS 0.91/1.0/2.0, Atom, bad charsets, relative links,
items without guid or date, HTML in titles, and bozo feeds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.ingest.parse import FeedParseError, parse_feed
from tests.ingest.feeds import POLITICS_KK, POLITICS_RU, atom, fixture, rdf, rss

FEED = "https://example.kz/rss/kz.xml"


def test_rss2_with_content_encoded_html_titles_and_categories() -> None:
    feed = parse_feed(fixture("kazinform_kk_rss2.xml"), feed_url="https://kaz.inform.kz/rss/kz.xml")
    assert (feed.title, feed.link, feed.ttl_minutes, feed.bozo) == (
        "Kazinform — Жаңалықтар",
        "https://kaz.inform.kz/",
        15,
        False,
    )
    full, teaser = feed.items
    # Escaped tags stripped, double-escaped quotes unescaped, spaces collapsed.
    assert full.title == 'Мәжіліс сайлау туралы заңға түзетулерді "мақұлдады"'
    assert full.guid == "kazinform-882801"
    assert full.summary.startswith("АСТАНА. KAZINFORM – Мәжіліс депутаттары")  # credit kept
    assert "<p>" in full.content_html
    assert "Сенаттың қарауына" in full.content_html
    assert full.published == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)  # +05:00 → UTC
    assert full.categories == ["Саясат", "Парламент"]
    assert full.author == "Айгүл Сәрсенова"
    assert full.link.endswith("882801/?utm_source=rss&utm_medium=feed")  # as published
    assert (teaser.guid, teaser.content_html, teaser.author) == (None, "", "")
    assert teaser.link == "http://www.inform.kz/kz/news/ukimet-zhylytu-882802/"


def test_atom_with_a_relative_link_html_summary_and_no_date() -> None:
    feed = parse_feed(fixture("egemen_kk.atom"), feed_url="https://egemen.kz/rss")
    dated, undated = feed.items
    assert feed.title == "Egemen Qazaqstan"
    assert dated.link == "https://egemen.kz/article/sayasat/senat-eki-zandy-qabyldady-401122"
    assert dated.title == "Сенат екі заңды қабылдады"
    assert dated.summary == "Сенаторлар заңдарды қабылдап, Президенттің қол қоюына жіберді."
    assert dated.published == datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    assert (dated.author, dated.categories) == ("Ерлан Жұмабек", ["Саясат"])
    assert undated.published is None
    assert undated.guid == "tag:egemen.kz,2026:401130"


def test_rdf_rss1_in_kazakh_and_russian() -> None:
    feed = parse_feed(fixture("kt_kk_rdf.xml"), feed_url="http://www.kt.kz/kaz/rss/")
    kk, ru = feed.items
    assert kk.title == "Президент Жолдауды жүзеге асыру жөнінде кеңес өткізді"
    assert kk.published == datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
    assert kk.categories == ["Саясат"]  # dc:subject
    assert ru.title == "Правительство утвердило план законопроектных работ"
    assert ru.link == "http://www.kt.kz/rus/state/1153700002.html"


def test_rss091_items_without_guid_or_date() -> None:
    feed = parse_feed(fixture("tengri_ru_rss091.xml"), feed_url="https://tengrinews.kz/news.rss")
    assert [(i.guid, i.published) for i in feed.items] == [(None, None), (None, None)]
    assert feed.items[0].title == "Сенат одобрил закон о выборах в маслихаты"


def test_builders_give_the_same_shapes() -> None:
    atom_feed = parse_feed(
        atom([{"title": "Сенат", "link": "https://egemen.kz/a/1", "summary": "Мәтін"}]).encode(),
        feed_url=FEED,
    )
    rdf_feed = parse_feed(
        rdf([{"title": "Үкімет", "link": "https://kt.kz/a/2", "description": "Мәтін"}]).encode(),
        feed_url=FEED,
    )
    assert [(i.title, i.link) for i in atom_feed.items] == [("Сенат", "https://egemen.kz/a/1")]
    assert [(i.title, i.link) for i in rdf_feed.items] == [("Үкімет", "https://kt.kz/a/2")]


def test_relative_links_are_resolved_against_the_feed_url() -> None:
    # Akorda's real feed publishes links like "/ru/prezident-...-2052556".
    body = rss(
        [
            {"title": "Президент", "link": "/ru/prezident-vstretilsya-2052556"},
            {"title": "Жарлық", "link": "  ukaz-1.html\n"},
        ]
    ).encode()
    first, second = parse_feed(body, feed_url="https://www.akorda.kz/ru/rss").items
    assert first.link == "https://www.akorda.kz/ru/prezident-vstretilsya-2052556"
    assert second.link == "https://www.akorda.kz/ru/ukaz-1.html"


def test_a_guid_that_is_not_a_url_never_becomes_a_link() -> None:
    body = rss(
        [
            {"title": "A", "guid": "882801"},  # isPermaLink defaults to true: feedparser
            {"title": "B", "guid": "https://kt.kz/a/2"},  # would invent a link from it
            {"title": "C", "link": "javascript:alert(1)"},
        ]
    ).encode()
    a, b, c = parse_feed(body, feed_url=FEED).items
    assert (a.guid, a.link) == ("882801", "")
    assert (b.guid, b.link) == ("https://kt.kz/a/2", "https://kt.kz/a/2")
    assert c.link == ""


def test_html_is_stripped_from_titles_and_descriptions() -> None:
    body = rss(
        [
            {
                "title": "&lt;b&gt;Мәжіліс&lt;/b&gt; &amp; Сенат &amp;laquo;бірлесіп&amp;raquo;",
                "link": "https://example.kz/a/1",
                "description": (
                    "<p>Депутаттар <a href='x'>заңды</a>\n\n  қабылдады.</p>"
                    "<script>var x = '<p>no</p>';</script><style>p{}</style><br/>5 < 6"
                ),
            }
        ]
    ).encode()
    [item] = parse_feed(body, feed_url=FEED).items
    assert item.title == "Мәжіліс & Сенат «бірлесіп»"
    assert item.summary == "Депутаттар заңды қабылдады. 5 < 6"


def test_an_item_with_only_content_gets_its_first_paragraph_as_summary() -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>'
        "<item><title>A</title><link>https://x.kz/a</link><content:encoded><![CDATA["
        "<p>Бірінші абзац.</p><p>Екінші абзац.</p>]]></content:encoded></item>"
        "</channel></rss>"
    ).encode()
    [item] = parse_feed(body, feed_url=FEED).items
    assert item.summary == "Бірінші абзац."
    assert "Екінші" in item.content_html


# charsets

RU_TITLE = POLITICS_RU["title"]


def _feed_text(declared: str | None) -> str:
    text = rss([{"title": RU_TITLE, "link": "https://x.kz/1", "description": "Сенат"}])
    if declared is None:
        return text.replace(' encoding="utf-8"', "")
    return text.replace('encoding="utf-8"', f'encoding="{declared}"')


@pytest.mark.parametrize(
    ("codec", "declared", "content_type"),
    [
        ("cp1251", "utf-8", None),  # Windows-1251 bytes declared UTF-8
        ("cp1251", "utf-8", "application/rss+xml; charset=utf-8"),  # ... twice over
        ("utf-8", "windows-1251", None),  # and the reverse
        ("utf-8", "windows-1251", "text/xml; charset=windows-1251"),
        ("cp1251", None, None),  # nothing declared
        ("cp1251", None, "text/xml"),
        ("cp1251", "iso-8859-1", None),  # a Latin-1 declaration would give «Ñåíàò»
        ("cp1251", "windows-1251", None),  # and the honest case
        ("koi8-r", "koi8-r", None),  # another honest legacy charset
    ],
)
def test_wrong_or_missing_charsets_decode_to_readable_text(
    codec: str, declared: str | None, content_type: str | None
) -> None:
    body = _feed_text(declared).encode(codec)
    feed = parse_feed(body, feed_url=FEED, content_type=content_type)
    [item] = feed.items
    assert (item.title, item.summary) == (RU_TITLE, "Сенат")


def test_kazakh_utf8_with_a_stray_byte_stays_utf8() -> None:
    text = rss([{"title": POLITICS_KK["title"], "link": "https://x.kz/1"}])
    body = text.encode("utf-8").replace("Мәжіліс".encode(), "Мәжіліс".encode() + b"\xff")
    [item] = parse_feed(body, feed_url=FEED).items
    assert item.title.replace("\ufffd", "") == POLITICS_KK["title"]


def test_a_utf8_bom_and_a_utf16_feed() -> None:
    text = rss([{"title": RU_TITLE, "link": "https://x.kz/1"}])
    assert parse_feed(b"\xef\xbb\xbf" + text.encode(), feed_url=FEED).items[0].title == RU_TITLE
    utf16 = text.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    assert parse_feed(utf16, feed_url=FEED).items[0].title == RU_TITLE


# broken feeds


def test_a_bozo_feed_still_gives_its_items(caplog: pytest.LogCaptureFixture) -> None:
    feed = parse_feed(fixture("malformed_ru.xml"), feed_url="https://orda.kz/feed/")
    assert feed.bozo
    assert feed.bozo_reason
    assert "not well-formed" in feed.bozo_reason
    assert [i.title for i in feed.items] == [
        "Мажилис & Сенат: итоги сессии 2026",
        "Акимы отчитались перед населением",
    ]
    assert feed.items[0].published == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def test_a_truncated_feed_keeps_what_arrived() -> None:
    text = rss([{"title": f"Жаңалық {n}", "link": f"https://x.kz/{n}"} for n in range(3)])
    feed = parse_feed(text.encode()[: text.index("Жаңалық 2") + 20], feed_url=FEED)
    assert feed.bozo
    assert [i.title for i in feed.items][:2] == ["Жаңалық 0", "Жаңалық 1"]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"<html><head><title>403 Forbidden</title></head><body><h1>403</h1></body></html>",
        b"<html><body>Access denied",
        b"<foo><bar/></foo>",
        b'{"error": "not found"}',
        b"\x00\x01\x02 binary garbage \xff\xfe",
    ],
)
def test_something_that_is_not_a_feed_is_a_clear_error(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="not a feed"):
        parse_feed(body, feed_url=FEED)


def test_a_valid_feed_with_no_items_is_not_an_error() -> None:
    feed = parse_feed(rss([], title="Бос арна").encode(), feed_url=FEED)
    assert (feed.title, feed.items, feed.bozo) == ("Бос арна", [], False)
