"""Fetching over real HTTP from a local server: validators, failures and hostile bodies.

Limits are small so that every test that waits for a timeout takes about a second. Timing
bounds are loose on purpose: timers in CI virtual machines overshoot by up to 50%.
"""

from __future__ import annotations

import asyncio
import gzip
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.ingest.fetch import (
    USER_AGENT,
    DecompressionFailed,
    FeedFetcher,
    FetchError,
    FetchLimits,
    FetchTimeout,
    HTTPStatusError,
    ResponseTooLarge,
)
from tests.fakes.feed_server import FeedServer
from tests.ingest.feeds import LOCAL_NETWORKS, POLITICS_KK, rss

FAST = FetchLimits(connect_timeout=1.0, total_timeout=1.0, allow_networks=LOCAL_NETWORKS)
FEED = rss([{"title": POLITICS_KK["title"], "link": "https://x.kz/1"}]).encode()
MB = 1024 * 1024


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        yield srv


# conditional GET


async def test_etag_and_last_modified_round_trip_to_304(server: FeedServer) -> None:
    server.add("kz.xml", FEED, headers={"Cache-Control": "public, max-age=600"})
    async with FeedFetcher(FAST) as fetcher:
        first = await fetcher.fetch(server.url("kz.xml"))
        again = await fetcher.fetch(
            server.url("kz.xml"), etag=first.etag, last_modified=first.last_modified
        )
        by_date_only = await fetcher.fetch(server.url("kz.xml"), last_modified=first.last_modified)
        by_tag_only = await fetcher.fetch(server.url("kz.xml"), etag=first.etag)
    assert (first.status, first.body, first.cache_max_age) == (200, FEED, 600)
    assert first.etag
    assert first.last_modified
    assert first.content_type == "application/rss+xml; charset=utf-8"
    for not_modified in (again, by_date_only, by_tag_only):
        assert not_modified.status == 304
        assert not_modified.not_modified
        assert not_modified.body == b""
    # Validators survive a 304, so the caller can store them whatever the answer was.
    assert (again.etag, again.last_modified) == (first.etag, first.last_modified)
    sent = server.headers_of_last("kz.xml")
    assert sent["If-None-Match"] == first.etag
    assert "If-Modified-Since" not in sent


async def test_a_changed_feed_is_fetched_again_with_new_validators(server: FeedServer) -> None:
    server.add("kz.xml", FEED)
    async with FeedFetcher(FAST) as fetcher:
        first = await fetcher.fetch(server.url("kz.xml"))
        server.add("kz.xml", FEED.replace(b"x.kz/1", b"x.kz/2"))
        second = await fetcher.fetch(
            server.url("kz.xml"), etag=first.etag, last_modified=first.last_modified
        )
    assert second.status == 200
    assert b"x.kz/2" in second.body
    assert second.etag != first.etag


async def test_a_304_without_validators_keeps_the_ones_sent() -> None:
    # A transport of its own replaces the address-guarded one: tests only.
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(304)

    async with FeedFetcher(FAST, transport=httpx.MockTransport(handler)) as fetcher:
        result = await fetcher.fetch("https://kaz.inform.kz/rss/kz.xml", etag='"v1"')
    assert (result.status, result.etag, result.last_modified) == (304, '"v1"', None)


async def test_feed_reader_headers_are_sent(server: FeedServer) -> None:
    server.add("kz.xml", FEED)
    server.add("page.html", b"<html></html>", content_type="text/html")
    async with FeedFetcher(FAST) as fetcher:
        await fetcher.fetch(server.url("kz.xml"))
        page = await fetcher.fetch_page(server.url("page.html"))
    feed_headers = server.headers_of_last("kz.xml")
    page_headers = server.headers_of_last("page.html")
    assert feed_headers["User-Agent"] == USER_AGENT
    assert "feed reader" in USER_AGENT
    assert feed_headers["Accept"].startswith("application/rss+xml, application/atom+xml")
    assert feed_headers["Accept-Encoding"] == "gzip, deflate"
    assert page_headers["Accept"].startswith("text/html")
    assert page.body == b"<html></html>"
    assert page.elapsed_s > 0


# failures


@pytest.mark.parametrize("status", [500, 503, 404, 403, 410])
async def test_http_errors_are_fetch_errors_with_their_status(
    server: FeedServer, status: int
) -> None:
    server.fail("bad.xml", status)
    async with FeedFetcher(FAST) as fetcher:
        with pytest.raises(HTTPStatusError) as error:
            await fetcher.fetch(server.url("bad.xml"))
    assert (error.value.kind, error.value.status) == ("http_status", status)
    assert isinstance(error.value, FetchError)


async def test_a_feed_that_fails_twice_then_recovers(server: FeedServer) -> None:
    server.add("flaky.xml", FEED)
    server.fail("flaky.xml", 500, times=2)
    async with FeedFetcher(FAST) as fetcher:
        for _ in range(2):
            with pytest.raises(FetchError, match="HTTP 500"):
                await fetcher.fetch(server.url("flaky.xml"))
        assert (await fetcher.fetch(server.url("flaky.xml"))).status == 200
    assert server.hits("flaky.xml") == 3


