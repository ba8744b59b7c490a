"""Retrain models/politics.json: python -m summarizer.train_politics [--dry-run] [--select ...]

Two kinds of labelled text, each with a part that is never trained or tuned on:
- SIB-200 (kk and ru; 'politics' against the other six topics; a sentence is labelled by the
  topic of the article it came from). fit: SIB-200 train less a fixed 20% of its ids
  (data_paths.sib200_heldout_ids); test: those ids; dev: SIB-200 dev. Only fit trains.
- Real Kazakhstan news, labelled by hand by the issue's definition of politics (a sentence is
  politics when its own point is state power, the contest for it or relations between
  states): 3,200 KazNERD (kk) and Tengrinews (ru) sentences in labels/*_sentences.tsv, and
  the 349 Tengrinews articles, labelled whole (labels/tengrinews_articles.tsv). A fifth of the
  documents is held out with its sentences (news_labels.is_heldout); the rest trains.
Hand-written headlines and the Kazinform article labels in labels/ always train.

Chosen by 5-fold cross-validation: C, the weights of the Tengrinews articles and of the news
sentences (against 1.0 for a SIB sentence), the kk↔ru dictionary's weight, and the decision
threshold. SIB folds are grouped by index_id (the kk and ru sentences of one id translate each
other), news folds by document. `--select all` (the default) maximises the mean F1 of five
out-of-fold parts, SIB fit kk and ru, the news sentences kk and ru and the Tengrinews articles,
at one shared cut (the middle of the best plateau); `--select sib` uses the SIB parts only, as
before the news labels existed. The cut is folded into the bias, so POLITICS_THRESHOLD stays
0.5.

The kk↔ru stem dictionary (the "translation" features) is induced from the parallel fit
sentences only, and inside cross-validation from each fold's training ids only, so a held-out
sentence's own translation never shapes its features.

Model: class-balanced L2 logistic regression (full-batch Adam, numpy: training only; inference
in politics.py is pure Python) over politics.features.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
from collections import Counter
from typing import NamedTuple

import numpy as np

from .data_paths import kazinform, require_shared_data, sib200_split, tengrinews
from .news_labels import (
    LABELS,
    article_labels,
    document_fold,
    is_heldout,
    labelled_sentences,
    read_tsv,
    tengrinews_document,
)
from .politics import FEATURE_GROUPS, MODEL_PATH, Translations, features, logit
from .terms import cached_terms

FOLDS = 5
ITERATIONS = 400
C_GRID = (10.0, 30.0, 100.0)
TENGRINEWS_WEIGHT_GRID = (0.0, 0.3, 1.0)  # per article, against 1.0 for a SIB sentence
TRANSLATION_WEIGHT_GRID = (0.0, 0.5, 1.0)  # 0: no dictionary
# Per hand-labelled news sentence (labels/*_sentences.tsv), against 1.0 for a SIB sentence.
SENTENCE_WEIGHT_GRID = (0.0, 0.25, 0.5, 1.0)
# A dictionary link needs the two stems in at least this many parallel sentences together, and
# this Dice coefficient; competitive linking then keeps each stem's best partner only.
MIN_PAIR_COUNT = 2
MIN_DICE = 0.3
MIN_DF = 2  # a feature must occur in two training examples
MAX_FEATURES = 20_000
CUTS = tuple(x / 8 for x in range(-32, 33))  # candidate logit cuts
Scored = list[tuple[float, int]]
HELD_OUT = ("dev-", "test-", "news-test-", "tengrinews-test")  # sources never trained on
PRF = tuple[float, float, float]


class Example:
    __slots__ = ("feats", "fold", "label", "source", "weight")

    def __init__(self, feats: dict[str, float], label: int, source: str, fold: int = -1) -> None:
        self.feats, self.label, self.source, self.fold = feats, label, source, fold
        self.weight = 1.0


class SibRow(NamedTuple):
    index_id: str
    lang: str
    text: str
    label: int
    part: str  # fit, dev or test
    fold: int  # CV fold of a fit row, -1 otherwise


class OtherRow(NamedTuple):
    title: str
    text: str
    lang: str
    label: int
    # tengrinews, labels, sentences-kk/-ru; news-test-kk/-ru and tengrinews-test are the
    # held-out documents, never trained on
    source: str
    fold: int = -1  # CV fold of a news sentence or Tengrinews article: its document's


def load_rows() -> tuple[list[SibRow], list[OtherRow]]:
    """SIB-200 rows of every part (fit rows with their CV fold), and the other training texts:
    the hand labels in labels/ (Tengrinews articles and news sentences, headlines, Kazinform)."""
    require_shared_data()
    ids = sorted({row[0] for lang in ("kk", "ru") for row in sib200_split(lang, "fit")})
    random.Random(5).shuffle(ids)
    fold_of = {index_id: k % FOLDS for k, index_id in enumerate(ids)}
    sib = [
        SibRow(index_id, lang, text, int(category == "politics"), part, fold_of.get(index_id, -1))
        for part in ("fit", "dev", "test")
        for lang in ("kk", "ru")
        for index_id, category, text in sib200_split(lang, part)
    ]
    by_hand = article_labels()
    other = [
        _news_row(row["title"], row["content"], "ru", by_hand[str(row["page_id"])], doc, "")
        for n, row in enumerate(tengrinews())
        for doc in [tengrinews_document(n)]
    ]
    labels = {key: rest for key, *rest in read_tsv(LABELS / "kazinform_politics.tsv")}
    for row in kazinform():
        key = row["source_url"].rstrip("/").rsplit("-", 1)[-1]
        if key in labels:
            other.append(
                OtherRow(row["title"], row["content_text"], "kk", int(labels[key][0]), "labels")
            )
    for lang, label, text in read_tsv(LABELS / "politics_extra.tsv"):
        other.append(OtherRow(text, "", lang, int(label), "labels"))
    found, missing = labelled_sentences()
    other.extend(_news_row("", r.text, r.lang, r.label, r.document, r.lang) for r in found)
    if missing:
        print(f"{missing} sentence labels name no sentence of ../shared/data any more")
    return sib, other


def _news_row(
    title: str, text: str, lang: str, label: int, document: str, sentence_lang: str
) -> OtherRow:
    """A Tengrinews article (sentence_lang "") or a labelled news sentence, on its document's
    side of the held-out split and in its document's CV fold."""
    source = f"sentences-{sentence_lang}" if sentence_lang else "tengrinews"
    if is_heldout(document):
        test = f"news-test-{sentence_lang}" if sentence_lang else "tengrinews-test"
        return OtherRow(title, text, lang, label, test)
    return OtherRow(title, text, lang, label, source, document_fold(document, FOLDS))


