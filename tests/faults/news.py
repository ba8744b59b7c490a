"""Distinct politics news (each its own story), served by the feed server as a feed of
teasers plus one article page per item, and the checks every fault test ends with."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from redis.asyncio import Redis

from bot import keys
from bot.articles import ArticleStore
from tests.fakes.feed_server import FeedServer
from tests.ingest.feeds import rss

# Every text names Kazakhstan, so an alert on «Казахстан» matches each of them.
EVENTS = (
    (
        "Сенат Казахстана одобрил закон о местном самоуправлении",
        "Сенаторы Казахстана приняли закон о местном самоуправлении и расширили полномочия "
        "маслихатов. Акимы сёл будут отчитываться перед жителями дважды в год.",
    ),
    (
        "Мажилис Казахстана рассмотрит поправки в Налоговый кодекс",
        "Депутаты Мажилиса Казахстана внесли поправки в Налоговый кодекс. Ставки налога на "
        "добавленную стоимость для малого бизнеса предлагают снизить.",
    ),
    (
        "ЦИК Казахстана назначил дополнительные выборы в маслихат Актобе",
        "Центральная избирательная комиссия Казахстана назначила дополнительные выборы депутата "
        "маслихата Актюбинской области. Выдвижение кандидатов продлится две недели.",
    ),
    (
        "Президент Казахстана подписал указ о реформе государственной службы",
        "Глава государства подписал указ о сокращении управленческого аппарата на десять "
        "процентов. Министерства Казахстана представят планы до конца квартала.",
    ),
    (
        "Конституционный суд Казахстана проверит закон о митингах",
        "Группа депутатов обратилась в Конституционный суд Казахстана с запросом о законе о "
        "мирных собраниях. Судьи рассмотрят обращение в течение месяца.",
    ),
    (
        "Министр иностранных дел Казахстана встретился с послом Японии",
        "Министр иностранных дел Казахстана обсудил с послом Японии подготовку визита "
        "премьер-министра в Астану. Стороны говорили о транзите через Каспий.",
    ),
    (
        "Генпрокуратура Казахстана внесла протест на решение акимата Шымкента",
        "Прокуроры Казахстана опротестовали постановление акимата Шымкента о застройке парка. "
        "Горожане собрали три тысячи подписей против вырубки деревьев.",
    ),
    (
        "Партия Amanat Казахстана выдвинула кандидата в акимы Караганды",
        "Политсовет партии Amanat выдвинул директора угольного разреза кандидатом на выборы "
        "акима Караганды. Голосование в Казахстане пройдёт в марте.",
    ),
    (
        "Счётная палата Казахстана нашла нарушения в закупках вакцин",
        "Высшая аудиторская палата Казахстана выявила завышение цен при закупке вакцин на "
        "четыре миллиарда тенге. Материалы переданы в антикоррупционную службу.",
    ),
    (
        "Правительство Казахстана утвердило план газификации Северного Казахстана",
        "Кабинет министров утвердил строительство газопровода до Петропавловска и Кокшетау. "
        "Первый этап завершат через два года, стоимость оценили в триста миллиардов.",
    ),
)
ALERT_KEYWORD = "Казахстан"


@dataclass(frozen=True)
class NewsItem:
    title: str
    teaser: str
    page_path: str
    link: str


def news_items(server: FeedServer, feed: str, count: int, start: int = 0) -> list[NewsItem]:
    """`count` items of `feed`, from EVENTS[start:] with the feed's name in the title (the
    same event in two feeds is two articles and two stories here, by design)."""
    chosen = []
    for number in range(start, start + count):
        title, body = EVENTS[number % len(EVENTS)]
        page = f"{feed}/news/{number}.html"
        chosen.append(
            NewsItem(
                title=f"{title} ({feed} {number})",
                teaser=body.split(". ")[0] + ".",
                page_path=page,
                link=server.url(page),
            )
        )
    return chosen


def serve_feed(server: FeedServer, path: str, items: list[NewsItem]) -> None:
    """The feed carries teasers only, so each item's page is fetched (the extract stage)."""
    server.add(
        path,
        rss([{"title": i.title, "link": i.link, "description": i.teaser} for i in items]).encode(),
    )
    for item in items:
        full = _body_of(item)
        paragraphs = "".join(f"<p>{p}</p>" for p in (full, *_filler(item)))
        page = (
            f"<html><head><title>{item.title}</title></head><body><nav>Басты бет</nav>"
            f"<article><h1>{item.title}</h1>{paragraphs}</article></body></html>"
        )
        server.add(item.page_path, page.encode(), content_type="text/html; charset=utf-8")


def _body_of(item: NewsItem) -> str:
    for title, body in EVENTS:
        if item.title.startswith(title):
            return body
    raise KeyError(item.title)


def _filler(item: NewsItem) -> tuple[str, ...]:
    # Enough text for the extractor to take the page for an article.
    return (
        f"Об этом сообщает пресс-служба ведомства. {item.teaser}",
        "Подробности будут опубликованы позже на официальном сайте.",
    )


async def stored_articles(redis: Redis) -> dict[str, dict[str, str]]:
    """Every stored article by id (url, title, story id)."""
    ids = await redis.zrange(keys.articles_by_time(), 0, -1)
    articles = await ArticleStore(redis).get_many(ids)
    return {a.id: {"url": a.url, "title": a.title, "story": a.story_id} for a in articles}


async def assert_each_stored_once(redis: Redis, items: list[NewsItem]) -> None:
    """Nothing lost, nothing doubled: one article per item and one story per event."""
    stored = await stored_articles(redis)
    by_url = Counter(a["url"] for a in stored.values())
    assert set(by_url) == {i.link for i in items}, "an item was lost (or one never served stored)"
    assert max(by_url.values()) == 1, f"an item was stored twice: {by_url.most_common(3)}"
    stories = Counter(a["story"] for a in stored.values())
    assert len(stories) == len(items), f"stories merged or split: {stories}"