async def test_retry_after_is_read_from_a_429() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "120"})

    async with FeedFetcher(FAST, transport=httpx.MockTransport(handler)) as fetcher:
        with pytest.raises(HTTPStatusError) as error:
            await fetcher.fetch("https://tengrinews.kz/news.rss")
    assert (error.value.status, error.value.retry_after_s) == (429, 120.0)


async def test_a_slow_server_and_a_slow_loris_are_cut_at_the_total_timeout(
    server: FeedServer,
) -> None:
    server.add("slow.xml", FEED)
    server.slow("slow.xml", 10.0)
    # Headers at once, then 50 bytes a second: a read timeout alone would never fire.
    server.add("drip.xml", FEED)
    server.drip("drip.xml", bytes_per_s=50)
    async with FeedFetcher(FAST) as fetcher:
        for path in ("slow.xml", "drip.xml"):
            started = time.monotonic()
            with pytest.raises(FetchTimeout) as error:
                await fetcher.fetch(server.url(path))
            assert error.value.kind == "timeout"
            assert time.monotonic() - started < 2.5  # not the 10 s either server wants


async def test_unreachable_and_invalid_urls(server: FeedServer) -> None:
    async with FeedFetcher(FAST) as fetcher:
        with pytest.raises(FetchError) as closed:
            await fetcher.fetch("http://127.0.0.1:9/feed")  # discard port: nothing listens
        kinds = []
        for url in ("file:///etc/passwd", "ftp://x.kz/rss", "http:///nohost", "not a url"):
            with pytest.raises(FetchError) as invalid:
                await fetcher.fetch(url)
            kinds.append(invalid.value.kind)
    assert closed.value.kind == "connect"
    assert kinds == ["invalid_url"] * 4


async def test_a_transport_bug_is_still_a_fetch_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("bug in a transport")

    async with FeedFetcher(FAST, transport=httpx.MockTransport(handler)) as fetcher:
        with pytest.raises(FetchError) as error:
            await fetcher.fetch("https://egemen.kz/rss")
    assert error.value.kind == "unexpected"


# size caps and compression


@pytest.mark.parametrize("hostile", ["huge", "gzip_bomb"])
async def test_huge_bodies_and_gzip_bombs_are_refused_with_bounded_memory(
    server: FeedServer, hostile: str
) -> None:
    if hostile == "huge":
        server.huge("big.xml", 50 * MB)  # chunked, no Content-Length to refuse early
    else:
        server.gzip_bomb("big.xml", 1024 * MB)  # ~1 MB on the wire, 1 GB inflated
    tracemalloc.start()
    try:
        async with FeedFetcher(
            FetchLimits(total_timeout=10.0, allow_networks=LOCAL_NETWORKS)
        ) as fetcher:
            with pytest.raises(ResponseTooLarge) as error:
                await fetcher.fetch(server.url("big.xml"))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.value.kind == "too_large"
    # The 5 MB cap plus buffers (the server runs in this process too): never 50 MB or 1 GB.
    assert peak < 20 * MB


async def test_a_declared_oversize_body_is_refused_before_reading(server: FeedServer) -> None:
    server.add("big.xml", b"<rss>" + b"x" * 2000 + b"</rss>")
    async with FeedFetcher(FetchLimits(max_bytes=1000, allow_networks=LOCAL_NETWORKS)) as fetcher:
        with pytest.raises(ResponseTooLarge, match="declared"):
            await fetcher.fetch(server.url("big.xml"))


async def test_the_cap_applies_to_the_decompressed_size(server: FeedServer) -> None:
    body = b"<rss>" + b" " * 5000 + b"</rss>"  # ~40 bytes gzipped, 5 KB inflated
    server.add("small.xml", gzip.compress(body), headers={"Content-Encoding": "gzip"})
    async with FeedFetcher(FetchLimits(max_bytes=1000, allow_networks=LOCAL_NETWORKS)) as fetcher:
        with pytest.raises(ResponseTooLarge):
            await fetcher.fetch(server.url("small.xml"))
    async with FeedFetcher(
        FetchLimits(max_bytes=len(body), allow_networks=LOCAL_NETWORKS)
    ) as fetcher:
        assert (await fetcher.fetch(server.url("small.xml"))).body == body


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),  # zlib-wrapped, as the RFC says
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw, as many servers send it
        ("identity", lambda b: b),
    ],
)
async def test_compressed_bodies_are_decoded(server: FeedServer, encoding: str, encode) -> None:
    server.add("kz.xml", encode(FEED), headers={"Content-Encoding": encoding})
    async with FeedFetcher(FAST) as fetcher:
        assert (await fetcher.fetch(server.url("kz.xml"))).body == FEED


@pytest.mark.parametrize(("encoding", "body"), [("gzip", b"not gzip at all"), ("br", b"??")])
async def test_corrupt_or_unsupported_encodings_are_decompression_errors(
    server: FeedServer, encoding: str, body: bytes
) -> None:
    server.add("bad.xml", body, headers={"Content-Encoding": encoding})
    async with FeedFetcher(FAST) as fetcher:
        with pytest.raises(DecompressionFailed) as error:
            await fetcher.fetch(server.url("bad.xml"))
    assert error.value.kind == "decompression"