def induce_translations(rows: list[SibRow]) -> Translations:
    """A kk↔ru stem dictionary from the parallel sentences among `rows` (an id present in both
    languages): Dice coefficient over the sentence pairs where two stems occur together, then
    competitive linking (best-scoring links first, each stem linked once; Melamed 2000)."""
    by_id: dict[str, dict[str, str]] = {}
    for row in rows:
        by_id.setdefault(row.index_id, {})[row.lang] = row.text
    kk_count: Counter[str] = Counter()
    ru_count: Counter[str] = Counter()
    joint: Counter[tuple[str, str]] = Counter()
    for texts in by_id.values():
        if len(texts) != 2:
            continue
        kk, ru = set(cached_terms(texts["kk"], "kk")), set(cached_terms(texts["ru"], "ru"))
        kk_count.update(kk)
        ru_count.update(ru)
        joint.update((a, b) for a in kk for b in ru)
    links = sorted(
        (
            (2 * n / (kk_count[a] + ru_count[b]), n, a, b)
            for (a, b), n in joint.items()
            if n >= MIN_PAIR_COUNT and a != b
        ),
        reverse=True,
    )
    kk_to_ru: dict[str, str] = {}
    ru_to_kk: dict[str, str] = {}
    for dice, _, a, b in links:
        if dice < MIN_DICE:
            break
        if a not in kk_to_ru and b not in ru_to_kk:
            kk_to_ru[a], ru_to_kk[b] = b, a
    return {"kk": kk_to_ru, "ru": ru_to_kk}


