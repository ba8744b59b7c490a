"""A local HTTP server for feeds and article pages, with the ways real servers misbehave:
ETag / Last-Modified and 304, failures, redirects, slowness, slow-loris drips, huge bodies
and gzip bombs (generated on the fly, never held in memory).

    async with FeedServer() as server:
        server.add("kz.xml", body)
        server.fail("kz.xml", 500, times=2)  # two failures, then the feed again
        url = server.url("kz.xml")
"""

from __future__ import annotations

import asyncio
import hashlib
import zlib
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime

from aiohttp import web

# Fixed, so Last-Modified is reproducible: 2026-09-21T11:06:40Z.
_EPOCH = 1_790_000_000
_WRITE = 64 * 1024


@dataclass
class _Resource:
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""
    last_modified: str = ""
    modified_at: int = 0


@dataclass
class _Failure:
    status: int
    remaining: int | None  # None: fail forever


class FeedServer:
    def __init__(self) -> None:
        self._resources: dict[str, _Resource] = {}
        self._failures: dict[str, _Failure] = {}
        self._redirects: dict[str, tuple[str, int]] = {}
        self._delays: dict[str, float] = {}
        self._drips: dict[str, float] = {}
        self._bombs: dict[str, int] = {}
        self._huge: dict[str, int] = {}
        self._version = 0
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.in_flight = 0  # requests being answered right now
        self.max_in_flight = 0  # the most at once: what concurrency caps are tested with
        self._runner: web.AppRunner | None = None
        self.port = 0

    # lifecycle

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FeedServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # programming

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{_key(path)}"

    def add(
        self,
        path: str,
        body: bytes,
        content_type: str = "application/rss+xml; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Serve `body`; adding a path again is a new version (new ETag, later date)."""
        self._version += 1
        modified_at = _EPOCH + 60 * self._version
        self._resources[_key(path)] = _Resource(
            body=body,
            content_type=content_type,
            headers=dict(headers or {}),
            etag=f'"{hashlib.sha1(body).hexdigest()[:16]}"',
            last_modified=formatdate(modified_at, usegmt=True),
            modified_at=modified_at,
        )

    def fail(self, path: str, status: int, times: int | None = None) -> None:
        """Answer `status` the next `times` requests (forever when None)."""
        self._failures[_key(path)] = _Failure(status, times)

    def redirect(self, path: str, to_path: str, status: int = 301) -> None:
        """`to_path` may be a path on this server or an absolute URL."""
        self._redirects[_key(path)] = (to_path, status)

    def slow(self, path: str, delay_s: float) -> None:
        self._delays[_key(path)] = delay_s

    def drip(self, path: str, bytes_per_s: float) -> None:
        """Send headers at once, then the body a byte at a time (slow loris)."""
        self._drips[_key(path)] = bytes_per_s

    def gzip_bomb(self, path: str, decompressed_size: int) -> None:
        self._bombs[_key(path)] = decompressed_size

    def huge(self, path: str, size: int) -> None:
        """Stream `size` bytes of valid-looking RSS, chunked, without Content-Length."""
        self._huge[_key(path)] = size

    # inspection

    def hits(self, path: str) -> int:
        key = _key(path)
        return sum(1 for p, _ in self.requests if p == key)

    def headers_of_last(self, path: str) -> dict[str, str]:
        key = _key(path)
        return [h for p, h in self.requests if p == key][-1]

    # serving

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.match_info["path"], dict(request.headers)))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._answer(request, request.match_info["path"])
        finally:
            self.in_flight -= 1

    async def _answer(self, request: web.Request, path: str) -> web.StreamResponse:
        if self._delays.get(path):
            await asyncio.sleep(self._delays[path])
        failure = self._failures.get(path)
        if failure is not None and failure.remaining != 0:
            if failure.remaining is not None:
                failure.remaining -= 1
            return web.Response(status=failure.status, text="failure on demand")
        if path in self._redirects:
            target, status = self._redirects[path]
            location = target if "://" in target else f"/{_key(target)}"
            return web.Response(status=status, headers={"Location": location})
        if path in self._bombs:
            return await self._stream_bomb(request, self._bombs[path])
        if path in self._huge:
            return await self._stream_huge(request, self._huge[path])
        resource = self._resources.get(path)
        if resource is None:
            return web.Response(status=404, text="not found")
        if _not_modified(request, resource):
            return web.Response(
                status=304,
                headers={"ETag": resource.etag, "Last-Modified": resource.last_modified},
            )
        headers = {
            "ETag": resource.etag,
            "Last-Modified": resource.last_modified,
            "Content-Type": resource.content_type,
            **resource.headers,
        }
        if path in self._drips:
            return await self._stream_drip(request, resource.body, self._drips[path], headers)
        return web.Response(body=resource.body, headers=headers)

    async def _stream_bomb(self, request: web.Request, size: int) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"}
        )
        await response.prepare(request)
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip framing
        zeros = b"\0" * (1 << 20)
        sent = 0
        try:
            await response.write(compressor.compress(b"<?xml version='1.0'?><rss>"))
            while sent < size and not _gone(request):
                step = min(len(zeros), size - sent)
                out = compressor.compress(zeros[:step] if step < len(zeros) else zeros)
                if out:
                    await response.write(out)
                sent += step
                # write() only yields when the socket buffer is full, which ~1 KB per
                # compressed MB never fills: without this the client (same event loop in
                # tests) would wait until the whole bomb was compressed.
                await asyncio.sleep(0)
            await response.write(compressor.flush())
            await response.write_eof()
        except (ConnectionResetError, RuntimeError):
            pass  # the client gave up, as it should
        return response

    async def _stream_huge(self, request: web.Request, size: int) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        response.enable_chunked_encoding()  # no Content-Length: the client must count
        await response.prepare(request)
        item = b"<item><title>x</title><description>" + b"y" * 1000 + b"</description></item>"
        block = item * (_WRITE // len(item))
        sent = 0
        try:
            await response.write(b"<?xml version='1.0'?><rss version='2.0'><channel>")
            while sent < size and not _gone(request):
                await response.write(block)
                sent += len(block)
            await response.write(b"</channel></rss>")
            await response.write_eof()
        except (ConnectionResetError, RuntimeError):
            pass
        return response

    async def _stream_drip(
        self, request: web.Request, body: bytes, rate: float, headers: dict[str, str]
    ) -> web.StreamResponse:
        response = web.StreamResponse(headers=headers)
        response.content_length = len(body)
        await response.prepare(request)
        try:
            for i in range(len(body)):
                await response.write(body[i : i + 1])
                await asyncio.sleep(1 / rate)
            await response.write_eof()
        except (ConnectionResetError, RuntimeError):
            pass
        return response


def _key(path: str) -> str:
    return path.lstrip("/")


def _gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


def _not_modified(request: web.Request, resource: _Resource) -> bool:
    # RFC 9110: If-None-Match wins; If-Modified-Since only counts without it.
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or resource.etag in tags
    since = request.headers.get("If-Modified-Since")
    if since:
        try:
            return parsedate_to_datetime(since).timestamp() >= resource.modified_at
        except (TypeError, ValueError):
            return False
    return False
