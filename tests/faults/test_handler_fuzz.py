"""Random Telegram updates through the stand-in to the running bot: no handler ever fails
(nothing reaches the error handler, nothing is logged as an error), and whatever asks for
an answer gets one: a reply for commands and private text, answerCallbackQuery for every
button, answerInlineQuery for every inline query.

Updates are handled one at a time in order, so when a sentinel command sent after an
example's updates is answered, every update before it has been handled.
"""

from __future__ import annotations

import itertools
import logging
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from telegram.ext import Application

from config.settings import Settings
from tests.conftest import telegram_user
from tests.e2e.admin_helpers import OWNER, with_admins
from tests.fakes.telegram_server import ApiCall, BotApiStandIn
from tests.waiting import until

# One running bot serves every example on purpose: state left by one (a subscription, a
# pending settings answer) is what the next one meets, as with a real user.
_SHARED_BOT = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
# ~15 ms an update: 200 examples of one to three updates take 10 to 25 s here.
hypothesis_settings.register_profile(
    "handler-fuzz",
    max_examples=200,
    deadline=None,
    suppress_health_check=_SHARED_BOT,
    derandomize=True,  # the same examples every run: a CI failure reproduces
    print_blob=True,
)
# HANDLER_FUZZ_PROFILE=handler-fuzz-deep: new random examples each run, ten times as many.
hypothesis_settings.register_profile(
    "handler-fuzz-deep",
    max_examples=3000,
    deadline=None,
    suppress_health_check=_SHARED_BOT,
    print_blob=True,
)
PROFILE = os.environ.get("HANDLER_FUZZ_PROFILE", "handler-fuzz")
FUZZ = hypothesis_settings.get_profile(PROFILE)

STRANGER = telegram_user(7001, language_code="ru", username="stranger")
SENTINEL = telegram_user(7999, language_code="en")
GROUP = {"id": -100_7001, "type": "supergroup", "title": "Fuzz group"}
BOT_NAME = "sayasat_test_bot"
COMMANDS = (
    "start", "help", "language", "digest", "stop", "forget", "settings", "alerts", "search",
    "admins", "audit", "feeds", "removefeed", "pausefeed", "resumefeed", "opml", "channels",
    "stats", "broadcast", "nosuchcommand",
)  # fmt: skip
# Every prefix the bot's own buttons use, and a few whole button payloads.
CALLBACK_PREFIXES = (
    "s:", "s:menu", "s:time:", "s:tz:", "s:lang:", "s:size:", "s:src:", "s:pause", "s:skip",
    "al:rm:", "lang:", "forget:", "bc:send:", "bc:cancel:", "sr:0123456789ab:", "sr:",
)  # fmt: skip
CALLBACK_WHOLE = (
    "s:time:custom", "s:tz:custom", "s:tz:Asia/Almaty", "s:size:10", "s:src:all",
    "lang:kk", "lang:kk\n", "forget:no", "al:rm:0", "sr:0123456789ab:0",
)  # fmt: skip
ENTITY_TYPES = (
    "bold", "italic", "underline", "strikethrough", "spoiler", "code", "pre", "mention",
    "hashtag", "cashtag", "bot_command", "url", "email", "phone_number", "blockquote",
)  # fmt: skip

_ids = itertools.count(50_000)

any_text = st.text(max_size=120)
entities = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(ENTITY_TYPES),
            "offset": st.integers(0, 130),
            "length": st.integers(1, 40),
        }
    ),
    max_size=3,
)


@st.composite
def command_text(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(COMMANDS) | st.from_regex(r"[a-z_]{1,20}", fullmatch=True))
    mention = draw(st.sampled_from(("", "", f"@{BOT_NAME}", "@other_bot")))
    args = draw(st.just("") | any_text.map(lambda t: " " + t))
    return f"/{name}{mention}{args}"