def featurize(
    sib: list[SibRow],
    other: list[OtherRow],
    groups: frozenset[str],
    translations: Translations,
    translation_weight: float,
) -> list[Example]:
    """Examples with their `source` (see OtherRow) and CV fold: fit-kk/fit-ru, sentences-kk/-ru
    and tengrinews in folds; labels always train; HELD_OUT sources never train."""
    examples = [
        Example(
            features("", r.text, r.lang, groups, translations, translation_weight),
            r.label,
            f"{r.part}-{r.lang}",
            r.fold,
        )
        for r in sib
    ]
    examples.extend(
        Example(
            features(r.title, r.text, r.lang, groups, translations, translation_weight),
            r.label,
            r.source,
            r.fold,
        )
        for r in other
    )
    return examples


def training_set(
    examples: list[Example], tengri_weight: float, sentence_weight: float
) -> list[Example]:
    """fit, hand labels and (weighted) Tengrinews articles and labelled news sentences; never
    a HELD_OUT source."""
    weight_of = {"tengrinews": tengri_weight, "sentences": sentence_weight}
    out = []
    for ex in examples:
        if ex.source.startswith(HELD_OUT):
            continue
        ex.weight = weight_of.get(ex.source.split("-")[0], 1.0)
        if ex.weight > 0:
            out.append(ex)
    return out


class _Matrix:
    """A sparse row matrix as flat numpy arrays: enough for X @ w and X.T @ g."""

    def __init__(self, rows: list[dict[str, float]], vocab: dict[str, int]) -> None:
        cols: list[int] = []
        vals: list[float] = []
        row_ids: list[int] = []
        for i, feats in enumerate(rows):
            for key, value in feats.items():
                j = vocab.get(key)
                if j is not None:
                    cols.append(j)
                    vals.append(value)
                    row_ids.append(i)
        self.cols = np.array(cols, dtype=np.int64)
        self.vals = np.array(vals)
        self.rows = np.array(row_ids, dtype=np.int64)
        self.n, self.d = len(rows), len(vocab)

    def dot(self, w: np.ndarray) -> np.ndarray:
        return np.bincount(self.rows, weights=self.vals * w[self.cols], minlength=self.n)

    def tdot(self, g: np.ndarray) -> np.ndarray:
        return np.bincount(self.cols, weights=self.vals * g[self.rows], minlength=self.d)


def _vocab(examples: list[Example]) -> dict[str, int]:
    df: dict[str, int] = {}
    for ex in examples:
        for key in ex.feats:
            df[key] = df.get(key, 0) + 1
    return {k: j for j, k in enumerate(sorted(k for k, c in df.items() if c >= MIN_DF))}


def fit(examples: list[Example], c: float) -> tuple[dict[str, float], float]:
    """Class-balanced L2 logistic regression; returns (weights by feature, bias)."""
    vocab = _vocab(examples)
    x = _Matrix([ex.feats for ex in examples], vocab)
    y = np.array([ex.label for ex in examples], dtype=float)
    sample = np.array([ex.weight for ex in examples])
    pos, neg = sample[y == 1].sum() or 1.0, sample[y == 0].sum() or 1.0
    sample = sample * np.where(y == 1, neg / pos, 1.0)
    sample /= sample.mean()
    l2 = 1.0 / (c * x.n)
    w = np.zeros(x.d)
    b = 0.0
    m, v = np.zeros(x.d + 1), np.zeros(x.d + 1)
    for t in range(1, ITERATIONS + 1):
        z = np.clip(x.dot(w) + b, -30, 30)
        g = (1 / (1 + np.exp(-z)) - y) * sample / x.n
        grad = np.append(x.tdot(g) + l2 * w, g.sum())
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        step = 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        w -= step[:-1]
        b -= step[-1]
    keys = sorted(vocab, key=vocab.__getitem__)
    return dict(zip(keys, w.tolist(), strict=True)), float(b)


