"""Precision and recall of bot.stories on labeled same-story / different-story pairs.

    python -m bot.stories_eval [-v] [--errors dev|held-out|test|test2|all]

Two sets of pairs:
1. Our own hand-written kk/ru pairs (tests/stories/fixtures/pairs.jsonl): cross-language
   same-story pairs, Latin-script Kazakh, and hard different-story pairs (same day, same
   institutions or same kind of event, different event). Always runs; the test suite
   asserts the goal on it.
2. Real articles from ../shared/data (skipped with a message when absent):
   - our own rewrites of real articles as another outlet would write them (a different
     headline and lead written from the body, mostly in the other language)
     (tests/stories/fixtures/shared_rewrites.jsonl holds only our text and the original's
     id, never the shared text); a rewrite inherits the labels of its original;
   - every pair among one day's real articles and rewrites is a pair: same story when the
     two report one event (a rewrite and its original, or a pair we read and labeled as
     the same event in shared_labels.jsonl), excluded when we labeled it related coverage
     of one occasion (neither answer is wrong), different otherwise.

Splits, reported separately:
- dev: what bot/stories.py was tuned on. Real pairs of an even day of the month, own pairs
  by a hash of the pair id. The IDF (bot/story_idf.py) reads only dev days' articles.
- held-out: the other half (odd days; the other hash half). Looked at after the first frozen
  run and used to find what was missing (see README, Measurements), so no longer unseen.
- test, test2: rewrites and pairs marked "split" in the fixtures, written after the design
  was frozen and scored once each (test2 last); test was then used like held-out.

Leads are what the bot would see: the feed's lead through summarizer.strip_boilerplate.
Tengrinews has no separate lead, so its first paragraph plays that part, without the
«Продолжение■ <other headline><date>» related-links block the scraper glued into the text.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

from bot.stories import StoryFingerprint, fingerprint, lsh_bands, same_story, similarity
from summarizer import strip_boilerplate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "stories" / "fixtures"
OWN_PAIRS = FIXTURES / "pairs.jsonl"
REWRITES = FIXTURES / "shared_rewrites.jsonl"
SHARED_LABELS = FIXTURES / "shared_labels.jsonl"
SHARED = ROOT.parent / "shared" / "data"
LEAD_CHARS = 400
SPLITS = ("dev", "held-out", "test", "test2")

# «Продолжение■Дожди и ...: прогноз на ближайшие дни13 апреля 2024 15:03■...Вчера 19:01»
_RELATED_LINKS = re.compile(
    r"Продолжение(?:■.*?(?:\d{1,2} [а-я]+ \d{4}|Вчера|Сегодня) ?\d{1,2}:\d{2})+"
)


@dataclass(frozen=True)
class Doc:
    id: str
    lang: str
    title: str
    lead: str
    published: datetime
    event: str = ""  # the real article this one reports on (itself, or a rewrite's original)
    split: str = ""  # set for our text written after tuning: "test"

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
    split: str = "dev"

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
            f"{name:<18} same={same:<4} diff={self.fp + self.tn:<6} P={self.precision:.3f} "
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
        event=doc_id,
    )


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _hash_split(key: str) -> str:
    return SPLITS[hashlib.blake2b(key.encode(), digest_size=2).digest()[0] % 2]


def _pair_split(a: Doc, b: Doc, day: datetime) -> str:
    return a.split or b.split or day_split(day)


def own_pairs(path: Path = OWN_PAIRS) -> list[Pair]:
    return [
        Pair(
            row["id"],
            row["label"] == "same",
            _doc(row["a"], row["id"] + "a"),
            _doc(row["b"], row["id"] + "b"),
            row.get("split") or _hash_split(row["id"]),
        )
        for row in _jsonl(path)
    ]


def clean_body(text: str) -> str:
    """A scraped Tengrinews body without credits and the glued related-links block."""
    return strip_boilerplate(_RELATED_LINKS.sub(" ", text))


def clean_lead(text: str) -> str:
    """A scraped body's opening as a feed would give it as the lead."""
    return clean_body(text[: LEAD_CHARS * 3])[:LEAD_CHARS]