def utf8_at_most(limit: int) -> st.SearchStrategy[str]:
    return st.text(max_size=limit).filter(lambda t: len(t.encode()) <= limit)


callback_data = (
    utf8_at_most(64)
    | st.sampled_from(CALLBACK_WHOLE)
    | st.builds(lambda p, s: p + s, st.sampled_from(CALLBACK_PREFIXES), utf8_at_most(20)).filter(
        lambda d: len(d.encode()) <= 64
    )
)


@st.composite
def message_update(draw: st.DrawFn) -> dict[str, Any]:
    user = draw(st.sampled_from((STRANGER, OWNER)))
    chat = draw(st.sampled_from(({"id": user["id"], "type": "private"}, GROUP)))
    message: dict[str, Any] = {"date": int(time.time()), "chat": chat, "from": user}
    kind = draw(st.sampled_from(("command", "text", "document")))
    if kind == "document":
        name = draw(st.sampled_from(("feeds.opml", "FEEDS.OPML", "notes.txt", None)))
        content = draw(st.binary(max_size=300) | st.just(b"<opml version='2.0'><body/></opml>"))
        message["document"] = (name, content)  # uploaded to the stand-in when sent
        caption = draw(st.none() | any_text)
        if caption is not None:
            message["caption"] = caption
            message["caption_entities"] = draw(entities)
    else:
        text = draw(command_text()) if kind == "command" else draw(any_text.filter(bool))
        message["text"] = text
        extra = draw(entities)
        if kind == "command":
            command = text.split()[0] if text.split() else text
            length = len(command.encode("utf-16-le")) // 2
            extra = [{"type": "bot_command", "offset": 0, "length": length}, *extra]
        if extra:
            message["entities"] = extra
    if draw(st.booleans()) and draw(st.booleans()):  # one in four: an edit
        return {"edited_message": {**message, "edit_date": int(time.time())}}
    return {"message": message}


@st.composite
def callback_update(draw: st.DrawFn) -> dict[str, Any]:
    user = draw(st.sampled_from((STRANGER, OWNER)))
    return {
        "callback_query": {
            "from": user,
            "chat_instance": str(user["id"]),
            "data": draw(callback_data),
            # The message the button is on: filled in when sent (one the bot really sent).
        }
    }


@st.composite
def inline_update(draw: st.DrawFn) -> dict[str, Any]:
    user = draw(st.sampled_from((STRANGER, OWNER)))
    offset = draw(st.sampled_from(("", "1", "²", "-1", "99999")) | st.text(max_size=6))
    return {
        "inline_query": {
            "from": user,
            "query": draw(st.text(max_size=256)),
            "offset": offset,
        }
    }


@st.composite
def membership_update(draw: st.DrawFn) -> dict[str, Any]:
    user = draw(st.sampled_from((STRANGER, OWNER)))
    old, new = (
        draw(st.sampled_from(("member", "kicked", "left"))),
        draw(st.sampled_from(("member", "kicked", "left"))),
    )
    return {"_membership": (user, old, new)}