def prf(scored: Scored, cut: float) -> PRF:
    tp = sum(1 for z, y in scored if z >= cut and y)
    fp = sum(1 for z, y in scored if z >= cut and not y)
    fn = sum(1 for z, y in scored if z < cut and y)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_cut(by_lang: dict[str, Scored]) -> tuple[float, float]:
    """(mean F1 over the languages, cut): the middle of the cuts that tie for the best mean F1,
    so a plateau's edge, one sentence from a worse value, is never chosen."""
    means = [(sum(prf(s, cut)[2] for s in by_lang.values()) / len(by_lang), cut) for cut in CUTS]
    top = max(m for m, _ in means)
    tied = [cut for m, cut in means if m >= top - 1e-9]
    return top, tied[len(tied) // 2]


class Config(NamedTuple):
    c: float
    tengri_weight: float
    translation_weight: float
    sentence_weight: float


def cross_validate(
    sib: list[SibRow], other: list[OtherRow], groups: frozenset[str]
) -> dict[Config, dict[str, Scored]]:
    """Grouped k-fold on fit for every configuration of the grid: out-of-fold logits per
    language. Hand labels and Tengrinews always train; each fold's dictionary comes from its
    own training ids."""
    fit_rows = [r for r in sib if r.part == "fit"]
    t_grid = TRANSLATION_WEIGHT_GRID if "translation" in groups else (0.0,)
    out: dict[Config, dict[str, Scored]] = {}
    for fold in range(FOLDS):
        translations = induce_translations([r for r in fit_rows if r.fold != fold])
        for t_weight in t_grid:
            examples = featurize(fit_rows, other, groups, translations, t_weight)
            for tengri_weight, sentence_weight, c in itertools.product(
                TENGRINEWS_WEIGHT_GRID, SENTENCE_WEIGHT_GRID, C_GRID
            ):
                usable = training_set(examples, tengri_weight, sentence_weight)
                train = [ex for ex in usable if ex.fold != fold]
                # Labelled news sentences are scored out of fold even when they do not train.
                held = [ex for ex in examples if ex.fold == fold]
                weights, bias = fit(train, c)
                key = Config(c, tengri_weight, t_weight, sentence_weight)
                scored = out.setdefault(key, {})
                for ex in held:
                    scored.setdefault(ex.source, []).append(
                        (logit(ex.feats, weights, bias), ex.label)
                    )
    return out


def fold_average(examples: list[Example], config: Config) -> tuple[dict[str, float], float]:
    """The mean of the FOLDS models trained as in cross-validation (each without its fold),
    which is one linear model again. The threshold comes from those models' out-of-fold
    scores, so it fits their average; one model refit on all of fit has larger margins
    (more data, weaker relative regularisation) and would need a cut nobody measured."""
    usable = training_set(examples, config.tengri_weight, config.sentence_weight)
    total: dict[str, float] = {}
    bias = 0.0
    for fold in range(FOLDS):
        weights, b = fit([ex for ex in usable if ex.fold != fold], config.c)
        for key, value in weights.items():
            total[key] = total.get(key, 0.0) + value / FOLDS
        bias += b / FOLDS
    return total, bias


def _fmt(p: PRF) -> str:
    return "P/R/F1 {:.2f}/{:.2f}/{:.2f}".format(*p)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", default=",".join(sorted(FEATURE_GROUPS)))
    parser.add_argument(
        "--dry-run", action="store_true", help="report CV and dev only; write nothing"
    )
    parser.add_argument(
        "--select",
        choices=("sib", "all"),
        default="all",
        help="what CV chooses on: SIB fit only, or SIB fit and the hand-labelled news",
    )
    args = parser.parse_args(argv)
    groups = frozenset(args.features.split(","))
    sib, other = load_rows()
    counts: dict[str, tuple[int, int]] = {}
    for source, label in [(f"{r.part}-{r.lang}", r.label) for r in sib] + [
        (r.source, r.label) for r in other
    ]:
        n, p = counts.get(source, (0, 0))
        counts[source] = (n + 1, p + label)
    print("features:", ",".join(sorted(groups)))
    print("examples (n, politics):", counts)
    oof = cross_validate(sib, other, groups)

    def chosen_parts(scored: dict[str, Scored]) -> dict[str, Scored]:
        chosen = ("fit-", "sentences-", "tengrinews") if args.select == "all" else ("fit-",)
        return {k: v for k, v in scored.items() if k.startswith(chosen)}

    results = {key: best_cut(chosen_parts(scored)) for key, scored in oof.items()}
    for key, (f1, cut) in results.items():
        detail = "  ".join(f"{k} {_fmt(prf(v, cut))}" for k, v in oof[key].items())
        print(
            f"C={key.c:g} tengrinews={key.tengri_weight:g} translation={key.translation_weight:g}"
            f" sentences={key.sentence_weight:g}: CV mean F1 {f1:.3f}  {detail}"
        )
    best = max(results, key=lambda k: results[k][0])  # the first of a tie, in grid order
    cv_f1, cut = results[best]
    fit_rows = [r for r in sib if r.part == "fit"]
    translations = induce_translations(fit_rows) if best.translation_weight else {}
    examples = featurize(sib, other, groups, translations, best.translation_weight)
    weights, bias = fold_average(examples, best)
    scored: dict[str, Scored] = {}
    for ex in examples:
        if ex.source.startswith(HELD_OUT):
            scored.setdefault(ex.source, []).append((logit(ex.feats, weights, bias), ex.label))
    print(
        f"chosen: C={best.c:g}, tengrinews weight {best.tengri_weight:g}, translation weight "
        f"{best.translation_weight:g}, sentence weight {best.sentence_weight:g}; threshold logit"
        f" {cut:+.3f} (CV mean F1 {cv_f1:.3f})"
    )
    report = {k: prf(v, cut) for k, v in sorted(scored.items())}
    for k, v in report.items():
        if k.startswith("dev-") or not args.dry_run:
            print(f"  {k}: {_fmt(v)}  (n={len(scored[k])}, pos={sum(y for _, y in scored[k])})")
    if args.dry_run:
        return
    top = sorted(weights.items(), key=lambda kv: -abs(kv[1]))[:MAX_FEATURES]
    kept = {k: round(v, 3) for k, v in top if abs(v) >= 5e-3}
    model = {
        "bias": round(bias - cut, 4),
        "features": sorted(groups),
        "weights": kept,
        # Only links whose translation the model has a weight for: the others add nothing.
        "translations": {
            lang: {a: b for a, b in sorted(table.items()) if b in kept}
            for lang, table in translations.items()
        },
        "translation_weight": best.translation_weight,
        "trained_on": "SIB-200 train kk+ru less the held-out 20%, labels/*.tsv"
        + (f", Tengrinews articles (weight {best.tengri_weight:g})" if best.tengri_weight else "")
        + (
            f", hand-labelled news sentences (weight {best.sentence_weight:g})"
            if best.sentence_weight
            else ""
        ),
        "chosen": f"C={best.c:g}, translation weight {best.translation_weight:g}, sentence "
        f"weight {best.sentence_weight:g} and the threshold by grouped {FOLDS}-fold CV on fit "
        f"(mean F1 {cv_f1:.3f})",
        "report": {k: [round(x, 3) for x in v] for k, v in report.items()},
        # Out-of-fold P/R/F1 of the chosen configuration at the chosen cut: the only honest
        # numbers for the texts the model also trains on (summarizer.eval prints them).
        "cv": {k: [round(x, 3) for x in prf(v, cut)] for k, v in sorted(oof[best].items())},
    }
    MODEL_PATH.write_text(
        json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
        encoding="utf-8",
    )
    size = MODEL_PATH.stat().st_size
    print(f"wrote {MODEL_PATH} ({size // 1024} KiB, {len(model['weights'])} weights)")
    assert math.isfinite(model["bias"])


if __name__ == "__main__":
    main()
