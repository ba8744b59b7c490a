"""Retrain models/lang_cyr.json (kk vs ru trigrams) from SIB-200 train: python -m summarizer.train_language"""

from __future__ import annotations

import json
from collections import Counter

from .data_paths import require_shared_data, sib200
from .language import MODEL_PATH, log_prob_table, trigrams

MIN_COUNT = 2  # rarer trigrams only bloat the file


def train() -> dict[str, dict[str, float]]:
    require_shared_data()
    counts = {lang: Counter() for lang in ("kk", "ru")}
    for lang in counts:
        for _, text in sib200(lang, "train"):
            counts[lang].update(trigrams(text))
    vocab = len(set(counts["kk"]) | set(counts["ru"]))
    model: dict[str, dict[str, float]] = {"_unk": {}}
    for lang, counter in counts.items():
        kept = {g: c for g, c in counter.items() if c >= MIN_COUNT}
        table, unk = log_prob_table(kept, vocab)
        model[lang] = table
        model["_unk"][lang] = unk
    return model


def main() -> None:
    model = train()
    MODEL_PATH.parent.mkdir(exist_ok=True)
    MODEL_PATH.write_text(json.dumps(model, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
