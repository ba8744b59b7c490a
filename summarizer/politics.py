"""Is an article about politics? A small logistic model over stems, plus section signals.

Politics here: the President and Akorda, Parliament (Мәжіліс, Сенат), government and
ministries, elections and parties, law-making, foreign policy and diplomacy, and international
organisations. Weights live in models/politics.json (retrain: python -m summarizer.train_politics).
The trainer shifts the bias so that POLITICS_THRESHOLD = 0.5 is the cross-validated F1-best cut.
"""

from __future__ import annotations

import json
import math
from functools import cache
from itertools import pairwise
from pathlib import Path

from .terms import prepare, terms_of

MODEL_PATH = Path(__file__).with_name("models") / "politics.json"
POLITICS_THRESHOLD = 0.5
# A politics-only feed or a /politics/, /sayasat/, «Саясат» section: adds this much log-odds,
# enough to carry a borderline article over the threshold but not a plainly non-political one.
SECTION_HINT_LOGIT = 2.5
TEXT_CHARS = 1500  # the lead carries the topic; reading further only costs time


def features(title: str, text: str, lang: str | None = None) -> dict[str, float]:
    """Bag of stems (title stems count double) plus stem bigrams, L2-normalised."""
    title = title if isinstance(title, str) else ""
    text = text if isinstance(text, str) else ""
    lang, prepared = prepare(f"{title}\n{text[:TEXT_CHARS]}", lang)
    head, _, body = prepared.partition("\n")
    bag: dict[str, float] = {}
    for weight, part in ((2.0, head), (1.0, body)):
        terms = terms_of(part, lang)
        for term in terms:
            bag[term] = bag.get(term, 0.0) + weight
        for a, b in pairwise(terms):
            key = f"{a} {b}"
            bag[key] = bag.get(key, 0.0) + weight * 0.5
    norm = math.sqrt(sum(v * v for v in bag.values())) or 1.0
    return {k: v / norm for k, v in bag.items()}


@cache
def _model() -> tuple[dict[str, float], float]:
    with MODEL_PATH.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return data["weights"], data["bias"]


def logit(feats: dict[str, float], weights: dict[str, float], bias: float) -> float:
    return bias + sum(v * weights.get(k, 0.0) for k, v in feats.items())


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def politics_score(
    title: str, text: str, lang: str | None = None, *, section_hint: bool = False
) -> float:
    """Probability-like score in [0, 1] that the article is about politics."""
    weights, bias = _model()
    z = logit(features(title, text, lang), weights, bias)
    if section_hint:
        z += SECTION_HINT_LOGIT
    return _sigmoid(z)


def is_politics(
    title: str, text: str, lang: str | None = None, *, section_hint: bool = False
) -> bool:
    return politics_score(title, text, lang, section_hint=section_hint) >= POLITICS_THRESHOLD
