"""ROUGE-1/2/L with a Cyrillic-aware tokenizer (rouge-score's drops every Cyrillic letter)."""

from __future__ import annotations

import re
from collections import Counter

from .stem import stem_word

_TOKEN = re.compile(r"\w+")


def rouge_tokens(text: str, lang: str) -> list[str]:
    return [stem_word(t, lang) for t in _TOKEN.findall(text.lower())]


def _f1(overlap: int, n_ref: int, n_hyp: int) -> float:
    if not overlap or not n_ref or not n_hyp:
        return 0.0
    p, r = overlap / n_hyp, overlap / n_ref
    return 2 * p * r / (p + r)


def _ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge(reference: str, hypothesis: str, lang: str) -> tuple[float, float, float]:
    """(ROUGE-1, ROUGE-2, ROUGE-L) F1 of hypothesis against reference."""
    ref = rouge_tokens(reference, lang)
    hyp = rouge_tokens(hypothesis, lang)
    scores = []
    for n in (1, 2):
        r, h = _ngrams(ref, n), _ngrams(hyp, n)
        scores.append(_f1(sum((r & h).values()), sum(r.values()), sum(h.values())))
    scores.append(_f1(_lcs(ref, hyp), len(ref), len(hyp)))
    return scores[0], scores[1], scores[2]
