"""Subscribers end to end: settings, the daily digest at local time, /digest, alerts,
/stop and /forget — the real Application, the Bot API stand-in and real Redis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis
from telegram.ext import Application

from bot import keys
from bot.clock import FakeClock
from bot.ingest.pipeline import IngestPipeline
from bot.preview import SAMPLE_DIR, SAMPLE_FEEDS
from bot.services import Services
from bot.story_index import StoryIndex
from tests.conftest import outbox_drained, telegram_user
from tests.fakes.telegram_server import ApiCall, BotApiStandIn

EIGHT_IN_ALMATY = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    """22:00 in Almaty on 24 November, after the sample feeds' items were published."""
    return FakeClock(datetime(2026, 11, 24, 17, 0, tzinfo=UTC))


async def ingest_samples(services: Services) -> None:
    pipeline = IngestPipeline(
        services.redis,
        services.articles,
        StoryIndex(services.redis),
        clock=services.clock,
        on_stored=[services.alerts.notify],
    )
    for name, source in SAMPLE_FEEDS:
        body = (SAMPLE_DIR / name).read_bytes()
        await pipeline.ingest_feed_body(source, body, final_url=source.url)


async def run_job(application: Application, name: str) -> None:
    assert application.job_queue is not None
    [job] = application.job_queue.get_jobs_by_name(name)
    await job.run(application)


def is_digest(call: ApiCall) -> bool:
    return call.params["text"].startswith("<b>Sayasat Digest</b> ·")


async def subscribe(bot_api: BotApiStandIn, user_id: int, lang: str = "en") -> dict:
    user = telegram_user(user_id, language_code=lang)
    bot_api.send_command(user, "/start")
    await bot_api.wait_for("sendMessage", predicate=lambda c: c.params["chat_id"] == user_id)
    return user


async def test_the_digest_arrives_at_eight_in_almaty_with_politics_only(
    running_app: Application, bot_api: BotApiStandIn, services: Services, clock: FakeClock
) -> None:
    user = await subscribe(bot_api, 701)
    bot_api.send_command(user, "/settings")
    [_, menu] = await bot_api.wait_for("sendMessage", count=2)
    assert "Digest time: 08:00 (Asia/Almaty)" in menu.params["text"]
    bot_api.press_button(user, bot_api.last_message(701), "s:time")
    await bot_api.wait_for("editMessageText")
    bot_api.press_button(user, bot_api.last_message(701), "s:time:08:00")
    await bot_api.wait_for("editMessageText", count=2)

    await ingest_samples(services)
    clock.now = EIGHT_IN_ALMATY - timedelta(minutes=1)
    await run_job(running_app, "due_digests")
    assert not [c for c in bot_api.sent_messages(701) if is_digest(c)]

    clock.now = EIGHT_IN_ALMATY
    await run_job(running_app, "due_digests")
    [digest] = await bot_api.wait_for("sendMessage", predicate=is_digest)

    text = digest.params["text"]
    assert digest.params["chat_id"] == 701
    assert digest.params["link_preview_options"] == {"is_disabled": True}
    assert "Сенат халықаралық келісімді ратификациялады" in text
    assert "Мажилис одобрил поправки в закон о выборах" in text
    assert "Депутаты Мажилиса одобрили в первом чтении" in text  # its summary
    assert "Кайрат" not in text  # sport
    assert "қар тазалау" not in text.lower()  # snow clearing
    assert "передает Tengrinews" not in text
    assert "24.11 09:10" in text  # Kazinform's 09:10 +05:00, shown in Almaty time
    # The President's speech reached three outlets: one item, listed first, "also: …".
    first_item = text.split("\n\n")[1]
    assert first_item.startswith("1. ")
    also = first_item.split("also:")[1]
    assert "Egemen Qazaqstan" in also
    assert "Tengrinews" in also  # the Russian report of the same speech
    next_due = await services.digests.next_due(701)
    assert next_due == EIGHT_IN_ALMATY + timedelta(days=1)


