"""Feeds managed in chat end to end: /addfeed tries the feed over HTTP before saving it,
/feeds shows each source's health, pause, resume and remove, and OPML export → import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from telegram.ext import Application

from bot.services import Services
from config.feeds import FeedConfig
from config.settings import Settings
from tests.e2e.admin_helpers import OWNER, ask_one, with_admins
from tests.fakes.feed_server import FeedServer
from tests.fakes.telegram_server import BotApiStandIn
from tests.ingest.feeds import atom, rss

PUBLISHED = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
KK_TITLES = [
    "Мәжіліс сайлау туралы заңға түзетулерді мақұлдады",
    "Сенат халықаралық келісімді ратификациялады",
    "Үкімет отырысында өңірлердің әлеуметтік-экономикалық дамуы талқыланды",
]
RU_TITLES = [
    "Мажилис одобрил поправки в закон о выборах",
    "Сенат ратифицировал международное соглашение",
    "Правительство обсудило развитие регионов",
]

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol9 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b'<opml version="2.0"><body><outline text="&lol9;" xmlUrl="https://a.kz/rss"/></body></opml>'
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_admins(settings)


def items(server: FeedServer, name: str, titles: list[str]) -> list[dict[str, str]]:
    """Items whose links stay on the local server: nothing here reaches the internet."""
    return [
        {
            "title": title,
            "link": server.url(f"{name}/{number}"),
            "guid": f"{name}-{number}",
            "date": format_datetime(PUBLISHED + timedelta(hours=number)),
            "description": f"{title}. " * 6,
        }
        for number, title in enumerate(titles)
    ]


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    async with FeedServer() as server:
        kk = items(server, "kazinform", KK_TITLES)
        server.add("kazinform.xml", rss(kk, title="Kazinform (үлгі)").encode())
        ru = items(server, "tengri", RU_TITLES)
        server.add("tengri.xml", rss(ru, title="Tengrinews (пример)").encode())
        entries = [
            {"title": i["title"], "link": i["link"], "id": i["guid"], "summary": i["description"]}
            for i in items(server, "egemen", KK_TITLES[:2])
        ]
        server.add("egemen.atom", atom(entries).encode(), "application/atom+xml")
        server.add("page.html", b"<html><body><p>Not a feed</p></body></html>", "text/html")
        yield server


@pytest.fixture(autouse=True)
def no_background_polls(running_app: Application) -> None:
    """The tests poll when they choose; the app's own poll job would race them."""
    assert running_app.job_queue is not None
    [job] = running_app.job_queue.get_jobs_by_name("poll_cycle")
    job.enabled = False


async def test_addfeed_reads_the_feed_once_then_saves_it(
    running_app: Application, bot_api: BotApiStandIn, services: Services, feeds: FeedServer
) -> None:
    url = feeds.url("kazinform.xml")
    added = await ask_one(bot_api, OWNER, f"/addfeed {url}")
    assert added.startswith(
        "Added <b>Kazinform (үлгі)</b>: 3 items, language kk, all politics: no."
    )
    assert feeds.hits("kazinform.xml") == 1
    [feed] = await services.feeds.all()
    assert (feed.url, feed.name, feed.language, feed.politics_only) == (
        url,
        "Kazinform (үлгі)",
        "kk",
        False,
    )
    assert f"<code>{feed.id}</code>" in added
    assert [f.id for f in await services.feeds.due(services.clock())] == [feed.id]

    tengri = feeds.url("tengri.xml")
    added = await ask_one(bot_api, OWNER, f"/addfeed {tengri} ru politics")
    assert "language ru, all politics: yes" in added
    [entry] = [e for e in await services.admins.recent() if tengri in e.detail]
    assert entry.action == "addfeed"
    assert entry.actor_id == OWNER["id"]


