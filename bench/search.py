"""Search latency and index memory over many stored articles built from real vocabulary.

    .venv/bin/python bench/search.py [--articles 100000] [--queries 400] [--data DIR]

Builds N articles whose titles and index terms are drawn from the word and term
frequencies of real news (../shared/data: Kazinform in Kazakh, Tengrinews in Russian; a
synthetic Zipf vocabulary without it), indexes them with the bot's SearchIndex into a
fresh redis-server, then times searches of one to three words (a third with filters):
p50 and p95 of the index query alone and of a whole /search answer (query, load five
articles, render). In the same run: the same index without its bounded evaluation (whole
posting lists only), and a baseline scoring the queries in Python from whole posting lists,
the way a naive index would. Also prints Redis memory per article.
With --data, the index is kept in DIR and reused by the next run with the same --articles
and --seed (building 100,000 articles takes minutes; the queries are timed every run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redis.asyncio import Redis  # noqa: E402

import summarizer  # noqa: E402
from bot import keys  # noqa: E402
from bot.articles import Article, ArticleStore  # noqa: E402
from bot.logs import configure_logging  # noqa: E402
from bot.redis_client import connect  # noqa: E402
from bot.redis_server import start_redis_server  # noqa: E402
from bot.search import SearchIndex  # noqa: E402
from bot.search_plan import COUNT_LIMIT  # noqa: E402
from bot.search_query import QueryError, parse_query  # noqa: E402
from bot.search_render import render_outcome  # noqa: E402
from bot.search_service import SearchService  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
SOURCES = ("Kazinform", "Egemen Qazaqstan", "Tengrinews", "NUR.KZ", "Akorda", "Orda.kz")
_WORD = re.compile(r"[^\W\d_]{3,}")


def real_texts(limit: int) -> list[tuple[str, str, str]]:
    """(language, title, text) of real articles, or [] without ../shared."""
    out: list[tuple[str, str, str]] = []
    tengri = SHARED / "tengrinews-ru" / "tengrinews_ru_articles.jsonl"
    if tengri.exists():
        with tengri.open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                out.append(("ru", row.get("title", ""), row.get("content", "")))
                if len(out) >= limit:
                    break
    kazinform = SHARED / "kazinform-kk" / "news.json"
    if kazinform.exists():
        data = json.loads(kazinform.read_text(encoding="utf-8"))
        rows = data if isinstance(data, list) else next(iter(data.values()))
        for row in rows:
            title = row.get("title_kz") or row.get("title", "")
            text = row.get("content_text_kz") or row.get("content_text", "")
            out.append(("kk", title, text))
    return out


class Vocabulary:
    """Per language: title words and index terms with their real frequencies."""

    def __init__(self, texts: list[tuple[str, str, str]], rng: random.Random) -> None:
        self.rng = rng
        self.words: dict[str, tuple[list[str], list[int]]] = {}
        self.terms: dict[str, tuple[list[str], list[int]]] = {}
        self.lengths: list[int] = []
        by_lang_words: dict[str, Counter[str]] = {}
        by_lang_terms: dict[str, Counter[str]] = {}
        for lang, title, text in texts:
            by_lang_words.setdefault(lang, Counter()).update(_WORD.findall(f"{title} {text}"))
            terms = summarizer.index_terms(f"{title}\n{text}", lang)
            by_lang_terms.setdefault(lang, Counter()).update(terms)
            self.lengths.append(len(terms))
        if not by_lang_terms:  # no ../shared: a Zipf vocabulary of made-up words
            fake = [f"сөз{i}" for i in range(20_000)]
            weights = [max(1, 20_000 // (i + 1)) for i in range(20_000)]
            by_lang_words["kk"] = Counter(dict(zip(fake, weights, strict=True)))
            by_lang_terms["kk"] = Counter(dict(zip(fake, weights, strict=True)))
            self.lengths = [200] * 10
        for lang, counter in by_lang_words.items():
            self.words[lang] = (list(counter), list(counter.values()))
        for lang, counter in by_lang_terms.items():
            self.terms[lang] = (list(counter), list(counter.values()))

    @property
    def languages(self) -> list[str]:
        return list(self.terms)

    def sample_words(self, lang: str, k: int) -> list[str]:
        population, weights = self.words[lang]
        return self.rng.choices(population, weights, k=k)

    def sample_terms(self, lang: str, k: int) -> list[str]:
        population, weights = self.terms[lang]
        return self.rng.choices(population, weights, k=k)


def make_article(n: int, vocab: Vocabulary) -> Article:
    rng = vocab.rng
    lang = rng.choice(vocab.languages)
    title = " ".join(vocab.sample_words(lang, rng.randint(5, 10))).capitalize()
    length = rng.choice(vocab.lengths) or 50
    published = NOW - timedelta(minutes=rng.randint(0, 60 * 24 * 80))
    return Article(
        id=f"bench{n:07d}",
        feed_url="https://example.kz/rss",
        source=rng.choice(SOURCES),
        url=f"https://example.kz/news/{n}",
        title=title,
        lead=title,
        body=title,
        language=lang,
        published=published,
        fetched=published,
        politics_score=0.8,
        is_politics=True,
        terms=vocab.sample_terms(lang, length),
    )


def make_queries(vocab: Vocabulary, count: int) -> list[str]:
    rng = vocab.rng
    queries = []
    while len(queries) < count:
        i = len(queries)
        lang = rng.choice(vocab.languages)
        query = " ".join(vocab.sample_words(lang, 1 + i % 3))
        if i % 3 == 2:
            query += rng.choice([" lang:kk", " lang:ru", " source:tengri", " since:2026-11-01"])
        try:
            parse_query(query)
        except QueryError:
            continue  # stop words only: the bot answers those without searching
        queries.append(query)
    return queries


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


async def naive_search(redis: object, query: str, limit: int = 5) -> list[str]:
    """Baseline: fetch every posting of every variant and score in Python."""
    parsed = parse_query(query)
    scores: Counter[str] = Counter()
    for word in parsed.words:
        for variant in word.variants:
            rows = await redis.zrange(keys.search_postings(variant), 0, -1, withscores=True)  # type: ignore[attr-defined]
            for article_id, weight in rows:
                scores[article_id] += weight
    return [a for a, _ in scores.most_common(limit)]


async def main(articles: int, queries: int, seed: int, data: Path | None) -> None:
    rng = random.Random(seed)
    started = time.perf_counter()
    texts = real_texts(1000)
    vocab = Vocabulary(texts, rng)
    print(f"vocabulary built in {time.perf_counter() - started:.1f} s")
    print(
        f"vocabulary: {sum(len(v[0]) for v in vocab.terms.values())} terms from "
        f"{len(texts)} real articles ({', '.join(vocab.languages)})"
    )
    # Drawn before the articles, so a run that reuses a kept index times the same queries.
    sample = make_queries(vocab, queries)
    with tempfile.TemporaryDirectory() as tmp:
        server = start_redis_server((data or Path(tmp)) / "redis")
        try:
            redis = connect(server.url)
            store = ArticleStore(redis)
            index = SearchIndex(redis, store)
            service = SearchService(redis, index, store)
            built = f"{articles}:{seed}"
            if await redis.get("bench:built") == built:
                print(f"reusing the index of {articles} articles in {data}")
                await time_queries(redis, index, service, sample)
                return
            await redis.flushall()
            base_memory = (await redis.info("memory"))["used_memory"]
            started = time.perf_counter()
            batch: list[Article] = []
            records: list[dict[str, str]] = []
            for n in range(articles):
                batch.append(make_article(n, vocab))
                if len(batch) == 32 or n == articles - 1:
                    await asyncio.gather(*(index.add(a) for a in batch))
                    records.extend(a.to_hash() for a in batch)
                    batch.clear()
                if (n + 1) % 20_000 == 0:
                    print(f"  indexed {n + 1} in {time.perf_counter() - started:.0f} s")
            index_seconds = time.perf_counter() - started
            index_memory = (await redis.info("memory"))["used_memory"] - base_memory
            # Small article records, so /search can load and render its five hits.
            for start in range(0, articles, 2000):
                async with redis.pipeline(transaction=False) as pipe:
                    for record in records[start : start + 2000]:
                        pipe.hset(keys.article(record["id"]), mapping=record)
                    await pipe.execute()
            records.clear()
            print(
                f"indexed {articles} articles in {index_seconds:.1f} s "
                f"({articles / index_seconds:.0f}/s); index memory "
                f"{index_memory / articles:.0f} bytes per article "
                f"({index_memory / 2**20:.0f} MiB)"
            )
            await redis.set("bench:built", built)
            await time_queries(redis, index, service, sample)
        finally:
            await redis.aclose()
            server.shutdown()


async def time_queries(
    redis: Redis, index: SearchIndex, service: SearchService, sample: list[str]
) -> None:
    zone = ZoneInfo("Asia/Almaty")
    for query in sample[:20]:  # warm up
        await index.search(parse_query(query))
    index_times, answer_times, naive_times, totals = [], [], [], []
    whole_times: list[float] = []
    uncounted = 0
    # The same index without slices: every search counts and ranks whole posting lists.
    whole = SearchIndex(redis, ArticleStore(redis), slice_size=10**9)
    for number, query in enumerate(sample):
        parsed = parse_query(query)
        # Which of the two index variants meets the query first alternates: the first
        # to touch its posting lists pays for the cold CPU caches.
        for variant in (0, 1) if number % 2 else (1, 0):
            t0 = time.perf_counter()
            page = await (index if variant == 0 else whole).search(parsed)
            (index_times if variant == 0 else whole_times).append((time.perf_counter() - t0) * 1000)
            if variant == 0:
                totals.append(page.total)
                uncounted += not page.total_exact
        t0 = time.perf_counter()
        outcome = await service.find(query)
        render_outcome(outcome, "kk", zone)
        answer_times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        await naive_search(redis, query)
        naive_times.append((time.perf_counter() - t0) * 1000)
    for name, samples in (
        ("index query", index_times),
        ("whole /search answer", answer_times),
        ("index query over whole lists only", whole_times),
        ("baseline: postings scored in Python", naive_times),
    ):
        p50, p95 = percentiles(samples)
        print(f"{name:38s} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")
    print(
        f"queries: {len(sample)}; results per query median {statistics.median(totals):.0f},"
        f" max {max(totals)}; {uncounted} answered from the top of long lists "
        f"(shown as '{COUNT_LIMIT}+')"
    )
    slowest = sorted(zip(answer_times, sample, totals, strict=True), reverse=True)[:5]
    for ms, query, total in slowest:
        print(f"  slow: {ms:6.1f} ms  {total:6d} results  {query}")
    p95 = percentiles(answer_times)[1]
    verdict = "met" if p95 <= 20 else "MISSED"
    print(f"goal p95 <= 20 ms for a whole answer: {verdict} ({p95:.1f} ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, help="keep the index here and reuse it")
    args = parser.parse_args()
    configure_logging("WARNING")
    asyncio.run(main(args.articles, args.queries, args.seed, args.data))