async def test_article_languages_and_sources_filter_the_digest(
    running_app: Application, bot_api: BotApiStandIn, services: Services, clock: FakeClock
) -> None:
    user = await subscribe(bot_api, 702, lang="ru")
    bot_api.send_command(user, "/settings")
    await bot_api.wait_for("sendMessage", count=2)
    bot_api.press_button(user, bot_api.last_message(702), "s:lang:ru")
    await bot_api.wait_for("editMessageText")
    await ingest_samples(services)

    clock.now = EIGHT_IN_ALMATY
    await run_job(running_app, "due_digests")
    [digest] = await bot_api.wait_for("sendMessage", predicate=is_digest)
    assert "Мажилис одобрил поправки" in digest.params["text"]
    assert "Сенат халықаралық" not in digest.params["text"]  # Kazakh: filtered out

    sub = await services.subscribers.get(702)
    assert sub is not None
    sub.article_languages, sub.sources = ["kk", "ru"], ["Egemen Qazaqstan"]
    await services.subscribers.save(sub)
    bot_api.send_command(user, "/digest")
    [_, on_demand] = await bot_api.wait_for("sendMessage", count=2, predicate=is_digest)
    assert "Сенат халықаралық келісімді ратификациялады" in on_demand.params["text"]
    assert "Мажилис одобрил" not in on_demand.params["text"]


async def test_a_missed_digest_is_sent_once_after_downtime(
    running_app: Application, bot_api: BotApiStandIn, services: Services, clock: FakeClock
) -> None:
    await subscribe(bot_api, 703)
    clock.now = EIGHT_IN_ALMATY + timedelta(days=3, hours=2)  # down for three days
    await ingest_samples(services)
    await run_job(running_app, "due_digests")
    await run_job(running_app, "due_digests")
    await bot_api.wait_for("sendMessage", predicate=is_digest)
    assert len([c for c in bot_api.sent_messages(703) if is_digest(c)]) == 1
    assert await services.digests.next_due(703) == EIGHT_IN_ALMATY + timedelta(days=4)


async def test_paused_subscribers_get_no_digest_and_empty_ones_can_be_skipped(
    running_app: Application, bot_api: BotApiStandIn, services: Services, clock: FakeClock
) -> None:
    user = await subscribe(bot_api, 704)
    bot_api.send_command(user, "/settings")
    await bot_api.wait_for("sendMessage", count=2)
    bot_api.press_button(user, bot_api.last_message(704), "s:pause")
    [edit] = await bot_api.wait_for("editMessageText")
    assert "Status: paused" in edit.params["text"]
    assert await services.digests.next_due(704) is None
    bot_api.press_button(user, bot_api.last_message(704), "s:pause")
    bot_api.press_button(user, bot_api.last_message(704), "s:skip")
    await bot_api.wait_for("editMessageText", count=3)
    clock.now = EIGHT_IN_ALMATY
    await run_job(running_app, "due_digests")  # nothing stored: an empty digest, skipped
    assert await services.outbox.depth() == 0
    assert not [c for c in bot_api.sent_messages(704) if is_digest(c)]


