"""Hand-labelled real news for the politics filter: sentences (labels/*_sentences.tsv) and
Tengrinews articles (labels/tengrinews_articles.tsv).

The labels name sentences of ../shared/data by a hash of their text and articles by page_id, so
no text is copied into the repository. A fifth of the documents (a Tengrinews article, a run of
KazNERD sentences) is held out: its sentences and its article are never trained or tuned on, and
`python -m summarizer.eval` scores the shipped model on them.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import zlib
from pathlib import Path
from typing import NamedTuple

from .boilerplate import strip_boilerplate
from .data_paths import kaznerd_sentences, require_shared_data, tengrinews
from .sentences import split_sentences

LABELS = Path(__file__).with_name("labels")
# The labelled sentences were sampled among sentences of this many words; the same bounds
# rebuild them, so a label's key finds its sentence again.
SENTENCE_WORDS = (6, 60)
# KazNERD has no document ids: a run of this many consecutive sentences stands for one, so
# sentences of one TV story land on the same side of every split.
KAZNERD_BLOCK = 50
HELDOUT_EVERY = 5  # one document in five is held out


class NewsSentence(NamedTuple):
    lang: str
    text: str
    document: str


class LabelledSentence(NamedTuple):
    lang: str
    text: str
    label: int
    document: str


def sentence_key(text: str) -> str:
    """First 12 hex digits of the sentence's SHA-1: the key a label file names it by."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def tengrinews_document(n: int) -> str:
    return f"tengrinews-{n}"


def is_heldout(document: str) -> bool:
    return zlib.crc32(document.encode()) % HELDOUT_EVERY == 0


def document_fold(document: str, folds: int) -> int:
    """The cross-validation fold of a document that is not held out."""
    return zlib.crc32(document.encode()) // HELDOUT_EVERY % folds


def news_sentences() -> dict[str, NewsSentence]:
    """Every sentence a label may name, by key: KazNERD sentences (Kazakh TV news) and the
    sentences of Tengrinews bodies as the summarizer splits them."""
    low, high = SENTENCE_WORDS
    candidates = [
        NewsSentence("kk", s, f"kaznerd-{n // KAZNERD_BLOCK}")
        for n, s in enumerate(kaznerd_sentences())
    ] + [
        NewsSentence("ru", s, tengrinews_document(n))
        for n, row in enumerate(tengrinews())
        for s in split_sentences(strip_boilerplate(row["content"]), "ru")
    ]
    out: dict[str, NewsSentence] = {}
    for sentence in candidates:
        if low <= len(sentence.text.split()) <= high:
            out.setdefault(sentence_key(sentence.text), sentence)
    return out


def read_tsv(path: Path) -> list[list[str]]:
    """The tab-separated rows of a file in labels/, without blank and '#' comment lines."""
    return [
        line.split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def read_labels() -> dict[str, int]:
    """key → label (1 = politics) from every labels/*_sentences.tsv."""
    return {
        key: int(label)
        for path in sorted(LABELS.glob("*_sentences.tsv"))
        for key, label, *_ in read_tsv(path)
    }


def article_labels() -> dict[str, int]:
    """Tengrinews page_id (as text: the dump has both numbers and strings) → label (1 =
    politics) from labels/tengrinews_articles.tsv."""
    return {
        page_id: int(label) for page_id, label, *_ in read_tsv(LABELS / "tengrinews_articles.tsv")
    }


def labelled_sentences() -> tuple[list[LabelledSentence], int]:
    """The labelled sentences found in ../shared/data, and how many labels found none (a
    splitter change can reword a sentence: its label is then lost, never misapplied)."""
    sentences = news_sentences()
    found: list[LabelledSentence] = []
    missing = 0
    for key, label in read_labels().items():
        if key not in sentences:
            missing += 1
            continue
        lang, text, document = sentences[key]
        found.append(LabelledSentence(lang, text, label, document))
    return found, missing


def sample(lang: str, n: int, seed: int) -> list[tuple[str, str]]:
    """(key, text) of n random sentences in `lang`: how the labelled sentences were drawn
    (kk: seed 11, ru: seed 12, n 1,600; the first 800 and the rest went to two annotators)."""
    pool = [(key, s.text) for key, s in news_sentences().items() if s.lang == lang]
    return random.Random(seed).sample(pool, n)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Print sentences to label, key<TAB>text: python -m summarizer.news_labels"
    )
    parser.add_argument("--lang", choices=("kk", "ru"), required=True)
    parser.add_argument("--n", type=int, default=1600)
    parser.add_argument("--seed", type=int, required=True)
    args = parser.parse_args(argv)
    require_shared_data()
    for key, text in sample(args.lang, args.n, args.seed):
        print(f"{key}\t{text}")


if __name__ == "__main__":
    main()
