"""Timings of the summarizer package on real articles, with baselines in the same run.

    .venv/bin/python bench/nlp.py

Needs ../shared/data (Tengrinews and Kazinform articles). Prints per-call times; the goals are
summarize() on a 1,000-word article under 20 ms and the whole per-article pipeline step
(detect + classify + summarize + index_terms) at 200 articles/s or more.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summarizer import (
    detect_language,
    index_terms,
    politics_score,
    split_sentences,
    summarize,
)
from summarizer.data_paths import SHARED_DATA, kazinform, tengrinews
from summarizer.summary import lead
from summarizer.terms import cached_terms


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    """Best-of-`repeat` wall time of fn() in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def cpu_us_per_item(fn: Callable[[], object], n: int, repeat: int = 5) -> float:
    """Best-of-`repeat` CPU time of fn() per item in microseconds: process time, so other
    sessions' load on this shared machine counts less than in wall time."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best / n * 1e6


def article_of_words(texts: list[str], n_words: int) -> str:
    """A real-text article of about n_words words, made by joining whole articles."""
    out: list[str] = []
    count = 0
    for text in texts:
        out.append(text)
        count += len(text.split())
        if count >= n_words:
            break
    return " ".join(" ".join(out).split()[:n_words])


def main() -> None:
    if not SHARED_DATA.is_dir():
        sys.exit(f"../shared/data is absent ({SHARED_DATA}): the benchmark needs real articles")
    t0 = time.perf_counter()
    from summarizer.sumy_bridge import stock_lexrank

    sumy_import_ms = (time.perf_counter() - t0) * 1000
    ru = [row["content"] for row in tengrinews()]
    kk = [row["content_text"] for row in kazinform()]
    titles = {"ru": tengrinews()[0]["title"], "kk": kazinform()[0]["title"]}
    rows: list[tuple[str, str, float]] = []
    for lang, texts in (("ru", ru), ("kk", kk)):
        article = article_of_words(texts, 1000)
        summarize(article, lang)  # warm the stem caches, as a running pipeline has them
        rows.append(
            (
                f"summarize, 1,000-word {lang} article (ours)",
                lang,
                timed(lambda a=article, lg=lang: summarize(a, lg)),
            )
        )
        headline = titles[lang]
        rows.append(
            (
                "  same, with a headline",
                lang,
                timed(lambda a=article, lg=lang, h=headline: summarize(a, lg, title=h)),
            )
        )
        rows.append(
            ("Lead-3, same article", lang, timed(lambda a=article, lg=lang: lead(a, lg, 3)))
        )
        rows.append(
            (
                "sumy LexRank (numpy), same article",
                lang,
                timed(lambda a=article, lg=lang: stock_lexrank(a, lg, 3), 3),
            )
        )
        rows.append(
            (
                "split_sentences, same article",
                lang,
                timed(lambda a=article, lg=lang: split_sentences(a, lg)),
            )
        )
        rows.append(
            (
                "index_terms, same article",
                lang,
                # cache_clear: a repeated call must not time the per-article terms cache
                timed(lambda a=article, lg=lang: (cached_terms.cache_clear(), index_terms(a, lg))),
            )
        )
        rows.append(
            (
                "politics_score, same article",
                lang,
                timed(
                    lambda a=article, lg=lang: (
                        cached_terms.cache_clear(),
                        politics_score("", a, lg),
                    )
                ),
            )
        )
    print(f"{'step':<52} {'lang':<4} {'ms':>8}")
    for name, lang, ms in rows:
        print(f"{name:<52} {lang:<4} {ms:8.2f}")

    articles = [(row["title"], row["content"]) for row in tengrinews()] + [
        (row["title"], row["content_text"]) for row in kazinform()
    ]

    def pipeline() -> None:
        for title, text in articles:
            lang = detect_language(f"{title}\n{text}")
            politics_score(title, text, lang)
            summarize(text, lang, title=title)
            index_terms(f"{title}\n{text}", lang)

    langs = [detect_language(f"{title}\n{text}") for title, text in articles]
    steps: dict[str, Callable[[], object]] = {
        "detect_language": lambda: [detect_language(f"{t}\n{x}") for t, x in articles],
        "politics_score": lambda: [
            politics_score(t, x, lg) for (t, x), lg in zip(articles, langs, strict=True)
        ],
        "summarize": lambda: [
            summarize(x, lg, title=t) for (t, x), lg in zip(articles, langs, strict=True)
        ],
        "index_terms": lambda: [
            index_terms(f"{t}\n{x}", lg) for (t, x), lg in zip(articles, langs, strict=True)
        ],
    }
    print(f"\nper real article, CPU time of this process (best of 5 passes over {len(articles)}):")
    for name, step in steps.items():
        step()
        print(f"  {name:<16} {cpu_us_per_item(step, len(articles)):7.0f} us/article")

    # The terms cache holds 32 texts, far fewer than the articles: no pass reuses another's work.
    pipeline()
    seconds = timed(pipeline, 3) / 1000
    words = statistics.median(len(text.split()) for _, text in articles)
    print(
        f"\npipeline detect+classify+summarize+index_terms: {len(articles) / seconds:.0f} articles/s "
        f"({1000 * seconds / len(articles):.2f} ms/article, median {words:.0f} words, "
        f"{len(articles)} real articles; goal ≥ 200/s)"
    )
    print(f"one-off import of sumy+nltk for the LexRank baseline: {sumy_import_ms:.0f} ms")


if __name__ == "__main__":
    main()