async def test_a_custom_time_and_zone_are_typed_and_checked(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    user = await subscribe(bot_api, 705)
    bot_api.send_command(user, "/settings")
    await bot_api.wait_for("sendMessage", count=2)
    bot_api.press_button(user, bot_api.last_message(705), "s:time:custom")
    await bot_api.wait_for("sendMessage", count=3)
    bot_api.send_text(user, "25:99")
    [*_, refused] = await bot_api.wait_for("sendMessage", count=4)
    assert "is not a time" in refused.params["text"]
    bot_api.send_text(user, "7.30")
    [*_, saved] = await bot_api.wait_for("sendMessage", count=5)
    assert "Saved. Next digest: 25.11 07:30 (Asia/Almaty)" in saved.params["text"]

    bot_api.press_button(user, bot_api.last_message(705), "s:tz:custom")
    await bot_api.wait_for("sendMessage", count=7)
    bot_api.send_text(user, "Mars/Olympus")
    [*_, bad_zone] = await bot_api.wait_for("sendMessage", count=8)
    assert "There is no time zone “Mars/Olympus”" in bad_zone.params["text"]
    bot_api.send_text(user, "Europe/Moscow")
    await bot_api.wait_for("sendMessage", count=9)
    sub = await services.subscribers.get(705)
    assert sub is not None
    assert (sub.digest_time, sub.timezone) == ("07:30", "Europe/Moscow")


async def test_an_alert_fires_once_per_story_and_never_for_other_keywords(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    user = await subscribe(bot_api, 706)
    bot_api.send_command(user, "/alerts add Сенаттың")  # an inflected form
    bot_api.send_command(user, "/alerts add футбол")
    await bot_api.wait_for("sendMessage", count=3)

    await ingest_samples(services)
    await ingest_samples(services)  # polled again: nothing new, nothing re-sent

    alerts = await bot_api.wait_for(
        "sendMessage", predicate=lambda c: c.params["text"].startswith("🔔")
    )
    assert await outbox_drained(services)
    all_alerts = [c for c in bot_api.sent_messages(706) if c.params["text"].startswith("🔔")]
    # «Сенат» is in the ratification story and, as «Сенат депутаттарына», in the
    # President's speech (one story told by three outlets): two stories, two alerts.
    assert len(all_alerts) == len({c.params["text"].split("\n")[1] for c in all_alerts})
    assert any("ратификациялады" in c.params["text"] for c in all_alerts)
    assert not any("Кайрат" in c.params["text"] for c in all_alerts)
    assert alerts[0].params["text"].startswith("🔔 News for “Сенаттың”")


async def test_alerts_are_listed_and_removed_with_buttons(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    user = await subscribe(bot_api, 707)
    bot_api.send_command(user, "/alerts add Мәжіліс")
    bot_api.send_command(user, "/alerts add " + "ұзын " * 40)
    bot_api.send_command(user, "/alerts add және мен")
    [_, added, too_long, stop_words] = await bot_api.wait_for("sendMessage", count=4)
    assert "Added “Мәжіліс”" in added.params["text"]
    assert "too long" in too_long.params["text"]
    assert "only stop words" in stop_words.params["text"]
    bot_api.send_command(user, "/alerts")
    [*_, listing] = await bot_api.wait_for("sendMessage", count=5)
    bot_api.press_button(user, bot_api.last_message(707), "al:rm:0")
    await bot_api.wait_for("editMessageText")
    assert listing.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "✕ Мәжіліс"
    assert await services.alerts.keywords(707) == []


async def test_stop_and_forget(
    running_app: Application, bot_api: BotApiStandIn, services: Services, redis: Redis
) -> None:
    user = await subscribe(bot_api, 708)
    bot_api.send_command(user, "/alerts add Сенат")
    bot_api.send_command(user, "/stop")
    [*_, stopped] = await bot_api.wait_for("sendMessage", count=3)
    assert "Unsubscribed" in stopped.params["text"]
    assert await services.digests.next_due(708) is None
    assert not await redis.sismember(keys.subscribers_active(), "708")

    bot_api.send_command(user, "/forget")
    await bot_api.wait_for("sendMessage", count=4)
    bot_api.press_button(user, bot_api.last_message(708), "forget:yes")
    [edit] = await bot_api.wait_for("editMessageText")
    assert "nothing about you is stored" in edit.params["text"]
    assert await services.subscribers.get(708) is None
    assert await redis.hgetall(keys.alerts(708)) == {}
    assert not await redis.sismember(keys.subscribers_all(), "708")


@pytest.mark.parametrize("command", ["/digest", "/settings", "/alerts", "/stop"])
async def test_commands_need_a_subscription(
    running_app: Application, bot_api: BotApiStandIn, command: str
) -> None:
    bot_api.send_command(telegram_user(709, language_code="kk"), command)
    [reply] = await bot_api.wait_for("sendMessage")
    assert "жазылмағансыз" in reply.params["text"]