async def test_addfeed_refuses_what_it_cannot_read_and_saves_nothing(
    running_app: Application, bot_api: BotApiStandIn, services: Services, feeds: FeedServer
) -> None:
    feeds.fail("gone.xml", 404)
    gone = await ask_one(bot_api, OWNER, f"/addfeed {feeds.url('gone.xml')}")
    assert gone == "Could not read the feed (http_status: HTTP 404). Nothing was saved."
    page = await ask_one(bot_api, OWNER, f"/addfeed {feeds.url('page.html')} kk")
    assert page.startswith("Could not read the feed (not a feed")
    assert page.endswith("Nothing was saved.")
    ftp = await ask_one(bot_api, OWNER, "/addfeed ftp://example.kz/rss")
    assert ftp == "“ftp://example.kz/rss” is not an http(s) address. Nothing was saved."
    # Through the poller's own guarded client: no private or metadata addresses.
    for target in ("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/rss"):
        refused = await ask_one(bot_api, OWNER, f"/addfeed {target} ru")
        assert refused.startswith("Could not read the feed (forbidden_address: "), refused
        assert refused.endswith("Nothing was saved.")
    usage = await ask_one(bot_api, OWNER, "/addfeed")
    assert usage.startswith("Usage: /addfeed URL [kk|ru|en] [politics]")
    bad_option = await ask_one(bot_api, OWNER, f"/addfeed {feeds.url('tengri.xml')} de")
    assert bad_option.startswith("Usage: /addfeed")
    assert await services.feeds.all() == []
    assert await services.admins.recent() == []

    await ask_one(bot_api, OWNER, f"/addfeed {feeds.url('tengri.xml')}")
    again = await ask_one(bot_api, OWNER, f"/addfeed {feeds.url('tengri.xml')}")
    assert again == "This source is already in the list: Tengrinews (пример)."
    assert len(await services.feeds.all()) == 1


async def test_feeds_shows_health_and_backoff(
    running_app: Application, bot_api: BotApiStandIn, services: Services, feeds: FeedServer
) -> None:
    assert await ask_one(bot_api, OWNER, "/feeds") == (
        "No sources yet. Add one: /addfeed URL [kk|ru|en] [politics]"
    )
    await ask_one(bot_api, OWNER, f"/addfeed {feeds.url('kazinform.xml')}")
    await ask_one(bot_api, OWNER, f"/addfeed {feeds.url('tengri.xml')} ru")
    feeds.fail("tengri.xml", 500)
    assert services.poller is not None
    await services.poller.poll_due()

    listing = await ask_one(bot_api, OWNER, "/feeds")
    header, kazinform, tengri = listing.split("\n\n")
    assert header == "<b>Sources</b>: 2 (2 healthy, 0 unhealthy, 0 paused)"
    assert kazinform.startswith("<b>Kazinform (үлгі)</b> · kk\n<code>")
    assert "Last success: 24.11 06:00 · items per day: 3.0" in kazinform
    assert "Last error: never\nState: ✅ healthy" in kazinform
    assert "Last success: never" in tengri
    assert "Last error: 24.11 06:00: http_status: HTTP 500" in tengri
    # One failure: polled again after twice the 5-minute interval.
    assert tengri.endswith("State: ⚠ 1 failures in a row, backing off until 24.11 06:10")


async def test_pause_resume_and_remove(
    running_app: Application, bot_api: BotApiStandIn, services: Services, feeds: FeedServer
) -> None:
    await ask_one(bot_api, OWNER, f"/addfeed {feeds.url('kazinform.xml')}")
    await ask_one(bot_api, OWNER, f"/addfeed {feeds.url('egemen.atom')} kk politics")
    [egemen] = [f for f in await services.feeds.all() if f.url.endswith("egemen.atom")]

    paused = await ask_one(bot_api, OWNER, "/pausefeed kazinform (ҮЛГІ)")  # by name, any case
    assert paused == "Paused Kazinform (үлгі): it is not read until /resumefeed."
    assert await ask_one(bot_api, OWNER, "/pausefeed Kazinform (үлгі)") == (
        "Kazinform (үлгі) already is paused."
    )
    assert services.poller is not None
    await services.poller.poll_due()
    assert feeds.hits("kazinform.xml") == 1  # only /addfeed's try
    assert feeds.hits("egemen.atom") == 2
    listing = await ask_one(bot_api, OWNER, "/feeds")
    assert "(1 healthy, 0 unhealthy, 1 paused)" in listing
    assert "State: ⏸ paused (/resumefeed " in listing

    resumed = await ask_one(bot_api, OWNER, f"/resumefeed {feeds.url('kazinform.xml')}")
    assert resumed == "Resumed Kazinform (үлгі): it is read again within a minute."
    await services.poller.poll_due()
    assert feeds.hits("kazinform.xml") == 2

    assert await ask_one(bot_api, OWNER, f"/removefeed {egemen.id}") == (f"Removed {egemen.name}.")
    assert await ask_one(bot_api, OWNER, "/removefeed Kazinform (үлгі)") == (
        "Removed Kazinform (үлгі)."
    )
    assert await ask_one(bot_api, OWNER, "/removefeed nothing-like-it") == (
        "There is no source “nothing-like-it”. The list: /feeds"
    )
    assert await ask_one(bot_api, OWNER, "/resumefeed") == (
        "Name the source by its ID, address or name: /resumefeed ID (see /feeds)"
    )
    assert await services.feeds.all() == []
    # Emptied by an admin, the store is not refilled from config/feeds.yaml at the next start.
    default = FeedConfig(name="Default", url="https://example.kz/rss", language="kk")  # type: ignore[arg-type]
    assert await services.feeds.seed([default], services.clock()) == 0
    actions = [e.action for e in await services.admins.recent()]
    assert actions == [
        "removefeed",
        "removefeed",
        "resumefeed",
        "pausefeed",
        "addfeed",
        "addfeed",
    ]


