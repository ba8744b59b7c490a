"""`python -m bot run` as a subprocess whose JSON log lines the test reads as they are
written, so it can kill the bot the moment a given line appears.

The output goes through a pipe read by a thread (not the test's event loop, which serves
the Bot API stand-in and the feeds), every line also copied to a file for failure reports.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

LogLine = dict[str, Any]
Trigger = Callable[[LogLine], bool]


# What the fault tests add to tests/bot_process.py's bot_env: they read the JSON log and
# restart the bot under the same name.
FAULT_SETTINGS = {
    # The same name after a restart: the new process resumes the old one's outbox entries.
    "INSTANCE_NAME": "fault-test",
    "FETCH_ALLOW_NETWORKS": "127.0.0.0/8",
    "PRIVATE_CHAT_INTERVAL": "0.05",
    "HTTP_PORT": "0",  # no health server: parallel runs would fight over its port
    # A killed leader's lock lapses in 2 s, so the restarted bot polls at once.
    "LEADER_TTL": "2",
    "LOG_FORMAT": "json",
    "LOG_LEVEL": "DEBUG",
}


class LoggedBot:
    """One `python -m bot run` process at a time; `start()` again after a kill."""

    def __init__(self, env: dict[str, str], workdir: Path, log_file: Path) -> None:
        self._env = env
        self._workdir = workdir
        self._log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None
        self.lines: list[LogLine] = []  # every JSON line of every run, in order
        self._lock = threading.Lock()
        self._reader: threading.Thread | None = None
        self._trigger: Trigger | None = None
        self._stage_event = ""
        self.killed_at: LogLine | None = None
        self.misses = 0  # trigger lines after which the process had already moved on
        self._killed = threading.Event()

    # --- lifecycle --------------------------------------------------------------------
    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=self._workdir,
            env=self._env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._reader = threading.Thread(target=self._read, args=(self.process,), daemon=True)
        self._reader.start()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    async def kill(self) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGKILL)
        await self.wait_exit(10)

    async def stop(self) -> None:
        """SIGTERM (a clean shutdown), then SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            self._join_reader()
            return
        self.process.send_signal(signal.SIGTERM)
        if not await self.wait_exit(20):
            self.process.kill()
            await self.wait_exit(10)

    async def wait_exit(self, timeout: float) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.02)
        self._join_reader()
        return True

    def _join_reader(self) -> None:
        if self._reader is not None:
            self._reader.join(timeout=5)
            self._reader = None

    # --- killing at a log line --------------------------------------------------------
    def kill_at(self, trigger: Trigger, stage_event: str) -> None:
        """SIGKILL the process right after a line matching `trigger`, but only when no
        later `stage_event` line was written before it could be stopped (SIGSTOP first,
        then the pipe is drained and read): the kill then lands inside that stage.
        Otherwise it goes on, and waits for the next matching line."""
        self._stage_event = stage_event
        self._trigger = trigger

    async def wait_killed(self, timeout: float) -> LogLine:
        deadline = time.monotonic() + timeout
        while not self._killed.is_set():
            if time.monotonic() > deadline:
                raise AssertionError(f"no kill after {timeout} s ({self.misses} missed)")
            if not self.alive() and not self._killed.is_set():
                raise AssertionError(f"the bot exited on its own:\n{self.tail()}")
            await asyncio.sleep(0.01)
        await self.wait_exit(10)
        assert self.killed_at is not None
        return self.killed_at

    # --- reading --------------------------------------------------------------------
    def events(self, name: str, **match: object) -> list[LogLine]:
        with self._lock:
            return [
                line
                for line in self.lines
                if line.get("event") == name and all(line.get(k) == v for k, v in match.items())
            ]

    def tail(self, chars: int = 4000) -> str:
        try:
            return self._log_file.read_text(errors="replace")[-chars:]
        except FileNotFoundError:
            return ""

    def _read(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        fd = process.stdout.fileno()
        pending = b""
        with self._log_file.open("ab") as copy:
            while True:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                copy.write(chunk)
                pending += chunk
                *complete, pending = pending.split(b"\n")
                for index, raw in enumerate(complete):
                    line = _parse(raw)
                    self._add(line)
                    trigger = self._trigger
                    if line is not None and trigger is not None and trigger(line):
                        rest = b"\n".join(complete[index + 1 :]) + b"\n" + pending
                        pending = self._stop_and_decide(process, fd, line, rest, copy)
                        break  # the rest of this chunk was handled by the decision
            process.stdout.close()

    def _stop_and_decide(
        self,
        process: subprocess.Popen[bytes],
        fd: int,
        line: LogLine,
        rest: bytes,
        copy: IO[bytes],
    ) -> bytes:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGSTOP)
        # Whatever it wrote before it stopped is in the pipe now: read it all.
        drained = rest
        while select.select([fd], [], [], 0.05)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            copy.write(chunk)
            drained += chunk
        *complete, pending = drained.split(b"\n")
        later = [_parse(raw) for raw in complete]
        for parsed in later:
            self._add(parsed)
        moved_on = any(p is not None and p.get("event") == self._stage_event for p in later)
        if moved_on:
            self.misses += 1
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGCONT)
            return pending
        self._trigger = None
        self.killed_at = line
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        self._killed.set()
        return pending

    def _add(self, line: LogLine | None) -> None:
        if line is not None:
            with self._lock:
                self.lines.append(line)


def _parse(raw: bytes) -> LogLine | None:
    raw = raw.strip()
    if not raw.startswith(b"{"):
        return None
    try:
        parsed = json.loads(raw)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None