def shared_docs(shared: Path = SHARED) -> dict[str, Doc]:
    docs: dict[str, Doc] = {}
    with (shared / "tengrinews-ru" / "tengrinews_ru_articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if not row.get("datetime"):
                continue
            doc_id = f"tengri:{row['page_id']}"
            docs[doc_id] = Doc(
                doc_id, "ru", row["title"], clean_lead(row["content"]),
                datetime.fromisoformat(row["datetime"]), doc_id,
            )  # fmt: skip
    data = json.loads((shared / "kazinform-kk" / "news.json").read_text(encoding="utf-8"))
    for row in data["articles"]:
        doc_id = f"kazinform:{row['id']}"
        # Kazinform only gives a date: noon keeps same-day articles inside any window.
        published = datetime.fromisoformat(row["date"][:10] + "T12:00:00")
        lead = strip_boilerplate(row["description"])[:LEAD_CHARS]
        docs[doc_id] = Doc(doc_id, "kk", row["title"], lead, published, doc_id)
    return docs


def _labels() -> dict[frozenset[str], str]:
    labels: dict[frozenset[str], str] = {}
    for row in _jsonl(SHARED_LABELS):
        # A group is one occasion covered from several angles: every pair in it is related.
        members = row.get("group") or [row["a"], row["b"]]
        for a, b in combinations(members, 2):
            labels[frozenset((a, b))] = row["label"]
    return labels


def day_split(day: datetime) -> str:
    return SPLITS[day.day % 2]


def shared_pairs(shared: Path = SHARED) -> tuple[list[Pair], int]:
    """Pairs from real articles and our rewrites; also how many 'related' pairs were left out."""
    docs = shared_docs(shared)
    labels = _labels()
    by_day: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs.values():
        by_day[doc.published.date().isoformat()].append(doc)
    for i, row in enumerate(_jsonl(REWRITES)):
        original = docs[row["ref"]]
        rewrite = Doc(
            f"rewrite{i}:{row['ref']}",
            row["lang"],
            row["title"],
            strip_boilerplate(row["lead"]),
            original.published + timedelta(minutes=int(row.get("delay_min", 90))),
            original.id,
            row.get("split", ""),
        )
        by_day[original.published.date().isoformat()].append(rewrite)

    pairs: list[Pair] = []
    excluded = 0
    for day, day_docs in sorted(by_day.items()):
        date = datetime.fromisoformat(day)
        for a, b in combinations(sorted(day_docs, key=lambda d: d.id), 2):
            if a.event == b.event:
                label = "same"
            else:
                label = labels.get(frozenset((a.event, b.event)), "different")
            if label == "related":
                excluded += 1
                continue
            pairs.append(Pair(f"{a.id}~{b.id}", label == "same", a, b, _pair_split(a, b, date)))
    return pairs, excluded


def evaluate(pairs: Iterable[Pair]) -> dict[str, Score]:
    """Scores by split ('dev', 'held-out'), by language pair ('kk-ru', ...) and 'all'."""
    scores: dict[str, Score] = defaultdict(Score)
    for pair in pairs:
        predicted = same_story(pair.a.fp, pair.b.fp)
        for name in ("all", pair.split, f"{pair.split} {pair.kind}"):
            scores[name].add(pair, predicted)
    return scores


def _report(title: str, pairs: list[Pair], errors: str | None) -> dict[str, Score]:
    scores = evaluate(pairs)
    print(f"\n== {title}")
    for split in SPLITS:
        for name in (split, *(f"{split} {k}" for k in ("kk-ru", "kk-kk", "ru-ru"))):
            if name in scores:
                print(scores[name].line(name))
    print(scores["all"].line("all"))
    if errors:
        for pair in pairs:
            if errors != "all" and pair.split != errors:
                continue
            predicted = same_story(pair.a.fp, pair.b.fp)
            if predicted != pair.same:
                what = "FN" if pair.same else "FP"
                sim = similarity(pair.a.fp, pair.b.fp)
                print(
                    f"  {what} {pair.id} sim={sim:.2f}: "
                    f"{pair.a.title[:60]!r} / {pair.b.title[:60]!r}"
                )
    return scores


def _speed(docs: list[Doc], pairs: list[Pair]) -> tuple[float, float]:
    """(fingerprint() ms per article, same_story() µs per pair inside the time window)."""
    start = time.perf_counter()
    rounds = 0
    while time.perf_counter() - start < 0.5:
        for doc in docs:
            fingerprint(doc.title, doc.lead, doc.lang, doc.published)
        rounds += 1
    per_fp = (time.perf_counter() - start) / (rounds * len(docs)) * 1000
    # Fresh fingerprints (their cached views empty), as the index compares stored ones.
    fresh = [
        (
            StoryFingerprint.from_json(p.a.fp.to_json()),
            StoryFingerprint.from_json(p.b.fp.to_json()),
        )
        for p in pairs[:3000]
    ]
    start = time.perf_counter()
    for a, b in fresh:
        same_story(a, b)
    per_cmp = (time.perf_counter() - start) / max(1, len(fresh)) * 1e6
    return per_fp, per_cmp


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    errors = None
    if "-v" in args:
        errors = "dev"
    if "--errors" in args:
        errors = args[args.index("--errors") + 1]
    own = own_pairs()
    _report(f"own hand-written pairs ({OWN_PAIRS.relative_to(ROOT)})", own, errors)
    docs = [p.a for p in own] + [p.b for p in own]
    timed = list(own)
    if not SHARED.is_dir():
        print(f"\n== shared data: SKIPPED, {SHARED} is absent (clone it next to the project)")
    else:
        pairs, excluded = shared_pairs()
        _report(f"real articles from {SHARED} + our rewrites", pairs, errors)
        print(f"(excluded as related coverage of one occasion, labeled by hand: {excluded})")
        docs += list({p.a.id: p.a for p in pairs[:3000]}.values())
        timed = pairs
    per_fp, per_cmp = _speed(docs, timed)
    print(f"\nfingerprint(): {per_fp:.3f} ms per article (title + lead); ", end="")
    print(f"same_story(): {per_cmp:.1f} µs per pair (stored fingerprints, same day)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
