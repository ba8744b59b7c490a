"""Search over real Redis: word forms across Kazakh cases, Latin script and Russian
declensions; ranking, filters, phrases, bad queries, suggestions and retention."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot import keys
from bot.articles import ArticleStore
from bot.redis_client import connect
from bot.redis_server import start_redis_server
from bot.search import SearchIndex
from bot.search_query import MAX_QUERY_CHARS, QueryError, QueryProblem, parse_query
from bot.services import Services
from tests.search.corpus import (
    ALL,
    KK_AMBASSADOR,
    KK_LATIN,
    KK_PARLIAMENT,
    NOW,
    RU_ELECTIONS,
    RU_SHIP,
    article,
    store,
)


async def found(services: Services, query: str) -> list[str]:
    outcome = await services.search.find(query, page_size=50)
    assert outcome.problem is None, outcome.problem
    return [a.id for a in outcome.articles]


# Each word form must find the article that says the word in another form.
SAME_WORD = [
    ("Қазақстанның", KK_PARLIAMENT.id),
    ("Қазақстанға", KK_PARLIAMENT.id),
    ("Қазақстаннан", KK_PARLIAMENT.id),
    ("ҚАЗАҚСТАН", KK_PARLIAMENT.id),
    ("Qazaqstan", KK_PARLIAMENT.id),  # Latin script finds Cyrillic
    ("Қазақстан", KK_LATIN.id),  # Cyrillic finds the Latin-script article
    ("Парламентке", KK_PARLIAMENT.id),
    ("Мәжілісте", KK_PARLIAMENT.id),
    ("сайлауға", KK_PARLIAMENT.id),
    ("saılaý", KK_PARLIAMENT.id),
    ("Президенттің", KK_LATIN.id),
    ("выборах", RU_ELECTIONS.id),
    ("выборы", RU_ELECTIONS.id),
    ("Казахстан", RU_ELECTIONS.id),  # the article says «Казахстана»
    ("Казахстане", RU_ELECTIONS.id),
    ("мажилисе", RU_ELECTIONS.id),
    ("объединенная", RU_ELECTIONS.id),  # ё written as е
    ("ДЕПУТАТУ", RU_ELECTIONS.id),
    ("депутаттарға", KK_PARLIAMENT.id),
    ("судна", RU_SHIP.id),
    ("елшіміз", KK_AMBASSADOR.id),
]

# Words that share letters but not meaning must not find each other's articles.
DIFFERENT_WORDS = [
    ("судно", RU_ELECTIONS.id),  # the election article says «в суде»
    ("суд", RU_SHIP.id),
    ("ел", KK_AMBASSADOR.id),  # «ел» (country) is not «елші» (ambassador)
    ("бас", KK_LATIN.id),  # «бас» (head) is not «basshysy» (leader)
    ("заңгер", KK_PARLIAMENT.id),  # a lawyer is not a law
    ("мир", RU_ELECTIONS.id),
]


@pytest.mark.parametrize(("query", "expected"), SAME_WORD)
async def test_a_word_form_finds_the_article_with_another_form(
    services: Services, query: str, expected: str
) -> None:
    await store(services, *ALL)
    assert expected in await found(services, query)


@pytest.mark.parametrize(("query", "unexpected"), DIFFERENT_WORDS)
async def test_different_words_do_not_collide(
    services: Services, query: str, unexpected: str
) -> None:
    await store(services, *ALL)
    assert unexpected not in await found(services, query)


async def test_a_title_match_ranks_above_a_body_match_and_newer_wins_a_tie(
    services: Services,
) -> None:
    in_body = article("body", "Үкімет отырысы өтті", "Отырыста бюджет талқыланды.", language="kk")
    in_title = article("title", "Бюджет қабылданды", "Үкімет құжатты мақұлдады.", language="kk")
    old_twin = article("old", "Бюджет", "Жаңалық.", language="kk", days_ago=9)
    new_twin = article("new", "Бюджет", "Жаңалық.", language="kk", days_ago=1)
    await store(services, in_body, in_title, old_twin, new_twin)
    ranked = await found(services, "бюджеттің")
    assert ranked.index("title") < ranked.index("body")
    assert ranked.index("new") < ranked.index("old")


async def test_every_word_must_match_before_any_word_may(services: Services) -> None:
    await store(services, *ALL)
    both = await services.search.find("Мәжіліс сайлау")
    assert both.page.match_all
    assert [a.id for a in both.articles] == [KK_PARLIAMENT.id]

    either = await services.search.find("Парламент судно")
    assert not either.page.match_all
    assert {a.id for a in either.articles} == {KK_PARLIAMENT.id, RU_SHIP.id}


async def test_an_any_word_match_is_not_padded_with_a_word_every_article_has(
    services: Services,
) -> None:
    common = [
        article(
            f"mazhilis-{n}",
            f"Мәжіліс отырысы {n}",
            "Мәжіліс заң жобасын талқылады.",
            language="kk",
            days_ago=n / 10,
        )
        for n in range(30)
    ]
    rare = article("erlikaya", "Ерликая Астанаға келді", "Ерликая кездесу өткізді.", language="kk")
    await store(services, *common, rare)
    outcome = await services.search.find("Ерликая Мәжіліс")
    assert not outcome.page.match_all
    # «Мәжіліс» is in almost every article: the reply is the one with the rare name, not
    # thirty-one results with it buried among them.
    assert [a.id for a in outcome.articles] == ["erlikaya"]
    assert outcome.page.total == 1
    # Alone, the common word still finds all of its articles.
    assert (await services.search.find("Мәжіліс")).page.total == 30


async def test_filters_by_source_language_and_date(services: Services) -> None:
    await store(services, *ALL)
    assert await found(services, "Қазақстан source:egemen") == [KK_PARLIAMENT.id]
    assert await found(services, "Қазақстан source:EGEMEN lang:kk") == [KK_PARLIAMENT.id]
    assert set(await found(services, "Қазақстан lang:kk")) == {KK_PARLIAMENT.id, KK_LATIN.id}
    assert await found(services, "Казахстан lang:ru") == [RU_ELECTIONS.id]
    # KK_LATIN is three days old, KK_PARLIAMENT one.
    assert await found(services, "Қазақстан since:2026-11-22") == [KK_PARLIAMENT.id]
    assert set(await found(services, "Қазақстан since:20.11.2026")) == {
        KK_PARLIAMENT.id,
        KK_LATIN.id,
    }
    # Filters alone list the newest articles of that source.
    assert await found(services, "source:tengrinews") == [RU_ELECTIONS.id, RU_SHIP.id]


async def test_unknown_source_lists_the_known_ones(services: Services) -> None:
    await store(services, *ALL)
    outcome = await services.search.find("Қазақстан source:bbc")
    assert outcome.page.unknown_source
    assert outcome.articles == []
    assert "egemenqazaqstan" in outcome.known_sources


async def test_a_quoted_phrase_matches_words_in_that_order(services: Services) -> None:
    await store(services, *ALL)
    assert await found(services, '"Мәжілісі сайлау"') == [KK_PARLIAMENT.id]
    assert await found(services, "«итоги выборов»") == [RU_ELECTIONS.id]
    assert await found(services, '"сайлау Мәжілісі"') == []


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", QueryProblem.EMPTY),
        ("   ", QueryProblem.EMPTY),
        ("x" * (MAX_QUERY_CHARS + 1), QueryProblem.TOO_LONG),
        ("және мен", QueryProblem.STOP_WORDS),
        ("и в на", QueryProblem.STOP_WORDS),
        ("сайлау lang:de", QueryProblem.BAD_FILTER),
        ("сайлау since:yesterday", QueryProblem.BAD_FILTER),
        ("сайлау source:", QueryProblem.BAD_FILTER),
    ],
)
def test_bad_queries_are_named(raw: str, problem: QueryProblem) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(raw)
    assert caught.value.problem is problem


async def test_no_results_suggest_known_words_and_other_dates(services: Services) -> None:
    await store(services, *ALL)
    typo = await services.search.find("Парламнт")
    assert typo.page.total == 0
    assert "парламенті" in typo.suggestions

    too_recent = await services.search.find("выборы since:2026-11-24")
    assert too_recent.page.total == 0
    assert [f"{d:%Y-%m-%d}" for d in too_recent.other_dates] == ["2026-11-22"]


async def test_pages_of_five_cover_every_result_once(services: Services) -> None:
    items = [
        article(f"a{i}", f"Сенат отырысы №{i}", "Сенат заң қабылдады.", language="kk", days_ago=i)
        for i in range(12)
    ]
    await store(services, *items)
    pages = [await services.search.find("Сенат", page_number=n) for n in range(3)]
    assert [len(p.articles) for p in pages] == [5, 5, 2]
    assert pages[0].pages == 3
    seen = [a.id for p in pages for a in p.articles]
    assert sorted(seen) == sorted(a.id for a in items)
    assert seen[0] == "a0"  # the same score, so the newest first


async def test_indexing_twice_counts_once(services: Services) -> None:
    await store(services, KK_PARLIAMENT)
    assert not await services.search.index.add(KK_PARLIAMENT)
    outcome = await services.search.find("Парламент")
    assert outcome.page.total == 1
    assert await services.search.index.count() == 1


async def test_retention_unindexes_expired_articles_and_their_words(
    services: Services, redis: Redis
) -> None:
    await store(services, KK_PARLIAMENT, RU_SHIP)
    index = services.search.index
    # The non-politics article goes after a week; the politics one stays.
    assert await index.prune(NOW + keys.NON_POLITICS_ARTICLE_TTL) == 1
    assert await found(services, "судно") == []
    assert await redis.zscore(keys.search_dictionary(), "судн") is None
    assert await found(services, "Парламент") == [KK_PARLIAMENT.id]
    assert await index.prune(NOW + keys.ARTICLE_TTL) == 1
    assert await found(services, "Парламент") == []
    assert await index.count() == 0
    assert await redis.hgetall(keys.search_stats()) == {"docs": "0", "length": "0"}


async def test_the_dictionary_holds_the_words_of_the_indexed_articles_and_no_others(
    services: Services, redis: Redis
) -> None:
    """Suggestions come from the dictionary: a word that went with its last article is not
    offered, and is again once a new article has it."""

    async def dictionary() -> set[str]:
        return set(await redis.zrange(keys.search_dictionary(), 0, -1))

    async def indexed_terms() -> set[str]:
        records = [
            await redis.get(keys.search_doc_terms(article_id))
            for article_id in await redis.zrange(keys.search_docs(), 0, -1)
        ]
        return {term for record in records if record for term in record.split("\t")[3].split()}

    await store(services, *ALL)
    assert await dictionary() == await indexed_terms()
    await services.search.index.prune(NOW + keys.ARTICLE_TTL)
    assert await dictionary() == set()
    assert await found(services, "Парламнт") == []
    assert (await services.search.find("Парламнт")).suggestions == []
    await store(services, replace(KK_PARLIAMENT, id="kk-parliament-again"))
    assert "парламенті" in (await services.search.find("Парламнт")).suggestions
    assert await dictionary() == await indexed_terms()


async def test_the_index_survives_a_redis_restart(tmp_path: Path) -> None:
    data = tmp_path / "redis"
    server = start_redis_server(data)
    try:
        client = connect(server.url)
        index = SearchIndex(client, ArticleStore(client))
        await ArticleStore(client).save(KK_PARLIAMENT)
        await index.add(KK_PARLIAMENT)
        await client.aclose()
    finally:
        server.shutdown()
    server = start_redis_server(data)
    try:
        client = connect(server.url)
        index = SearchIndex(client, ArticleStore(client))
        page = await index.search(parse_query("Қазақстанның Парламенті"))
        assert [hit.article_id for hit in page.hits] == [KK_PARLIAMENT.id]
        await client.aclose()
    finally:
        server.shutdown()


def test_query_words_keep_their_variants_distinct() -> None:
    query = parse_query("Қазақстан Қазақстанның Qazaqstan")
    assert len(query.words) == 2  # the Latin word adds an English variant, so it stays
    assert replace(query, since=None) == query
