"""python -m summarizer.eval: one table with every number issue 4 asks for, from ../shared/data.

Summaries are scored against the agency lead: Kazinform's `description` for the body without
it, and for Tengrinews the first two sentences for the rest of the body. ROUGE F1 on \\w+ tokens
with our stemmer (rouge-score's tokenizer drops Cyrillic).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable

from . import (
    detect_language,
    is_politics,
    politics_score,
    split_sentences,
    strip_boilerplate,
    summarize,
)
from .data_paths import kazinform, kaznerd_sentences, require_shared_data, sib200_split, tengrinews
from .hard_cases import HARD_CASES
from .news_labels import article_labels, is_heldout, labelled_sentences, tengrinews_document
from .normalize import KK_STRONG
from .rouge import rouge
from .summary import lead

Pair = tuple[str, str, str]  # (reference, input body, headline)
System = Callable[[str, str, str], list[str]]  # (body, lang, headline) -> sentences


def kazinform_pairs() -> list[Pair]:
    pairs: list[Pair] = []
    for row in kazinform():
        body = row["content_text"]
        first, _, rest = body.partition("\n")
        if first.strip() == row["title"].strip():
            body = rest
        description = row["description"].strip()
        pairs.append(
            (strip_boilerplate(description), body.replace(description, "", 1), row["title"])
        )
    return pairs


def tengrinews_pairs() -> list[Pair]:
    pairs: list[Pair] = []
    for row in tengrinews():
        sentences = split_sentences(row["content"], "ru")
        if len(sentences) < 6:
            continue  # too short to have a lead and a body worth summarising
        cut = row["content"].find(sentences[1]) + len(sentences[1])
        lead_text = strip_boilerplate(" ".join(sentences[:2]))
        pairs.append((lead_text, row["content"][cut:], row["title"]))
    return pairs


def _cyrillic_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum("\u0400" <= ch <= "\u04ff" for ch in letters) / len(letters) if letters else 0.0


def tengrinews_language_sentences() -> list[tuple[str, str]]:
    """(sentence, gold) for Tengrinews. Gold is the article's language: one article in the dump
    is Kazakh (over 15% of its words carry Kazakh-only letters; Russian ones stay near 1%). Embedded tweets in English, German or
    Spanish (under 90% Cyrillic letters) are left out: they are neither kk nor ru."""
    out: list[tuple[str, str]] = []
    for row in tengrinews():
        sentences = split_sentences(row["content"], "ru")
        tokens = row["content"].split()
        kazakh = sum(bool(KK_STRONG.intersection(t)) for t in tokens) >= 0.15 * len(tokens)
        out.extend((s, "kk" if kazakh else "ru") for s in sentences if _cyrillic_share(s) >= 0.9)
    return out


def language_accuracy() -> dict[str, tuple[float, int]]:
    kk = list(kaznerd_sentences())
    tengri = tengrinews_language_sentences()
    return {
        "kk": (sum(detect_language(s) == "kk" for s in kk) / len(kk), len(kk)),
        "ru": (sum(detect_language(s) == gold for s, gold in tengri) / len(tengri), len(tengri)),
    }


PRF = tuple[float, float, float, int]


def politics_prf(lang: str, split: str = "dev") -> PRF:
    """P, R, F1 and the number of politics rows on SIB-200 'dev' or 'test' (the held-out 20% of
    SIB-200 train). Nothing was chosen on either: the trainer picks everything, threshold
    included, by cross-validation on the rest of SIB-200 train."""
    return _prf(
        (is_politics("", text, lang), category == "politics")
        for _, category, text in sib200_split(lang, split)
    )


def news_politics_prf() -> dict[str, PRF]:
    """P, R, F1 and positives by language on the held-out documents' hand-labelled sentences
    (labels/*_sentences.tsv; KazNERD for kk, Tengrinews for ru), and as 'articles' on the
    held-out Tengrinews articles, labelled whole (labels/tengrinews_articles.tsv). Never
    trained or tuned on."""
    found, _ = labelled_sentences()
    verdicts: dict[str, list[tuple[bool, bool]]] = {}
    for s in found:
        if is_heldout(s.document):
            verdicts.setdefault(s.lang, []).append((is_politics("", s.text, s.lang), bool(s.label)))
    by_hand = article_labels()
    verdicts["articles"] = [
        (is_politics(row["title"], row["content"], "ru"), bool(by_hand[str(row["page_id"])]))
        for n, row in enumerate(tengrinews())
        if is_heldout(tengrinews_document(n))
    ]
    return {key: _prf(pairs) for key, pairs in verdicts.items()}


def _prf(verdicts: Iterable[tuple[bool, bool]]) -> PRF:
    """(predicted, gold) pairs → P, R, F1, positives."""
    tp = fp = fn = 0
    for predicted, gold in verdicts:
        tp += predicted and gold
        fp += predicted and not gold
        fn += gold and not predicted
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), tp + fn


def politics_best_f1(lang: str, split: str = "dev") -> float:
    """The best F1 any threshold could give the shipped scores on `split`: a bound on what a
    better cut could do (finding that cut here would be tuning on the test data)."""
    scored = sorted(
        ((politics_score("", text, lang), category == "politics") for _, category, text in
         sib200_split(lang, split)),
        reverse=True,
    )  # fmt: skip
    positives = sum(gold for _, gold in scored)
    best = tp = 0
    for k, (_, gold) in enumerate(scored, 1):
        tp += gold
        best = max(best, 2 * tp / (k + positives))
    return best


def splitter_accuracy() -> tuple[float, int]:
    ok = sum(split_sentences(text) == expected for text, expected in HARD_CASES)
    return ok / len(HARD_CASES), len(HARD_CASES)


def rouge_each(system: System, pairs: list[Pair], lang: str) -> list[tuple[float, float, float]]:
    return [rouge(ref, " ".join(system(body, lang, title)), lang) for ref, body, title in pairs]


def mean_rouge(scores: list[tuple[float, float, float]]) -> list[float]:
    return [100 * statistics.mean(s[i] for s in scores) for i in range(3)]


# Summary parameters are tuned on the even-numbered pairs only (the "dev" half); the
# odd-numbered ones are the held-out half.
HALVES = {"dev": slice(0, None, 2), "held-out": slice(1, None, 2)}


def systems() -> dict[str, System]:
    """The baselines see the body only; ours also gets the headline, as the pipeline gives it
    (the row without it shows what the headline adds)."""
    from .sumy_bridge import stock_lexrank  # imports sumy and nltk: only when evaluating

    return {
        "Lead-1": lambda text, lang, _: lead(text, lang, 1),
        "Lead-3": lambda text, lang, _: lead(text, lang, 3),
        "sumy LexRank (our tokenizer)": lambda text, lang, _: stock_lexrank(text, lang, 3),
        "ours without the headline": lambda text, lang, _: summarize(text, lang),
        "ours (NewsRank)": lambda text, lang, title: summarize(text, lang, title=title),
    }


def table() -> str:
    require_shared_data()
    started = time.perf_counter()
    rows: list[tuple[str, str, str, str]] = []
    lang_acc = language_accuracy()
    rows.append((
        "Language ID accuracy (KazNERD / Tengrinews sentences)",
        f"{100 * lang_acc['kk'][0]:.2f}% (n={lang_acc['kk'][1]})",
        f"{100 * lang_acc['ru'][0]:.2f}% (n={lang_acc['ru'][1]})",
        "≥ 99.5%",
    ))  # fmt: skip
    for split, label in (
        ("dev", "Politics P / R / F1, SIB-200 dev"),
        ("test", "Politics P / R / F1, held-out 20% of SIB-200 train"),
    ):
        prf = {lang: politics_prf(lang, split) for lang in ("kk", "ru")}
        rows.append((
            label,
            "{:.2f} / {:.2f} / {:.2f} (pos={})".format(*prf["kk"]),
            "{:.2f} / {:.2f} / {:.2f} (pos={})".format(*prf["ru"]),
            "F1 ≥ 0.85" if split == "dev" else "",
        ))  # fmt: skip
    rows.append((
        "  best F1 any threshold could give, SIB-200 dev (a bound)",
        f"{politics_best_f1('kk'):.2f}",
        f"{politics_best_f1('ru'):.2f}",
        "",
    ))  # fmt: skip
    news = news_politics_prf()
    rows.append((
        "Politics P / R / F1, held-out hand-labelled news sentences (KazNERD / Tengrinews)",
        "{:.2f} / {:.2f} / {:.2f} (pos={})".format(*news["kk"]),
        "{:.2f} / {:.2f} / {:.2f} (pos={})".format(*news["ru"]),
        "",
    ))  # fmt: skip
    rows.append((
        "Politics P / R / F1, held-out Tengrinews articles (hand labels)",
        "",
        "{:.2f} / {:.2f} / {:.2f} (pos={})".format(*news["articles"]),
        "",
    ))  # fmt: skip
    acc, n = splitter_accuracy()
    rows.append(("Sentence splitter, hard cases (kk+ru)", f"{100 * acc:.0f}% (n={n})", "", "100%"))
    pairs = {"kk": kazinform_pairs(), "ru": tengrinews_pairs()}
    each: dict[str, dict[str, list[tuple[float, float, float]]]] = {}
    for name, system in systems().items():
        each[name] = {lang: rouge_each(system, pairs[lang], lang) for lang in pairs}
        rows.append((
            f"ROUGE-1/2/L F1 vs agency lead: {name}",
            "{:.2f} / {:.2f} / {:.2f}".format(*mean_rouge(each[name]["kk"])),
            "{:.2f} / {:.2f} / {:.2f}".format(*mean_rouge(each[name]["ru"])),
            "ours ≥ Lead-3 + 2 and ≥ LexRank + 2 (R-1)" if name == "ours (NewsRank)" else "",
        ))  # fmt: skip
    for half, part in [("all", slice(None)), *HALVES.items()]:
        margins = []
        for lang in ("kk", "ru"):
            r1 = {name: mean_rouge(each[name][lang][part])[0] for name in each}
            best = max(r1["Lead-3"], r1["sumy LexRank (our tokenizer)"])
            n = len(each["Lead-3"][lang][part])
            margins.append(f"{r1['ours (NewsRank)'] - best:+.2f} (n={n})")
        label = "ROUGE-1 margin of ours over the better of Lead-3 / LexRank"
        rows.append((label if half == "all" else f"  same, {half} half", *margins, "≥ +2.00"))
    header = (
        "metric",
        "kk (Kazinform / KazNERD / SIB kaz_Cyrl)",
        "ru (Tengrinews / SIB rus_Cyrl)",
        "goal",
    )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines.extend(
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    )
    lines.append(
        f"\n(evaluated in {time.perf_counter() - started:.0f} s; data: ../shared/data, see its SOURCE.txt files)"
    )
    return "\n".join(lines)


def main() -> None:
    print(table())


if __name__ == "__main__":
    main()
