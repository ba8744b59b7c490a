"""Kazakh (Cyrillic and Latin) and Russian news NLP for Sayasat Digest: pure functions over text.

Imports nothing from the bot. Models load on first use; sumy (which pulls in nltk, over a
second) is only imported by sumy_bridge, for the evaluation's baselines.
"""

from __future__ import annotations

from .boilerplate import strip_boilerplate
from .language import detect_language
from .politics import POLITICS_THRESHOLD, is_politics, politics_score
from .sentences import split_sentences
from .summary import summarize
from .terms import index_terms
from .translit import to_cyrillic

__all__ = [
    "POLITICS_THRESHOLD",
    "detect_language",
    "index_terms",
    "is_politics",
    "politics_score",
    "split_sentences",
    "strip_boilerplate",
    "summarize",
    "to_cyrillic",
]