updates = st.lists(
    message_update() | callback_update() | inline_update() | membership_update(),
    min_size=1,
    max_size=3,
)


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def summary(self) -> list[str]:
        return [
            repr({k: r.msg.get(k) for k in ("event", "error_type", "error", "text")})
            if isinstance(r.msg, dict)
            else str(r.msg)[:300]
            for r in self.records
        ]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The owner of the admin tests is one of the two fuzzing users: admin commands
    run with arbitrary arguments too, not only their refusal."""
    return with_admins(settings)


@pytest.fixture
def errors() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


def _send(bot_api: BotApiStandIn, update: dict[str, Any]) -> tuple[str, str] | None:
    """Push one update; what answer it needs: (method, id) for queries, ("reply", chat id)
    for messages that must be answered, None when silence is right."""
    if "_membership" in update:
        user, old, new = update["_membership"]
        bot_api.my_chat_member(user, {"id": user["id"], "type": "private"}, old, new)
        return None
    if "callback_query" in update:
        query = update["callback_query"]
        query["id"] = f"fq{next(_ids)}"
        user_id = query["from"]["id"]
        mine = bot_api.sent_messages(user_id)
        if not mine:
            return None  # no message of the bot's to press a button on yet
        query["message"] = mine[-1].result
        bot_api.push_update(update)
        return ("answerCallbackQuery", query["id"])
    if "inline_query" in update:
        update["inline_query"]["id"] = f"fi{next(_ids)}"
        bot_api.push_update(update)
        return ("answerInlineQuery", update["inline_query"]["id"])
    key = "message" if "message" in update else "edited_message"
    message = update[key]
    message["message_id"] = next(_ids)
    if "document" in message:
        name, content = message["document"]
        message["document"] = bot_api.upload(content, name)
    bot_api.push_update(update)
    chat = message["chat"]
    text = message.get("text")
    if text is not None:
        command = any(
            e["type"] == "bot_command" and e["offset"] == 0 for e in message.get("entities", [])
        )
        if command or chat["type"] == "private":
            return ("reply", str(chat["id"]))
        return None
    name = message.get("document", {}).get("file_name", "")
    if chat["type"] == "private" and name.lower().endswith(".opml"):
        return ("reply", str(chat["id"]))
    return None


def _answered(bot_api: BotApiStandIn, need: tuple[str, str], after: int) -> bool:
    method, ident = need
    calls: list[ApiCall] = bot_api.calls[after:]
    if method == "reply":
        return any(
            c.method in ("sendMessage", "editMessageText", "sendDocument")
            and str(c.params.get("chat_id")) == ident
            and c.status == 200
            for c in calls
        )
    key = "callback_query_id" if method == "answerCallbackQuery" else "inline_query_id"
    return any(c.method == method and str(c.params.get(key)) == ident for c in calls)


async def _handled(bot_api: BotApiStandIn, update: dict[str, Any]) -> str | None:
    """Send one update and wait for the answer it needs; a complaint if none came."""
    after = len(bot_api.calls)
    need = _send(bot_api, update)
    if need is None:
        return None
    try:
        await until(lambda: _answered(bot_api, need, after), 5, "answer")
    except AssertionError:
        return f"no {need[0]} for {_describe(update)}"
    return None


@pytest.mark.timeout(120 if PROFILE == "handler-fuzz" else 1800)
@FUZZ
@given(batch=updates)
async def test_random_updates_never_fail_a_handler_and_always_get_an_answer(
    running_app: Application, bot_api: BotApiStandIn, errors: ErrorLog, batch: list[dict]
) -> None:
    if not bot_api.sent_messages(STRANGER["id"]):  # a bot message to press buttons on
        for user in (STRANGER, OWNER):
            bot_api.send_command(user, "/start")
            await bot_api.wait_for(
                "sendMessage", predicate=lambda c, u=user: c.params["chat_id"] == u["id"]
            )
    complaints = [c for update in batch if (c := await _handled(bot_api, update))]
    # Handled in order: once this is answered, every update above has been handled.
    before = len(bot_api.sent_messages(SENTINEL["id"]))
    bot_api.send_command(SENTINEL, "/help")
    await bot_api.wait_for(
        "sendMessage", count=before + 1, predicate=lambda c: c.params["chat_id"] == SENTINEL["id"]
    )
    failures = errors.summary()
    errors.records.clear()
    assert not failures, failures
    assert not complaints, complaints


def _describe(update: dict[str, Any]) -> str:
    if "callback_query" in update:
        return f"button data {update['callback_query']['data']!r}"
    if "inline_query" in update:
        query = update["inline_query"]
        return f"inline query {query['query']!r} offset {query['offset']!r}"
    key = "message" if "message" in update else "edited_message"
    message = update.get(key, {})
    return f"{key} {message.get('text', message.get('document'))!r} in {message.get('chat')}"