# redirects


async def test_redirects_are_followed_and_only_permanent_ones_remembered(
    server: FeedServer,
) -> None:
    server.add("new.xml", FEED)
    server.redirect("old.xml", "new.xml", 301)
    server.redirect("moved.xml", "new.xml", 308)
    server.redirect("tmp.xml", "new.xml", 302)
    server.redirect("see.xml", "new.xml", 307)
    async with FeedFetcher(FAST) as fetcher:
        results = {p: await fetcher.fetch(server.url(p)) for p in ("old.xml", "moved.xml")}
        results |= {p: await fetcher.fetch(server.url(p)) for p in ("tmp.xml", "see.xml")}
    for path, result in results.items():
        assert result.requested_url == server.url(path)
        assert result.final_url == server.url("new.xml")
        assert result.body == FEED
    assert results["old.xml"].permanent_redirect_to == server.url("new.xml")
    assert results["moved.xml"].permanent_redirect_to == server.url("new.xml")
    assert results["tmp.xml"].permanent_redirect_to is None
    assert results["see.xml"].permanent_redirect_to is None


async def test_only_the_leading_permanent_hops_move_the_feed(server: FeedServer) -> None:
    server.add("final.xml", FEED)
    # 301 then 302: the feed moved to b.xml, which is borrowing final.xml for now.
    server.redirect("a.xml", "b.xml", 301)
    server.redirect("b.xml", "final.xml", 302)
    # 302 then 301: our URL is only borrowing c.xml; it has not moved at all.
    server.redirect("tmp.xml", "c.xml", 302)
    server.redirect("c.xml", "final.xml", 301)
    async with FeedFetcher(FAST) as fetcher:
        first = await fetcher.fetch(server.url("a.xml"))
        second = await fetcher.fetch(server.url("tmp.xml"))
    assert first.permanent_redirect_to == server.url("b.xml")
    assert second.permanent_redirect_to is None
    assert first.final_url == second.final_url == server.url("final.xml")


async def test_redirect_loops_and_long_chains_are_refused(server: FeedServer) -> None:
    server.redirect("a.xml", "b.xml", 302)
    server.redirect("b.xml", "a.xml", 302)
    for i in range(3):
        server.redirect(f"hop{i}.xml", f"hop{i + 1}.xml", 301)
    server.add("hop3.xml", FEED)
    async with FeedFetcher(
        FetchLimits(total_timeout=2.0, max_redirects=2, allow_networks=LOCAL_NETWORKS)
    ) as fetcher:
        with pytest.raises(FetchError) as loop:
            await fetcher.fetch(server.url("a.xml"))
        with pytest.raises(FetchError) as chain:
            await fetcher.fetch(server.url("hop0.xml"))
    assert loop.value.kind == chain.value.kind == "redirects"
    assert server.hits("a.xml") + server.hits("b.xml") == 3


async def test_a_redirect_to_another_scheme_is_refused(server: FeedServer) -> None:
    server.redirect("evil.xml", "file:///etc/passwd", 302)
    async with FeedFetcher(FAST) as fetcher:
        with pytest.raises(FetchError) as error:
            await fetcher.fetch(server.url("evil.xml"))
    assert error.value.kind == "invalid_url"


# concurrency


async def test_per_host_and_global_concurrency_caps(server: FeedServer) -> None:
    server.add("kz.xml", FEED)
    server.slow("kz.xml", 0.15)
    limits = FetchLimits(
        total_timeout=5.0,
        per_host_concurrency=2,
        global_concurrency=3,
        allow_networks=LOCAL_NETWORKS,
    )
    async with FeedFetcher(limits) as fetcher:
        await asyncio.gather(*(fetcher.fetch(server.url("kz.xml")) for _ in range(4)))
        assert server.max_in_flight == 2  # one host
        server.max_in_flight = 0
        other_host = server.url("kz.xml").replace("127.0.0.1", "localhost")
        await asyncio.gather(
            *(fetcher.fetch(url) for url in [server.url("kz.xml"), other_host] * 3)
        )
        assert server.max_in_flight == 3  # two hosts, but three at most in all
    assert server.hits("kz.xml") == 10


async def test_waiting_for_a_slot_does_not_count_against_the_timeout(
    server: FeedServer,
) -> None:
    server.add("kz.xml", FEED)
    server.slow("kz.xml", 0.4)
    limits = FetchLimits(total_timeout=1.2, per_host_concurrency=1, allow_networks=LOCAL_NETWORKS)
    async with FeedFetcher(limits) as fetcher:
        # The fourth waits 1.2 s or more for its slot, then gets its own 1.2 s.
        results = await asyncio.gather(*(fetcher.fetch(server.url("kz.xml")) for _ in range(4)))
    assert [r.status for r in results] == [200] * 4
    assert server.max_in_flight == 1


async def test_using_the_fetcher_outside_its_context_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match="async context manager"):
        await FeedFetcher().fetch("https://egemen.kz/rss")
