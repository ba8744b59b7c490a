"""OPML: what other readers export parses, what we export reads back the same, and the
XML tricks (entities, external references, huge or deep documents) are refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.opml import MAX_OPML_BYTES, MAX_OUTLINES, OpmlError, OpmlFeed, parse_opml, render_opml

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

# Shaped like Feedly's and Inoreader's exports: folders, both attribute spellings, notes.
READER_EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Subscriptions &amp; more</title></head>
  <body>
    <outline text="Kazakhstan" title="Kazakhstan">
      <outline type="rss" text="Kazinform" title="Kazinform \xd2\x9b\xd0\xb0\xd0\xb7\xd0\xb0\xd2\x9b\xd1\x88\xd0\xb0"
               xmlUrl="https://www.inform.kz/kz/rss" htmlUrl="https://www.inform.kz" language="kk-KZ"/>
      <outline type="rss" text="Tengrinews" xmlUrl="https://tengrinews.kz/news.rss"
               category="/news,/politics"/>
    </outline>
    <outline text="a note without a feed"/>
    <outline type="rss" text="Old" xmlUrl="ftp://example.org/feed"/>
    <outline type="rss" text="Dup" xmlUrl="https://tengrinews.kz/news.rss"/>
  </body>
</opml>
"""


def test_a_readers_export_parses_with_folders_languages_and_categories() -> None:
    document = parse_opml(READER_EXPORT)
    assert document.title == "Subscriptions & more"
    assert document.feeds == [
        OpmlFeed("https://www.inform.kz/kz/rss", "Kazinform қазақша", "kk"),
        OpmlFeed("https://tengrinews.kz/news.rss", "Tengrinews", None, politics_only=True),
    ]
    assert document.invalid == 1  # the ftp:// one; the duplicate is simply dropped


def test_render_then_parse_gives_the_same_feeds() -> None:
    feeds = [
        OpmlFeed("https://egemen.kz/rss", "Egemen «Қазақстан» & Co <1>", "kk", True),
        OpmlFeed("https://tengrinews.kz/news.rss?lang=ru&x=1", "Tengrinews", "ru"),
        OpmlFeed("https://example.kz/feed", "Paused one", "en", enabled=False),
    ]
    document = render_opml(feeds, "Sayasat Digest sources", NOW)
    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert b"&amp;x=1" in document
    parsed = parse_opml(document)
    assert parsed.feeds == feeds
    assert parsed.title == "Sayasat Digest sources"


def test_an_empty_list_round_trips() -> None:
    assert parse_opml(render_opml([], "Empty", NOW)).feeds == []


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><opml><body>'
            b'<outline text="&lol2;" xmlUrl="https://a.kz/rss"/></body></opml>',
            "document type declarations",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "file:///etc/passwd"><opml><body/></opml>',
            "document type declarations",
        ),
        (b'<opml><body><outline text="&xxe;"/></body></opml>', "not well-formed"),
        (b"<rss><channel/></rss>", "not an OPML document"),
        (b"this is not xml", "not well-formed"),
        (b"<opml><body><outline", "not well-formed"),
        (b"<opml>" + b"<outline>" * 40 + b"</outline>" * 40 + b"</opml>", "nested deeper"),
    ],
)
def test_dangerous_or_broken_documents_are_refused(document: bytes, reason: str) -> None:
    with pytest.raises(OpmlError, match=reason):
        parse_opml(document)


def test_size_and_outline_caps() -> None:
    with pytest.raises(OpmlError, match="larger than"):
        parse_opml(b"<opml>" + b" " * MAX_OPML_BYTES + b"</opml>")
    many = b"".join(b'<outline xmlUrl="https://a.kz/%d"/>' % n for n in range(MAX_OUTLINES + 1))
    with pytest.raises(OpmlError, match="more than"):
        parse_opml(b"<opml><body>" + many + b"</body></opml>")
