"""Precision and recall of bot.stories on labeled same-story / different-story pairs.

    python -m bot.stories_eval

Two parts:
1. Our own hand-written kk/ru pairs (tests/stories/fixtures/pairs.jsonl): cross-language
   same-story pairs, Latin-script Kazakh, and hard different-story pairs (same day, same
   institutions, different event). Always runs; the test suite asserts the goal on it.
2. Real articles from ../shared/data (skipped with a message when absent):
   - our own rewrites of real articles as another outlet would write them (a different
     headline and lead written from the body, often in the other language), paired with the
     original → same-story pairs (tests/stories/fixtures/shared_rewrites.jsonl holds only our
     text and the original's id, never the shared text);
   - every pair of real articles published the same day → different-story pairs, except the
     pairs we read and labeled by hand as the same event (or as related coverage of one
     occasion, which is excluded: neither answer is wrong) in shared_labels.jsonl;
   - each rewrite against the other real articles of its day → cross-language different pairs.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

from bot.stories import StoryFingerprint, fingerprint, lsh_bands, same_story, similarity

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "stories" / "fixtures"
OWN_PAIRS = FIXTURES / "pairs.jsonl"
REWRITES = FIXTURES / "shared_rewrites.jsonl"
SHARED_LABELS = FIXTURES / "shared_labels.jsonl"
SHARED = ROOT.parent / "shared" / "data"
LEAD_CHARS = 400


@dataclass(frozen=True)
class Doc:
    id: str
    lang: str
    title: str
    lead: str
    published: datetime

    @property
    def fp(self) -> StoryFingerprint:
        return _fp(self)


_FP_CACHE: dict[str, StoryFingerprint] = {}


def _fp(doc: Doc) -> StoryFingerprint:
    if doc.id not in _FP_CACHE:
        _FP_CACHE[doc.id] = fingerprint(doc.title, doc.lead, doc.lang, doc.published)
    return _FP_CACHE[doc.id]


@dataclass(frozen=True)
class Pair:
    id: str
    same: bool
    a: Doc
    b: Doc

    @property
    def kind(self) -> str:
        return "-".join(sorted((self.a.lang, self.b.lang)))


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    band_hits: int = 0  # same-story pairs that share at least one LSH band

    def add(self, pair: Pair, predicted: bool) -> None:
        if pair.same:
            self.tp += predicted
            self.fn += not predicted
            self.band_hits += bool(set(lsh_bands(pair.a.fp)) & set(lsh_bands(pair.b.fp)))
        else:
            self.fp += predicted
            self.tn += not predicted

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, name: str) -> str:
        same = self.tp + self.fn
        bands = f"{self.band_hits}/{same}" if same else "-"
        return (
            f"{name:<22} same={same:<5} diff={self.fp + self.tn:<6} P={self.precision:.3f} "
            f"R={self.recall:.3f} F1={self.f1:.3f}  (tp={self.tp} fp={self.fp} fn={self.fn}) "
            f"same pairs sharing a band: {bands}"
        )


def _doc(raw: dict[str, str], doc_id: str) -> Doc:
    return Doc(
        id=doc_id,
        lang=raw["lang"],
        title=raw["title"],
        lead=raw["lead"],
        published=datetime.fromisoformat(raw["published"]),
    )


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def own_pairs(path: Path = OWN_PAIRS) -> list[Pair]:
    return [
        Pair(
            row["id"],
            row["label"] == "same",
            _doc(row["a"], row["id"] + "a"),
            _doc(row["b"], row["id"] + "b"),
        )
        for row in _jsonl(path)
    ]


def _shared_docs(shared: Path) -> dict[str, Doc]:
    docs: dict[str, Doc] = {}
    with (shared / "tengrinews-ru" / "tengrinews_ru_articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if not row.get("datetime"):
                continue
            doc_id = f"tengri:{row['page_id']}"
            # Tengrinews has no separate lead: its first paragraph plays that part.
            docs[doc_id] = Doc(
                doc_id, "ru", row["title"], row["content"][:LEAD_CHARS],
                datetime.fromisoformat(row["datetime"]),
            )  # fmt: skip
    data = json.loads((shared / "kazinform-kk" / "news.json").read_text(encoding="utf-8"))
    for row in data["articles"]:
        doc_id = f"kazinform:{row['id']}"
        # Kazinform only gives a date: noon keeps same-day articles inside any window.
        published = datetime.fromisoformat(row["date"][:10] + "T12:00:00")
        docs[doc_id] = Doc(doc_id, "kk", row["title"], row["description"][:LEAD_CHARS], published)
    return docs


def shared_pairs(shared: Path = SHARED) -> tuple[list[Pair], int]:
    """Pairs from real articles; also returns how many 'related' pairs were excluded."""
    docs = _shared_docs(shared)
    labels: dict[frozenset[str], str] = {}
    for row in _jsonl(SHARED_LABELS):
        # A group is one occasion covered from several angles: every pair in it is related.
        members = row.get("group") or [row["a"], row["b"]]
        for a, b in combinations(members, 2):
            labels[frozenset((a, b))] = row["label"]
    rewrites: list[Doc] = []
    for i, row in enumerate(_jsonl(REWRITES)):
        original = docs[row["ref"]]
        rewrites.append(
            Doc(
                f"rewrite{i}:{row['ref']}",
                row["lang"],
                row["title"],
                row["lead"],
                original.published + timedelta(minutes=int(row.get("delay_min", 90))),
            )
        )
    by_day: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs.values():
        by_day[doc.published.date().isoformat()].append(doc)

    pairs: list[Pair] = []
    excluded = 0
    for day_docs in by_day.values():
        for a, b in combinations(sorted(day_docs, key=lambda d: d.id), 2):
            label = labels.get(frozenset((a.id, b.id)), "different")
            if label == "related":
                excluded += 1
                continue
            pairs.append(Pair(f"{a.id}~{b.id}", label == "same", a, b))
    for rw in rewrites:
        ref = rw.id.split(":", 1)[1]
        original = docs[ref]
        pairs.append(Pair(f"{rw.id}~orig", True, rw, original))
        for other in by_day[original.published.date().isoformat()]:
            if other.id == ref:
                continue
            label = labels.get(frozenset((ref, other.id)), "different")
            if label != "different":
                continue  # the original's same-event or related articles are not negatives
            pairs.append(Pair(f"{rw.id}~{other.id}", False, rw, other))
    return pairs, excluded


def evaluate(pairs: Iterable[Pair]) -> dict[str, Score]:
    scores: dict[str, Score] = defaultdict(Score)
    for pair in pairs:
        predicted = same_story(pair.a.fp, pair.b.fp)
        scores["all"].add(pair, predicted)
        scores[pair.kind].add(pair, predicted)
    return scores


def _report(title: str, pairs: list[Pair], verbose: bool) -> dict[str, Score]:
    scores = evaluate(pairs)
    print(f"\n== {title}")
    for kind in ("all", "kk-ru", "kk-kk", "ru-ru"):
        if kind in scores:
            print(scores[kind].line(kind))
    if verbose:
        for pair in pairs:
            predicted = same_story(pair.a.fp, pair.b.fp)
            if predicted != pair.same:
                what = "FN" if pair.same else "FP"
                sim = similarity(pair.a.fp, pair.b.fp)
                print(
                    f"  {what} {pair.id} sim={sim:.2f}: {pair.a.title[:60]!r} / {pair.b.title[:60]!r}"
                )
    return scores


def _speed(docs: list[Doc]) -> float:
    start = time.perf_counter()
    rounds = 0
    while time.perf_counter() - start < 0.5:
        for doc in docs:
            fingerprint(doc.title, doc.lead, doc.lang, doc.published)
        rounds += 1
    return (time.perf_counter() - start) / (rounds * len(docs)) * 1000


def main(argv: list[str] | None = None) -> int:
    verbose = "-v" in (argv if argv is not None else sys.argv[1:])
    own = own_pairs()
    _report(f"own hand-written pairs ({OWN_PAIRS.relative_to(ROOT)})", own, verbose)
    docs = [p.a for p in own] + [p.b for p in own]
    if not SHARED.is_dir():
        print(f"\n== shared data: SKIPPED, {SHARED} is absent (clone it next to the project)")
    else:
        pairs, excluded = shared_pairs()
        _report(f"real articles from {SHARED} + our rewrites", pairs, verbose)
        print(f"(excluded as related coverage of one occasion, labeled by hand: {excluded})")
        docs += [p.a for p in pairs[:400]]
    print(f"\nfingerprint(): {_speed(docs):.3f} ms per article (title + lead)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
