"""Webhook mode end to end: the real `python -m bot run` with WEBHOOK_URL set registers
its webhook with the Bot API stand-in, refuses posts without Telegram's secret token,
answers the updates Telegram posts, never polls, and stops cleanly on SIGTERM.

Two processes serve the same webhook, as two instances behind one URL would: an update
handled by one sees what the other stored.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from redis.asyncio import Redis

from bot import keys
from bot.redis_server import RedisServer, free_port
from bot.texts import text
from bot.web import SECRET_HEADER
from config.settings import SettingsError, load_settings
from tests.bot_process import ROOT, BotProcess, bot_env
from tests.conftest import telegram_user
from tests.fakes.telegram_server import BotApiStandIn

SECRET = "s3cret-Token_42"
WEBHOOK_URL = "https://sayasat.example.test/telegram/hook-7f3a"
HOOK_PATH = "/telegram/hook-7f3a"


class WebhookBot:
    def __init__(self, process: BotProcess, port: int, log: Path) -> None:
        self.process = process
        self.hook = f"http://127.0.0.1:{port}{HOOK_PATH}"
        self.log = log


def start_update(update_id: int, user: dict[str, Any], command: str = "/start") -> dict:
    """What Telegram posts when a user sends a command in a private chat."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]},
            "from": user,
            "text": command,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
        },
    }


@pytest.fixture
async def webhook_bots(
    bot_api: BotApiStandIn, redis_server: RedisServer, redis: Redis, tmp_path: Path
) -> AsyncIterator[list[WebhookBot]]:
    bots = []
    for name in ("web-a", "web-b"):
        port = free_port()
        env = bot_env(
            bot_api,
            redis_server,
            tmp_path,
            INSTANCE_NAME=name,
            WEBHOOK_URL=WEBHOOK_URL,
            WEBHOOK_SECRET=SECRET,
            HTTP_HOST="127.0.0.1",
            HTTP_PORT=str(port),
            LOG_FORMAT="json",
            LOG_LEVEL="INFO",
        )
        log = tmp_path / f"{name}.log"
        bots.append(WebhookBot(BotProcess(env, tmp_path, log), port, log))
    for bot in bots:
        bot.process.start()
    try:
        deadline = time.monotonic() + 60
        while len(bot_api.calls_to("setWebhook")) < len(bots):
            for bot in bots:
                if not bot.process.alive():
                    pytest.fail(f"the bot exited at start:\n{bot.process.output()}")
            assert time.monotonic() < deadline, "the bots did not set their webhook"
            await asyncio.sleep(0.05)
        yield bots
    finally:
        for bot in bots:
            await bot.process.stop()


@pytest.mark.timeout(120)
async def test_webhook_mode_refuses_forged_posts_and_answers_telegrams(
    webhook_bots: list[WebhookBot], bot_api: BotApiStandIn, redis: Redis
) -> None:
    first, second = webhook_bots
    for call in bot_api.calls_to("setWebhook"):
        assert call.params["url"] == WEBHOOK_URL
        assert call.params["secret_token"] == SECRET
        assert {"message", "callback_query", "my_chat_member"} <= set(
            call.params["allowed_updates"]
        )

    forger, impostor, aigerim = telegram_user(4001), telegram_user(4002), telegram_user(4003)
    async with aiohttp.ClientSession() as http:
        async with http.post(first.hook, json=start_update(1, forger)) as response:
            assert response.status == 403
        wrong = {SECRET_HEADER: SECRET[:-1] + "3"}
        async with http.post(first.hook, json=start_update(2, impostor), headers=wrong) as response:
            assert response.status == 403
        right = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        async with http.post(first.hook, data=b'{"update_id": 3, "mess', headers=right) as response:
            assert response.status == 400
        async with http.post(first.hook, json=start_update(4, aigerim), headers=right) as response:
            assert response.status == 200

        [welcome] = await bot_api.wait_for("sendMessage", timeout=20)
        assert welcome.params["chat_id"] == aigerim["id"]
        assert welcome.params["text"] == text("welcome", "en", name=aigerim["first_name"])
        # Telegram resends an update whose 200 it missed, maybe to the other instance:
        # accepted, and not answered a second time.
        async with http.post(second.hook, json=start_update(4, aigerim), headers=right) as response:
            assert response.status == 200

        # The other instance takes the next update and finds the subscription the first
        # one stored: nothing about a chat is kept inside one process.
        stop = start_update(5, aigerim, "/stop")
        async with http.post(second.hook, json=stop, headers=right) as response:
            assert response.status == 200
        [_, stopped] = await bot_api.wait_for("sendMessage", count=2, timeout=20)
        assert stopped.params["text"] == text("stopped", "en")

    # Refused posts never reached a handler: no reply, nothing stored for those users.
    assert bot_api.sent_messages(forger["id"]) == []
    assert bot_api.sent_messages(impostor["id"]) == []
    assert not await redis.exists(keys.subscriber(forger["id"]))
    assert not await redis.exists(keys.subscriber(impostor["id"]))
    # Webhook mode never polls (the stand-in, like Telegram, refuses getUpdates then) and
    # never deletes the webhook the other instance is serving.
    assert bot_api.calls_to("getUpdates", ok_only=False) == []
    assert bot_api.calls_to("deleteWebhook", ok_only=False) == []

    for bot in webhook_bots:
        await bot.process.stop()
        assert bot.process.process is not None
        assert bot.process.process.returncode == 0, bot.process.output()
        logged = bot.log.read_text()
        assert '"event": "bot_stopping"' in logged
        assert SECRET not in logged
        assert bot_api.token not in logged
    assert '"event": "webhook_duplicate"' in second.log.read_text()
    refused = first.log.read_text()
    assert refused.count('"event": "webhook_refused"') == 2
    assert '"event": "webhook_malformed"' in refused


def test_webhook_url_without_a_secret_stops_the_bot_with_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": "123456:not-used-the-settings-fail-first",
        "WEBHOOK_URL": WEBHOOK_URL,
        "DATA_DIR": str(tmp_path),
    }
    env.pop("WEBHOOK_SECRET", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "Configuration error: WEBHOOK_SECRET: required when WEBHOOK_URL is set"
    ]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"webhook_url": "http://sayasat.example.test/hook", "webhook_secret": SECRET},
         "WEBHOOK_URL: must be an https:// URL"),
        ({"webhook_url": WEBHOOK_URL, "webhook_secret": "has spaces and a s3cret"},
         "WEBHOOK_SECRET: must be 1-256 characters of A-Z, a-z, 0-9, _ and -"),
        ({"webhook_url": WEBHOOK_URL, "webhook_secret": "x" * 257},
         "WEBHOOK_SECRET: must be 1-256 characters"),
        ({"webhook_url": WEBHOOK_URL, "webhook_secret": SECRET, "http_port": 0},
         "HTTP_PORT: must not be 0 when WEBHOOK_URL is set"),
    ],
)  # fmt: skip
def test_a_bad_webhook_setting_names_the_variable_and_never_echoes_the_secret(
    overrides: dict[str, object], expected: str
) -> None:
    with pytest.raises(SettingsError, match=expected) as raised:
        load_settings(_env_file=None, **overrides)
    assert "s3cret" not in str(raised.value)
