"""`python -m bot poll --once --feed URL` as an admin runs it: progress, then a table."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.redis_server import RedisServer
from bot.search_query import parse_query
from bot.services import Services
from tests.fakes.feed_server import FeedServer
from tests.ingest.feeds import POLITICS_KK, rss

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        yield srv


async def poll_cli(redis_server: RedisServer, tmp_path: Path, feed_url: str) -> tuple[int, str]:
    feeds_file = tmp_path / "feeds.yaml"
    feeds_file.write_text("feeds: []\n", encoding="utf-8")
    env = {
        **os.environ,
        "REDIS_URL": redis_server.url,
        "FEEDS_FILE": str(feeds_file),
        "DATA_DIR": str(tmp_path / "data"),
        "FETCH_ALLOW_NETWORKS": "127.0.0.0/8",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    # Asynchronous: the feed server answering it runs on this test's event loop.
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "poll",
        "--once",
        "--feed",
        feed_url,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=90)
    assert process.returncode is not None
    return process.returncode, output.decode()


def table_row(output: str, first_cell: str) -> list[str]:
    [row] = [line.split() for line in output.splitlines() if line.startswith(first_cell + " ")]
    return row


async def test_poll_once_prints_progress_and_a_table_and_stores_searchable_articles(
    redis_server: RedisServer, services: Services, server: FeedServer, tmp_path: Path
) -> None:
    items = [
        {
            "title": f"{POLITICS_KK['title']} {n}",
            "link": f"https://egemen.kz/news/{n}",
            "description": POLITICS_KK["description"],
        }
        for n in range(4)
    ]
    server.add("egemen.xml", rss(items).encode())
    url = server.url("egemen.xml")

    status, output = await poll_cli(redis_server, tmp_path, url)
    assert status == 0, output
    assert f"[1/1] {url}: ok" in output
    assert table_row(output, url)[1:4] == ["4", "0", "0"]  # new, seen, errors
    assert table_row(output, "total")[1:4] == ["4", "0", "0"]
    page = await services.search.index.search(parse_query(POLITICS_KK["title"].split()[0]))
    assert page.total == 4

    status, output = await poll_cli(redis_server, tmp_path, url)
    assert status == 0, output
    assert table_row(output, url)[1:4] == ["0", "4", "0"]


async def test_a_failing_feed_shows_its_error_and_exits_non_zero(
    redis_server: RedisServer, services: Services, server: FeedServer, tmp_path: Path
) -> None:
    server.fail("broken.xml", 500)
    url = server.url("broken.xml")
    status, output = await poll_cli(redis_server, tmp_path, url)
    assert status == 1
    assert f"[1/1] {url}: http_status" in output
    assert table_row(output, url)[3] == "1"
