"""Digest rendering: escaped HTML, one item per story, and Telegram's size and link limits."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.articles import Article
from bot.digest import MAX_LINKS, MAX_MESSAGE_CHARS, group_stories, render_digest

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def article(
    n: int, *, source: str = "Kazinform", story: str | None = None, **kw: object
) -> Article:
    fields: dict = {
        "id": f"a{n}",
        "feed_url": f"https://{source.lower()}.example/rss",
        "source": source,
        "url": f"https://{source.lower()}.example/news/{n}",
        "title": f"Мәжіліс заң жобасын қабылдады {n}",
        "lead": "",
        "body": "",
        "language": "kk",
        "published": NOW - timedelta(minutes=n),
        "fetched": NOW,
        "politics_score": 0.9,
        "is_politics": True,
        "summary": ["Депутаттар құжатты бірінші оқылымда мақұлдады."],
        "story_id": story or f"a{n}",
    }
    fields.update(kw)
    return Article(**fields)


def test_titles_and_summaries_are_escaped_and_links_kept() -> None:
    a = article(1, title="<script>alert(1)</script> & «Ақорда»", summary=["5 < 6 & 7 > 3"])
    [message] = render_digest(group_stories([a], "kk"), "kk", ALMATY, NOW)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; «Ақорда»" in message
    assert "5 &lt; 6 &amp; 7 &gt; 3" in message
    assert '<a href="https://kazinform.example/news/1">' in message
    assert "<script>" not in message


def test_the_time_is_shown_in_the_users_zone() -> None:
    a = article(0)  # 12:00 UTC is 17:00 in Almaty (UTC+5)
    [message] = render_digest(group_stories([a], "kk"), "kk", ALMATY, NOW)
    assert "24.11 17:00" in message


def test_one_item_per_story_with_the_other_outlets_and_ranked_by_outlets() -> None:
    lone = article(1)
    told_twice = [
        article(50, source="Kazinform", story="s"),
        article(51, source="Tengrinews", story="s", language="ru"),
        article(52, source="Egemen", story="s"),
    ]
    [message] = render_digest(group_stories([lone, *told_twice], "kk"), "kk", ALMATY, NOW)
    items = re.findall(r"^\d+\. ", message, re.M)
    assert len(items) == 2
    first = message.split("\n\n")[1]
    assert "сондай-ақ" in first
    assert "Tengrinews" in first
    assert "Egemen" in first


def test_long_digests_split_under_4096_chars_and_100_links() -> None:
    many = [article(i, title="Сенат " * 40, summary=["Ұзын сөйлем. " * 40]) for i in range(120)]
    messages = render_digest(group_stories(many, "kk"), "kk", ALMATY, NOW)
    assert len(messages) > 1
    assert all(len(m) < MAX_MESSAGE_CHARS for m in messages)
    assert all(m.count("<a ") <= MAX_LINKS for m in messages)
    numbered = [n for m in messages for n in re.findall(r"^(\d+)\. ", m, re.M)]
    assert numbered == [str(i) for i in range(1, 121)]


def test_many_short_items_hit_the_link_limit_before_the_size_limit() -> None:
    # Ten outlets a story, with short names and URLs: links pile up faster than characters.
    tiny = [
        article(
            story * 10 + outlet,
            source=f"S{outlet}",
            story=f"s{story}",
            title="Т",
            summary=[],
            url=f"https://s.kz/{story}/{outlet}",
        )
        for story in range(30)
        for outlet in range(10)
    ]
    messages = render_digest(group_stories(tiny, "kk"), "kk", ALMATY, NOW)
    assert all(len(m) < MAX_MESSAGE_CHARS for m in messages)
    assert max(m.count("<a ") for m in messages) == MAX_LINKS


def test_an_empty_digest_says_so_in_the_users_language() -> None:
    assert render_digest([], "ru", ALMATY, NOW) == [
        "С прошлого дайджеста новых политических новостей нет."
    ]
