"""Same-story grouping on real Kazakh and Russian news (../shared/data) and our rewrites of it;
skipped with a message when that folder is absent."""

from __future__ import annotations

import json
from datetime import UTC, date
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot import story_idf
from bot.articles import Article
from bot.stories import IDF_FILE
from bot.stories_eval import SPLITS, Doc, evaluate, shared_docs, shared_pairs
from bot.story_index import StoryIndex

pytestmark = pytest.mark.shared_data


def test_goal_on_real_articles_in_every_split(shared_data: Path) -> None:
    pairs, _ = shared_pairs(shared_data)
    scores = evaluate(pairs)
    for split in SPLITS:
        score = scores[split]
        assert score.tp + score.fn >= 15, split  # enough same-story pairs to mean something
        assert score.precision >= 0.95, score.line(split)
        assert score.recall >= 0.8, score.line(split)
    # What went wrong before: different same-day Russian stories of one kind merged.
    assert scores["all"].fp == 0, scores["all"].line("all")


def _article(doc: Doc) -> Article:
    published = doc.published.replace(tzinfo=UTC)
    return Article(
        id=doc.id,
        feed_url="https://example.kz/rss",
        source=doc.id.split(":")[0],
        url=f"https://example.kz/{doc.id}",
        title=doc.title,
        lead=doc.lead,
        body=doc.lead,
        language=doc.lang,
        published=published,
        fetched=published,
        politics_score=0.9,
        is_politics=True,
    )


async def test_a_real_days_news_through_the_story_index(shared_data: Path, redis: Redis) -> None:
    """16 April 2024: floods, two weather reports, a downpour in Almaty, Tokayev's trip; real
    Tengrinews articles and our Kazakh rewrites arrive in publication order."""
    day = date(2024, 4, 16)
    real = shared_docs(shared_data)
    pairs, _ = shared_pairs(shared_data)
    docs = {d.id: d for p in pairs for d in (p.a, p.b) if real[d.event].published.date() == day}
    index = StoryIndex(redis)
    story = {}
    for doc in sorted(docs.values(), key=lambda d: d.published):
        story[doc.id] = await index.assign(_article(doc))
    rewrites = [d for d in docs.values() if d.event != d.id]
    assert len(rewrites) >= 5
    for rewrite in rewrites:  # another outlet's report joins the original's story
        assert story[rewrite.id] == story[rewrite.event], rewrite.id
    day_pairs = [p for p in pairs if p.a.id in docs and p.b.id in docs]
    merged = [p.id for p in day_pairs if not p.same and story[p.a.id] == story[p.b.id]]
    assert merged == []
    # The forecast, the Astana air warning and the Almaty downpour: three stories.
    assert len({story["tengri:532390"], story["tengri:532471"], story["tengri:532477"]}) == 3


def test_the_shipped_idf_is_what_the_script_builds(shared_data: Path) -> None:
    shipped = json.loads(IDF_FILE.read_text(encoding="utf-8"))
    assert story_idf.build(shared_data) == shipped
