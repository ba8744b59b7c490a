"""Retrain models/politics.json: python -m summarizer.train_politics

Data: SIB-200 train (kk and ru; 'politics' against the other six topics), the hand labels in
labels/ and, if cross-validation says it helps, Tengrinews articles labelled by their site
hashtags. SIB-200 dev is never read here: it is the evaluation set.

Model: class-balanced L2 logistic regression (full-batch Adam, numpy: training only; inference
in politics.py is pure Python) over politics.features. The regularisation C, the Tengrinews
weight and the decision threshold are chosen by 5-fold cross-validation on SIB-200 train, with
folds grouped by SIB index_id: the kk and ru sentences of one id are translations of each
other, and splitting them across folds would leak the answer. The chosen threshold is folded
into the bias, so POLITICS_THRESHOLD stays 0.5.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import numpy as np

from .data_paths import kazinform, require_shared_data, sib200_rows, tengrinews
from .politics import MODEL_PATH, features

LABELS = Path(__file__).with_name("labels")
FOLDS = 5
ITERATIONS = 400
C_GRID = (10.0, 30.0, 100.0)
TENGRINEWS_WEIGHT_GRID = (0.0, 0.3)  # per article, against 1.0 for a SIB sentence
MIN_DF = 2  # a feature must occur in two training examples
MAX_FEATURES = 20_000
# Tengrinews hashtags that make an article political (issue 4's definition, wars included as
# SIB-200 counts them).
TAG_WORDS = frozenset({
    "токаев касым-жомарт", "президент казахстана", "президент", "акорда", "мажилис", "сенат",
    "депутат", "депутаты", "закон", "законодательство", "парламент", "правительство",
    "выборы", "партия", "переговоры", "министр", "мид рк", "дипломатия", "санкции", "оон",
    "послание", "референдум", "премьер-министр", "бектенов олжас", "визит", "саммит",
    "кошанов ерлан", "ашимбаев маулен", "вице-министр", "аким", "назначение", "отставка",
    "политика", "израиль", "иран", "война", "ближний восток", "армения", "азербайджан", "сша",
})  # fmt: skip


class Example:
    __slots__ = ("feats", "fold", "label", "source", "weight")

    def __init__(self, feats: dict[str, float], label: int, source: str, fold: int = -1) -> None:
        self.feats, self.label, self.source, self.fold = feats, label, source, fold
        self.weight = 1.0


def _tags(row: dict) -> set[str]:
    return {t.strip().lower() for t in (row.get("hashtags") or "").split(",") if t.strip()}


def _read_tsv(path: Path, keyed: bool = True) -> dict | list:
    rows = [
        line.rstrip("\n").split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return {r[0]: r[1:] for r in rows} if keyed else rows


def load_examples() -> list[Example]:
    require_shared_data()
    examples: list[Example] = []
    ids = sorted({row[0] for lang in ("kk", "ru") for row in sib200_rows(lang, "train")})
    random.Random(5).shuffle(ids)
    fold_of = {index_id: k % FOLDS for k, index_id in enumerate(ids)}
    for lang in ("kk", "ru"):
        for index_id, category, text in sib200_rows(lang, "train"):
            examples.append(
                Example(features("", text, lang), int(category == "politics"), f"sib-{lang}",
                        fold_of[index_id])
            )  # fmt: skip
    for row in tengrinews():
        label = int(bool(_tags(row) & TAG_WORDS))
        examples.append(Example(features(row["title"], row["content"], "ru"), label, "tengrinews"))
    labels = _read_tsv(LABELS / "kazinform_politics.tsv")
    for row in kazinform():
        key = row["source_url"].rstrip("/").rsplit("-", 1)[-1]
        if key in labels:
            feats = features(row["title"], row["content_text"], "kk")
            examples.append(Example(feats, int(labels[key][0]), "labels"))
    for lang, label, text in _read_tsv(LABELS / "politics_extra.tsv", keyed=False):
        examples.append(Example(features(text, "", lang), int(label), "labels"))
    return examples


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


def _logit(feats: dict[str, float], weights: dict[str, float], bias: float) -> float:
    return bias + sum(v * weights.get(k, 0.0) for k, v in feats.items())


def _f1(scored: list[tuple[float, int]], cut: float) -> tuple[float, float, float]:
    tp = sum(1 for z, y in scored if z >= cut and y)
    fp = sum(1 for z, y in scored if z >= cut and not y)
    fn = sum(1 for z, y in scored if z < cut and y)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cross_validate(examples: list[Example], c: float, tengri_weight: float) -> tuple[
    float, float, dict[str, tuple[float, float, float]]
]:  # fmt: skip
    """Grouped k-fold on SIB-200 train (the other sources always train): (best F1, its logit
    cut, P/R/F1 at that cut per SIB language)."""
    for ex in examples:
        ex.weight = tengri_weight if ex.source == "tengrinews" else 1.0
    usable = [ex for ex in examples if ex.weight > 0]
    scored: dict[str, list[tuple[float, int]]] = {"sib-kk": [], "sib-ru": []}
    for fold in range(FOLDS):
        weights, bias = fit([ex for ex in usable if ex.fold != fold], c)
        for ex in usable:
            if ex.fold == fold:
                scored[ex.source].append((_logit(ex.feats, weights, bias), ex.label))
    both = scored["sib-kk"] + scored["sib-ru"]
    cuts = [x / 8 for x in range(-24, 25)]
    best_f1, best_cut = max((_f1(both, cut)[2], -abs(cut), cut) for cut in cuts)[::2]
    return best_f1, best_cut, {k: _f1(v, best_cut) for k, v in scored.items()}


def main() -> None:
    examples = load_examples()
    counts = {}
    for ex in examples:
        n, p = counts.get(ex.source, (0, 0))
        counts[ex.source] = (n + 1, p + ex.label)
    print("examples (n, politics):", counts)
    best = (-1.0, 0.0, 0.0, 0.0)
    for c in C_GRID:
        for tengri_weight in TENGRINEWS_WEIGHT_GRID:
            f1, cut, per_lang = cross_validate(examples, c, tengri_weight)
            detail = "  ".join(
                f"{k} P/R/F1 {p:.2f}/{r:.2f}/{f:.2f}" for k, (p, r, f) in per_lang.items()
            )
            print(
                f"C={c:g} tengrinews={tengri_weight:g}: CV F1 {f1:.3f} at logit {cut:+.2f}  {detail}"
            )
            if f1 > best[0]:
                best = (f1, cut, c, tengri_weight)
    f1, cut, c, tengri_weight = best
    print(f"chosen: C={c:g}, tengrinews weight {tengri_weight:g}, cut {cut:+.2f} (CV F1 {f1:.3f})")
    for ex in examples:
        ex.weight = tengri_weight if ex.source == "tengrinews" else 1.0
    weights, bias = fit([ex for ex in examples if ex.weight > 0], c)
    top = sorted(weights.items(), key=lambda kv: -abs(kv[1]))[:MAX_FEATURES]
    model = {
        "bias": round(bias - cut, 4),
        "weights": {k: round(v, 3) for k, v in top if abs(v) >= 5e-3},
        "trained_on": "SIB-200 train kk+ru, labels/*.tsv"
        + (f", Tengrinews hashtags (weight {tengri_weight:g})" if tengri_weight else ""),
        "cv": f"grouped {FOLDS}-fold CV on SIB-200 train: F1 {f1:.3f}, C={c:g}",
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
