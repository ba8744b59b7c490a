"""The CPU half of ingesting one item, as two pure functions: classify (language, politics
score) and summarize (summary sentences, index terms, story fingerprint).

No Redis, no Telegram, no event loop: they run in a worker process (bot/ingest/nlp_pool.py)
as readily as inline, so their arguments and results are small picklable values. Two calls
rather than one because the pipeline logs each stage as it begins (the crash tests kill the
bot at each one) and a stage is only under way while its caller waits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import summarizer
from bot import stories

SUMMARY_SENTENCES = 3
SUMMARY_CHARS = 600
# Language ID reads the start only: the headline and lead say it, and long bodies cost.
DETECT_CHARS = 2000


@dataclass(frozen=True)
class Classification:
    language: str
    politics_score: float
    is_politics: bool


@dataclass(frozen=True)
class Summary:
    sentences: list[str]
    terms: list[str]  # index terms of title and text, for search and alerts
    fingerprint: stories.StoryFingerprint


def classify_text(title: str, text: str, feed_language: str, section_hint: bool) -> Classification:
    """`feed_language` is what the feed says, for text too short to tell; `section_hint`:
    the feed or the item's section says politics."""
    detected = summarizer.detect_language(f"{title}. {text[:DETECT_CHARS]}")
    language = detected if detected in ("kk", "ru", "en") else feed_language
    score = summarizer.politics_score(title, text, language, section_hint=section_hint)
    return Classification(language, score, score >= summarizer.POLITICS_THRESHOLD)


def summarize_text(title: str, lead: str, text: str, language: str, published: datetime) -> Summary:
    return Summary(
        sentences=summarizer.summarize(
            text, language, max_sentences=SUMMARY_SENTENCES, max_chars=SUMMARY_CHARS, title=title
        ),
        terms=summarizer.index_terms(f"{title}\n{text}", language),
        fingerprint=stories.fingerprint(title, lead, language, published),
    )


def warm_up() -> None:
    """Load every model a first article would, so a new worker's first item is not slow."""
    for text in ("Мәжіліс заң жобасын мақұлдады.", "Сенат принял закон."):
        found = classify_text(text, text, "kk", False)
        summarize_text(text, text, text, found.language, datetime.fromtimestamp(0, UTC))
