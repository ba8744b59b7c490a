"""The real `python -m bot run` as a test's subprocess: the environment that points it at
the test's Redis, Bot API stand-in and feeds, and its start, SIGTERM and SIGKILL."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from bot.redis_server import RedisServer
from tests.fakes.telegram_server import BotApiStandIn

ROOT = Path(__file__).resolve().parents[1]


def bot_env(
    bot_api: BotApiStandIn,
    redis_server: RedisServer,
    workdir: Path,
    *,
    feeds_file: Path | None = None,
    **extra: str,
) -> dict[str, str]:
    """This interpreter's environment plus what a bot under test needs: the stand-in's
    token and URL, the test's Redis, `workdir` for its data and, without `feeds_file`, an
    empty feeds file there; `extra` adds or overrides settings (INSTANCE_NAME, …)."""
    if feeds_file is None:
        feeds_file = workdir / "feeds.yaml"
        feeds_file.write_text("feeds: []\n")
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": bot_api.token,
        "TELEGRAM_API_URL": bot_api.base_url,
        "REDIS_URL": redis_server.url,
        "FEEDS_FILE": str(feeds_file),
        "DATA_DIR": str(workdir),
        **extra,
    }


class BotProcess:
    """`python -m bot run` in its own working directory (no stray .env), output to a file."""

    def __init__(self, env: dict[str, str], workdir: Path, log: Path) -> None:
        self._env = env
        self._workdir = workdir
        self._log_path = log
        self._log: IO[bytes] | None = None
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._log = self._log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=self._workdir,
            env=self._env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self._wait(10)
        self._close_log()

    async def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self._close_log()
            return
        self.process.send_signal(signal.SIGTERM)
        if not await self._wait(20):
            self.process.kill()
            await self._wait(10)
        self._close_log()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def output(self) -> str:
        return self._log_path.read_text(errors="replace")[-3000:]

    async def _wait(self, timeout: float) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.05)
        return True

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