async def test_opml_export_then_import_on_an_empty_store_gives_the_same_feeds(
    running_app: Application, bot_api: BotApiStandIn, services: Services, feeds: FeedServer
) -> None:
    await ask_one(bot_api, OWNER, f"/addfeed {feeds.url('kazinform.xml')}")
    await ask_one(bot_api, OWNER, f"/addfeed {feeds.url('tengri.xml')} ru politics")
    await ask_one(bot_api, OWNER, f"/addfeed {feeds.url('egemen.atom')} kk")
    await ask_one(bot_api, OWNER, "/pausefeed Atom арнасы")

    def summary(store_feeds: list) -> list[tuple]:
        return sorted((f.url, f.name, f.language, f.politics_only, f.enabled) for f in store_feeds)

    before = summary(await services.feeds.all())
    bot_api.send_command(OWNER, "/opml")
    [export] = await bot_api.wait_for("sendDocument")
    assert export.params["chat_id"] == OWNER["id"]
    assert export.params["document"]["filename"] == "sayasat-feeds-20261124.opml"
    assert export.params["caption"].startswith("3 sources.")
    opml = export.params["document"]["content"]
    assert opml.startswith(b"<?xml")

    for feed in await services.feeds.all():
        await services.feeds.remove(feed.id)
    assert await services.feeds.all() == []

    bot_api.send_document(OWNER, "sayasat-feeds.opml", opml, "text/x-opml")
    [imported] = await bot_api.wait_for(
        "sendMessage",
        predicate=lambda c: (
            c.params["chat_id"] == OWNER["id"] and c.params["text"].startswith("OPML import")
        ),
    )
    assert imported.params["text"] == "OPML import: 3 added, 0 already there, 0 not valid."
    assert bot_api.calls_to("getFile")
    assert summary(await services.feeds.all()) == before
    # The paused feed came back paused; the others are due now.
    assert len(await services.feeds.due(services.clock())) == 2

    bot_api.send_document(OWNER, "again.opml", opml)
    [_, again] = await bot_api.wait_for(
        "sendMessage",
        count=2,
        predicate=lambda c: (
            c.params["chat_id"] == OWNER["id"] and c.params["text"].startswith("OPML import")
        ),
    )
    assert again.params["text"] == "OPML import: 0 added, 3 already there, 0 not valid."
    assert [e.action for e in await services.admins.recent(2)] == ["opml import", "opml import"]


async def test_a_malicious_or_broken_opml_file_is_refused(
    running_app: Application, bot_api: BotApiStandIn, services: Services
) -> None:
    def refusals(call: object) -> bool:
        return "not a usable OPML list" in call.params["text"]  # type: ignore[attr-defined]

    bot_api.send_document(OWNER, "laughs.opml", BILLION_LAUGHS)
    [bomb] = await bot_api.wait_for("sendMessage", predicate=refusals)
    assert bomb.params["text"] == (
        "This file is not a usable OPML list: document type declarations are not accepted. "
        "Nothing was imported."
    )
    bot_api.send_document(OWNER, "feeds.opml", b"<rss><channel/></rss>")
    [_, not_opml] = await bot_api.wait_for("sendMessage", count=2, predicate=refusals)
    assert "not an OPML document" in not_opml.params["text"]
    assert await services.feeds.all() == []
    assert await services.admins.recent() == []
