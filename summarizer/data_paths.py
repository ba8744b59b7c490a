"""Where the shared real-text data lives: ../shared/data beside the repository, never copied in."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def require_shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        raise SystemExit(f"../shared/data is absent ({SHARED_DATA.resolve()}): it is needed here")
    return SHARED_DATA


def sib200(lang: str, split: str) -> list[tuple[str, str]]:
    """(category, text) rows of SIB-200; lang is 'kk' or 'ru', split 'train' or 'dev'."""
    return [(category, text) for _, category, text in sib200_rows(lang, split)]


def sib200_rows(lang: str, split: str) -> list[tuple[str, str, str]]:
    """(index_id, category, text) rows of SIB-200. The kk and ru files are translations of the
    same Flores sentences: one index_id is one sentence in both languages."""
    folder = {"kk": "kaz_Cyrl", "ru": "rus_Cyrl"}[lang]
    rows: list[tuple[str, str, str]] = []
    with (SHARED_DATA / "sib200" / folder / f"{split}.tsv").open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                rows.append((parts[0], parts[1], parts[2]))
    return rows


HELDOUT_SHARE = 0.2


@cache
def sib200_heldout_ids() -> frozenset[str]:
    """The SIB-200 train index_ids kept out of politics training and tuning: a fixed 20% of
    each category (ids ordered by CRC-32, so the split never changes), the same ids in both
    languages because the kk and ru rows of one id are translations. SIB-200's own test split
    is not in ../shared/data, and its dev split tunes the threshold, so this is the held-out
    test."""
    by_category: dict[str, list[str]] = {}
    for index_id, category, _ in sib200_rows("ru", "train"):
        by_category.setdefault(category, []).append(index_id)
    out: set[str] = set()
    for ids in by_category.values():
        ids.sort(key=lambda i: (zlib.crc32(i.encode()), i))
        out.update(ids[: round(HELDOUT_SHARE * len(ids))])
    return frozenset(out)


def sib200_split(lang: str, split: str) -> list[tuple[str, str, str]]:
    """(index_id, category, text) for 'fit' (SIB train less the held-out ids), 'test' (those
    ids) or 'dev' (SIB dev)."""
    if split == "dev":
        return sib200_rows(lang, "dev")
    heldout = sib200_heldout_ids()
    rows = sib200_rows(lang, "train")
    return [r for r in rows if (r[0] in heldout) == (split == "test")]


def kaznerd_sentences() -> Iterator[str]:
    """KazNERD test sentences, tokens re-joined with spaces."""
    tokens: list[str] = []
    with (SHARED_DATA / "kaznerd-kk" / "IOB2_test.txt").open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    yield " ".join(tokens)
                    tokens = []
                continue
            tokens.append(line.rsplit(" ", 1)[0])
    if tokens:
        yield " ".join(tokens)


def tengrinews() -> list[dict]:
    path = SHARED_DATA / "tengrinews-ru" / "tengrinews_ru_articles.jsonl"
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def kazinform() -> list[dict]:
    with (SHARED_DATA / "kazinform-kk" / "news.json").open(encoding="utf-8") as fh:
        return json.load(fh)["articles"]
