"""Small articles written for the search tests, and a helper that stores and indexes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import summarizer
from bot.articles import Article
from bot.services import Services

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def article(
    article_id: str,
    title: str,
    body: str,
    *,
    language: str,
    source: str = "Kazinform",
    days_ago: float = 1,
    politics: bool = True,
) -> Article:
    published = NOW - timedelta(days=days_ago)
    return Article(
        id=article_id,
        feed_url=f"https://{source.lower().replace(' ', '')}.kz/rss",
        source=source,
        url=f"https://{source.lower().replace(' ', '')}.kz/news/{article_id}",
        title=title,
        lead=body.split(". ")[0],
        body=body,
        language=language,
        published=published,
        fetched=published,
        politics_score=0.9 if politics else 0.1,
        is_politics=politics,
        summary=[],
        terms=summarizer.index_terms(f"{title}\n{body}", language),
    )


KK_PARLIAMENT = article(
    "kk-parliament",
    "Қазақстан Парламенті сайлау туралы заңды қабылдады",
    "Қазақстан Республикасы Парламентінің Мәжілісі сайлау туралы заңға түзетулерді "
    "қабылдады. Депутаттар құжатты екінші оқылымда мақұлдады. Заң жобасы енді Сенатқа "
    "жіберіледі.",
    language="kk",
    source="Egemen Qazaqstan",
)
KK_LATIN = article(
    "kk-latin",
    "Prezıdent Qazaqstan halqyna Joldaý jasady",
    "Memleket basshysy Qazaqstan halqyna arnalǵan Joldaýynda ekonomıkalyq reformalar "
    "týraly aıtty. Prezıdent jańa saılaý júıesin usyndy.",
    language="kk",
    source="Kazinform",
    days_ago=3,
)
RU_ELECTIONS = article(
    "ru-elections",
    "ЦИК Казахстана подвёл итоги выборов в Мажилис",
    "Центральная избирательная комиссия Казахстана объявила итоги выборов депутатов "
    "Мажилиса. Явка на выборах составила 54 процента. Объединённая оппозиция "
    "оспорит результаты в суде.",
    language="ru",
    source="Tengrinews",
    days_ago=2,
)
RU_SHIP = article(
    "ru-ship",
    "В порту Актау спустили на воду новое судно",
    "Новое грузовое судно спустили на воду в порту Актау. Судно будет ходить по Каспийскому морю.",
    language="ru",
    source="Tengrinews",
    days_ago=5,
    politics=False,
)
KK_AMBASSADOR = article(
    "kk-ambassador",
    "Жаңа елші сенім грамоталарын тапсырды",
    "Германияның жаңа елшісі сенім грамоталарын тапсырды. Елші екі жақты байланыстар туралы айтты.",
    language="kk",
    source="Kazinform",
    days_ago=4,
)

ALL = (KK_PARLIAMENT, KK_LATIN, RU_ELECTIONS, RU_SHIP, KK_AMBASSADOR)


async def store(services: Services, *articles: Article) -> None:
    for item in articles:
        await services.articles.save(item)
        await services.search.index.add(item)
