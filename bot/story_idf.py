"""Build bot/story_idf.json: how rare each same-story key is in real Kazakh and Russian news.

    python -m bot.story_idf [SHARED_DATA_DIR]

Reads ../shared/data (never downloads anything): the KazNERD Kazakh TV-news sentences, the
SIB-200 Kazakh and Russian sentences, and the bodies of the Tengrinews (ru) and Kazinform (kk)
articles from the *dev* days of bot.stories_eval only, so its held-out half stays unseen.
Every sentence is one document, run through the same key extraction as a fingerprint.

A key's rarity is its inverse document frequency in the language where it is most common,
scaled to 0..1: a key in one sentence of RARE_RATE or fewer counts fully, one in every other
sentence hardly at all. Keys rarer than that are left out (absent means fully rare), which
keeps the file small. The file records its sources and sentence counts.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from bot.stories import IDF_FILE, extract_keys
from bot.stories_eval import SHARED, clean_body, day_split
from summarizer import split_sentences

RARE_RATE = 1 / 1000  # this rare or rarer: rarity 1
COMMON_RATE = 1 / 4  # this common or more: rarity 0


def kaznerd(shared: Path) -> Iterator[str]:
    words: list[str] = []
    with (shared / "kaznerd-kk" / "IOB2_test.txt").open(encoding="utf-8") as fh:
        for line in fh:
            token = line.split(" ", 1)[0].strip()
            if token:
                words.append(token)
            elif words:
                yield " ".join(words)
                words = []
    if words:
        yield " ".join(words)


def sib(shared: Path, folder: str) -> Iterator[str]:
    for part in ("train", "dev"):
        with (shared / "sib200" / folder / f"{part}.tsv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                yield row["text"]


def tengrinews_dev(shared: Path) -> Iterator[str]:
    with (shared / "tengrinews-ru" / "tengrinews_ru_articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("datetime") and day_split(datetime.fromisoformat(row["datetime"])) == "dev":
                yield row["title"]
                yield from split_sentences(clean_body(row["content"]))


def kazinform_dev(shared: Path) -> Iterator[str]:
    data = json.loads((shared / "kazinform-kk" / "news.json").read_text(encoding="utf-8"))
    for row in data["articles"]:
        if day_split(datetime.fromisoformat(row["date"][:10])) == "dev":
            yield row["title"]
            yield from split_sentences(row["content_text"])


def document_frequencies(sentences: Iterator[str], lang: str) -> tuple[Counter[str], int]:
    df: Counter[str] = Counter()
    n = 0
    for sentence in sentences:
        keys = extract_keys(sentence, lang)
        if keys:
            df.update(keys.keys())
            n += 1
    return df, n


def rarities(corpora: dict[str, tuple[Counter[str], int]]) -> dict[str, float]:
    top = -math.log(RARE_RATE)
    bottom = -math.log(COMMON_RATE)
    rate: dict[str, float] = {}
    for df, n in corpora.values():
        for key, count in df.items():
            rate[key] = max(rate.get(key, 0.0), count / n)
    out: dict[str, float] = {}
    for key, r in rate.items():
        if r <= RARE_RATE or key[0].isdigit():
            continue  # numbers and dates are weighed by kind, not by how often they occur
        out[key] = round(min(1.0, max(0.0, (-math.log(r) - bottom) / (top - bottom))), 3)
    return dict(sorted(out.items()))


def both_languages(corpora: dict[str, tuple[Counter[str], int]]) -> list[str]:
    """Words seen in both languages' corpora: loanwords and cognates (форум, медиа), and the
    lexicon's keys. Across languages only these, names, numbers and dates are compared: a
    Kazakh word like «ластану» can never appear in a Russian article."""
    (kk, _), (ru, _) = corpora["kk"], corpora["ru"]
    return sorted(k for k in kk.keys() & ru.keys() if not k[0].isdigit() and k[0] != "~")


def build(shared: Path = SHARED) -> dict:
    kk_sentences = [*kaznerd(shared), *sib(shared, "kaz_Cyrl"), *kazinform_dev(shared)]
    ru_sentences = [*sib(shared, "rus_Cyrl"), *tengrinews_dev(shared)]
    corpora = {
        "kk": document_frequencies(iter(kk_sentences), "kk"),
        "ru": document_frequencies(iter(ru_sentences), "ru"),
    }
    return {
        "about": (
            "same-story key rarity, built by python -m bot.story_idf from ../shared/data: "
            "KazNERD (CC BY 4.0) and SIB-200 (CC BY-SA 4.0) sentences, dev-day Tengrinews and "
            "Kazinform article bodies; keys not listed are rare (1.0)"
        ),
        "sentences": {lang: n for lang, (_, n) in corpora.items()},
        "rare_rate": RARE_RATE,
        "common_rate": COMMON_RATE,
        "rarity": rarities(corpora),
        "both": both_languages(corpora),
    }


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    shared = Path(args[0]) if args else SHARED
    if not shared.is_dir():
        print(f"{shared} is absent: the IDF is built from ../shared/data", file=sys.stderr)
        return 2
    data = build(shared)
    IDF_FILE.write_text(
        json.dumps(data, ensure_ascii=False, indent=0, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    print(
        f"{IDF_FILE.name}: {len(data['rarity'])} keys from {data['sentences']} sentences; "
        f"{len(data['both'])} words seen in both languages"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
