"""Story ids as a reader sees them: one story per event, whichever outlet and language reports
it; two events of one kind on one day stay two stories. Real Redis (the StoryIndex buckets)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from bot.articles import Article
from bot.story_index import StoryIndex

T0 = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)


def article(
    article_id: str, source: str, lang: str, title: str, lead: str, hours: float
) -> Article:
    published = T0 + timedelta(hours=hours)
    return Article(
        id=article_id,
        feed_url=f"https://{source}/rss",
        source=source,
        url=f"https://{source}/news/{article_id}",
        title=title,
        lead=lead,
        body=lead,
        language=lang,
        published=published,
        fetched=published,
        politics_score=0.9,
        is_politics=True,
    )


async def stories(redis: Redis, articles: list[Article]) -> dict[str, str]:
    index = StoryIndex(redis)
    return {a.id: await index.assign(a) for a in articles}


async def test_one_event_from_three_outlets_in_kazakh_and_russian_is_one_story(
    redis: Redis,
) -> None:
    story = await stories(
        redis,
        [
            article(
                "kazinform-1",
                "kaz.inform.kz",
                "kk",
                "Тоқаев Моңғолия президенті Ухнаагийн Хурэлсүхті қабылдады",
                "АСТАНА. KAZINFORM – Ақордада Қазақстан мен Моңғолия президенттері "
                "сауда-экономикалық ынтымақтастықты және көлік дәлізін талқылады.",
                0,
            ),
            article(
                "tengri-1",
                "tengrinews.kz",
                "ru",
                "Токаев принял президента Монголии Ухнаагийна Хурэлсуха",
                "В Акорде главы двух государств обсудили торгово-экономическое "
                "сотрудничество и транспортный коридор, передает Tengrinews.kz.",
                1.5,
            ),
            article(
                "egemen-1",
                "egemen.kz",
                "kk",
                "Prezıdent Mońǵolııa basshysyn qabyldady",
                "Qasym-Jomart Toqaev Ýhnaagıın Hýrelsúhpen saýda-ekonomıkalyq "
                "yntymaqtastyqty talqylady.",
                3,
            ),
            article(
                "tengri-2",
                "tengrinews.kz",
                "ru",
                "Токаев провел телефонный разговор с премьер-министром Венгрии",
                "Касым-Жомарт Токаев и Виктор Орбан обсудили поставки нефти и зерна.",
                4,
            ),
        ],
    )
    assert story["tengri-1"] == story["kazinform-1"] == "kazinform-1"
    assert story["egemen-1"] == "kazinform-1"  # Latin-script Kazakh joins the same story
    assert story["tengri-2"] == "tengri-2"


async def test_two_weather_warnings_on_one_day_are_two_stories(redis: Redis) -> None:
    story = await stories(
        redis,
        [
            article(
                "t-karaganda",
                "tengrinews.kz",
                "ru",
                "Синоптики предупредили жителей Караганды",
                "В Казгидромете предупредили о неблагоприятных метеорологических условиях: "
                "20 ноября загрязнение воздуха ожидается в Караганде и Темиртау.",
                0,
            ),
            article(
                "t-pavlodar",
                "tengrinews.kz",
                "ru",
                "Синоптики предупредили жителей Павлодара",
                "Казгидромет сообщил, что 20 ноября в Павлодаре и Экибастузе ожидается "
                "загрязнение воздуха из-за штиля и тумана.",
                0.5,
            ),
            article(
                "k-karaganda",
                "kaz.inform.kz",
                "kk",
                "Қарағанды мен Теміртауда ауаның ластануы күтіледі",
                "Қазгидромет 20 қарашада Қарағанды және Теміртау қалаларында қолайсыз "
                "метеорологиялық жағдай болатынын ескертті.",
                2,
            ),
        ],
    )
    assert story["t-pavlodar"] == "t-pavlodar"
    assert story["k-karaganda"] == story["t-karaganda"] == "t-karaganda"


async def test_todays_and_tomorrows_forecast_are_two_stories(redis: Redis) -> None:
    story = await stories(
        redis,
        [
            article(
                "forecast-16",
                "tengrinews.kz",
                "ru",
                "Погода в Казахстане на 16 апреля: в Астане без осадков",
                "В Астане 16 апреля переменная облачность без осадков, днем до 16 градусов "
                "тепла, сообщили в Казгидромете.",
                0,
            ),
            article(
                "forecast-17",
                "tengrinews.kz",
                "ru",
                "Погода в Казахстане на 17 апреля: в Астане дождь и гроза",
                "В Астане 17 апреля ожидаются дождь и гроза, днем до 15 градусов тепла, "
                "сообщили в Казгидромете.",
                24,
            ),
        ],
    )
    assert story == {"forecast-16": "forecast-16", "forecast-17": "forecast-17"}


async def test_the_same_payment_in_two_cities_is_two_stories(redis: Redis) -> None:
    story = await stories(
        redis,
        [
            article(
                "almaty",
                "tengrinews.kz",
                "ru",
                "Сколько получат ветераны войны в Алматы ко Дню Победы",
                "Акимат Алматы выплатит ветеранам Великой Отечественной войны по 2 миллиона "
                "тенге к 80-летию Победы.",
                0,
            ),
            article(
                "astana",
                "tengrinews.kz",
                "ru",
                "Сколько получат ветераны войны в Астане ко Дню Победы",
                "Акимат Астаны выплатит ветеранам Великой Отечественной войны по 2 миллиона "
                "тенге к 80-летию Победы.",
                3,
            ),
            article(
                "almaty-kk",
                "kaz.inform.kz",
                "kk",
                "Алматыда Ұлы Отан соғысының ардагерлеріне 2 миллион теңгеден төленеді",
                "Алматы әкімдігі Жеңіс күніне орай соғыс ардагерлеріне 2 миллион теңгеден "
                "біржолғы төлем береді.",
                4,
            ),
        ],
    )
    assert story["astana"] == "astana"
    assert story["almaty-kk"] == story["almaty"] == "almaty"


async def test_a_story_outlives_no_window(redis: Redis) -> None:
    """The same headline two days later is news again, not an old story's echo."""
    title = "Токаев принял президента Монголии Ухнаагийна Хурэлсуха"
    lead = "В Акорде главы двух государств обсудили торгово-экономическое сотрудничество."
    story = await stories(
        redis,
        [
            article("first", "tengrinews.kz", "ru", title, lead, 0),
            article("again", "zakon.kz", "ru", title, lead, 48),
        ],
    )
    assert story == {"first": "first", "again": "again"}
