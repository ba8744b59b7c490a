"""Search in chat end to end: /search, plain text, ◀ ▶ pages, filters, inline mode and
every bad input — the real Application, the Bot API stand-in and real Redis."""

from __future__ import annotations

from telegram.ext import Application

from bot.feeds import Feed, feed_id_for
from bot.preview import SAMPLE_DIR
from bot.search_query import MAX_QUERY_CHARS
from bot.services import Services
from tests.conftest import telegram_user
from tests.fakes.feed_server import FeedServer
from tests.fakes.telegram_server import ApiCall, BotApiStandIn
from tests.search.corpus import ALL, KK_PARLIAMENT, RU_ELECTIONS, article, store


def to(chat_id: int):
    return lambda call: call.params.get("chat_id") == chat_id


async def ask(bot_api: BotApiStandIn, user: dict, text: str, nth: int = 1) -> ApiCall:
    if text.startswith("/"):
        bot_api.send_command(user, text)
    else:
        bot_api.send_text(user, text)
    calls = await bot_api.wait_for("sendMessage", count=nth, predicate=to(user["id"]))
    return calls[-1]


async def test_search_finds_an_inflected_kazakh_word_and_shows_the_match(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    await store(services, *ALL)
    reply = await ask(bot_api, telegram_user(801, language_code="en"), "/search Қазақстанның")
    shown = reply.params["text"]
    assert shown.startswith("🔎 “Қазақстанның”: 2 articles · page 1/1")
    assert f'<a href="{KK_PARLIAMENT.url}">{KK_PARLIAMENT.title}</a>' in shown
    assert "<b>Қазақстан</b> Республикасы" in shown  # the best sentence, match in bold
    # Source and date in the reader's zone (Asia/Almaty: 12:00 UTC is 17:00).
    assert "Egemen Qazaqstan · 23.11.2026 17:00" in shown
    assert "reply_markup" not in reply.params  # one page: no buttons


async def test_plain_text_in_a_private_chat_searches(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    await store(services, *ALL)
    reply = await ask(bot_api, telegram_user(802, language_code="ru"), "выборах в Мажилис")
    assert reply.params["text"].startswith("🔎 «выборах в Мажилис»: статей — 1")
    assert RU_ELECTIONS.url in reply.params["text"]
    assert "<b>выборов</b>" in reply.params["text"]


async def test_pages_are_turned_by_editing_the_message(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    items = [
        article(f"p{i}", f"Сенат отырысы №{i}", "Сенат заң қабылдады.", language="kk", days_ago=i)
        for i in range(7)
    ]
    await store(services, *items)
    user = telegram_user(803, language_code="kk")
    reply = await ask(bot_api, user, "/search сенаттың")
    assert "7 мақала · 1/2 бет" in reply.params["text"]
    assert reply.params["text"].count('<a href="') == 5
    [buttons] = reply.params["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in buttons] == ["1/2", "▶"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)

    message = bot_api.last_message(803)
    bot_api.press_button(user, message, buttons[1]["callback_data"])
    [edit] = await bot_api.wait_for("editMessageText")
    assert "2/2 бет" in edit.params["text"]
    assert "6. <b>" in edit.params["text"]
    assert "7. <b>" in edit.params["text"]
    [back] = edit.params["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in back] == ["◀", "2/2"]

    bot_api.press_button(user, bot_api.last_message(803), back[0]["callback_data"])
    edits = await bot_api.wait_for("editMessageText", count=2)
    assert "1/2 бет" in edits[-1].params["text"]


async def test_an_expired_page_button_says_so(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    user = telegram_user(804, language_code="en")
    await ask(bot_api, user, "/help")
    bot_api.press_button(user, bot_api.last_message(804), "sr:0123456789ab:1")
    [answer] = await bot_api.wait_for("answerCallbackQuery")
    assert answer.params["text"] == "This search has expired — please send it again."
    assert not bot_api.calls_to("editMessageText")


async def test_filters_narrow_the_results(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    await store(services, *ALL)
    user = telegram_user(805, language_code="en")
    reply = await ask(bot_api, user, "/search Қазақстан source:egemen")
    assert ": 1 articles" in reply.params["text"]
    assert KK_PARLIAMENT.url in reply.params["text"]
    reply = await ask(bot_api, user, "/search Қазақстан since:2026-11-25", nth=2)
    assert reply.params["text"].startswith("Nothing found for “Қазақстан since:2026-11-25”.")
    assert "These words appear on other dates: 23.11.2026, 21.11.2026" in reply.params["text"]
    reply = await ask(bot_api, user, "/search сайлау source:bbc", nth=3)
    assert "There is no outlet “bbc”. Outlets: egemenqazaqstan, kazinform" in reply.params["text"]


async def test_bad_input_gets_a_clear_answer(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    await store(services, *ALL)
    user = telegram_user(806, language_code="en")
    answers = []
    for n, query in enumerate(
        [
            "/search",
            "/search " + "сайлау " * 60,
            "/search және мен",
            "/search сайлау lang:de",
            "/search Парламнт",
        ],
        start=1,
    ):
        answers.append((await ask(bot_api, user, query, nth=n)).params["text"])
    usage, too_long, stop_words, bad_filter, typo = answers
    assert usage.startswith("Search: /search words — or just type the words.")
    assert too_long.startswith(
        f"That query is too long: {len(' '.join(['сайлау'] * 60))} characters, "
        f"the limit is {MAX_QUERY_CHARS}."
    )
    assert stop_words == "“және мен” are too common to search for. Add a more specific word."
    assert "I don't understand the filter “lang:de”" in bad_filter
    assert typo.startswith("Nothing found for “Парламнт”.")
    assert "Did you mean: парламенті" in typo


async def test_inline_mode_returns_articles_any_chat_can_share(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    items = [
        article(
            f"i{i}", f"Мәжіліс отырысы №{i}", "Мәжіліс заң қабылдады.", language="kk", days_ago=i
        )
        for i in range(60)
    ]
    await store(services, *items)
    user = telegram_user(807, language_code="en")
    bot_api.send_inline_query(user, "Мәжілістің")
    [answer] = await bot_api.wait_for("answerInlineQuery")
    results = answer.params["results"]
    assert len(results) == 50
    assert results[0]["type"] == "article"
    assert results[0]["title"] == "Мәжіліс отырысы №0"
    content = results[0]["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert '<a href="https://kazinform.kz/news/i0">' in content["message_text"]
    assert str(answer.params["next_offset"]) == "1"

    bot_api.send_inline_query(user, "Мәжілістің", offset="1")
    answers = await bot_api.wait_for("answerInlineQuery", count=2)
    assert len(answers[-1].params["results"]) == 10
    assert not answers[-1].params.get("next_offset")  # the last page

    bot_api.send_inline_query(user, "")
    answers = await bot_api.wait_for("answerInlineQuery", count=3)
    assert answers[-1].params["results"] == []
    assert answers[-1].params["button"]["text"] == "Type words to search"


async def test_help_explains_search_and_its_filters(
    running_app: Application, bot_api: BotApiStandIn
) -> None:
    reply = await ask(bot_api, telegram_user(808, language_code="ru"), "/help")
    shown = reply.params["text"]
    for part in ("/search", "source:egemen", "lang:kk", "since:2026-11-01", "@sayasat_test_bot"):
        assert part in shown


async def test_an_article_from_a_polled_feed_is_searchable(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    async with FeedServer() as feeds:
        feeds.add("kazinform.xml", (SAMPLE_DIR / "kazinform-kk.xml").read_bytes())
        url = feeds.url("kazinform.xml")
        await services.feeds.add(
            Feed(id=feed_id_for(url), url=url, name="Kazinform", language="kk"), services.clock()
        )
        assert running_app.job_queue is not None
        [job] = running_app.job_queue.get_jobs_by_name("poll_cycle")
        await job.run(running_app)
    reply = await ask(bot_api, telegram_user(809, language_code="en"), "/search министрлері")
    assert "<b>министрі</b>" in reply.params["text"]
    assert "Орталық Азия елдерінің әріптестерімен кездесті</a>" in reply.params["text"]
