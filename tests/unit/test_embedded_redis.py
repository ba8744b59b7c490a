"""The embedded redis-server: started when REDIS_URL is unset, reused, persisted, released."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from bot.redis_server import ensure_embedded_redis


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "var"


def test_a_second_process_reuses_the_running_server(data_dir: Path) -> None:
    first = ensure_embedded_redis(data_dir)
    try:
        assert first.started_here
        second = ensure_embedded_redis(data_dir)
        assert not second.started_here
        assert second.url == first.url
        assert (data_dir / "redis" / "appendonly.aof").exists() or any(
            (data_dir / "redis").glob("appendonly*")
        )
    finally:
        first.shutdown()


def test_data_survives_a_restart_with_aof(data_dir: Path) -> None:
    server = ensure_embedded_redis(data_dir)
    redis.Redis.from_url(server.url).set("sayasat:test:persisted", "yes")
    server.shutdown()

    again = ensure_embedded_redis(data_dir)
    try:
        assert again.started_here
        assert redis.Redis.from_url(again.url).get("sayasat:test:persisted") == b"yes"
    finally:
        again.shutdown()


def test_release_keeps_the_server_while_another_bot_process_is_connected(
    data_dir: Path,
) -> None:
    server = ensure_embedded_redis(data_dir)
    other = redis.Redis.from_url(server.url, client_name="sayasat-999999")
    other.ping()
    server.release()
    assert other.ping()  # still up: another process uses it
    other.close()
    server.release()
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(server.url, socket_connect_timeout=1).ping()
