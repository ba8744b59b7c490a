"""HTTP for feeds and article pages: conditional GET, redirects, caps on time and size.

Not `feedparser.parse(url)`: it blocks the event loop and has no size cap.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

USER_AGENT = "SayasatDigest/0.1 (+https://github.com/sayasat-digest; feed reader)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
_MAX_AGE = re.compile(r"max-age\s*=\s*(\d+)", re.I)


class FetchError(Exception):
    """Any way a fetch can fail; `kind` names it for health records and metrics."""

    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 5.0
    total_timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    global_concurrency: int = 50
    per_host_concurrency: int = 4
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class FetchResult:
    requested_url: str
    final_url: str
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    cache_max_age: int | None
    permanent_redirect_to: str | None
    elapsed_s: float


class FeedFetcher:
    def __init__(
        self,
        limits: FetchLimits | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.limits = limits or FetchLimits()
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._global = asyncio.Semaphore(self.limits.global_concurrency)
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.limits.per_host_concurrency)
        )

    async def __aenter__(self) -> FeedFetcher:
        limits = self.limits
        self._client = httpx.AsyncClient(
            transport=self._transport,
            follow_redirects=False,  # followed by hand: each hop is checked and remembered
            timeout=httpx.Timeout(limits.total_timeout, connect=limits.connect_timeout),
            headers={"User-Agent": limits.user_agent},
            limits=httpx.Limits(max_connections=limits.global_concurrency),
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        headers = {"Accept": FEED_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return await self._get(url, headers)

    async def fetch_page(self, url: str) -> FetchResult:
        return await self._get(url, {"Accept": PAGE_ACCEPT})

    async def _get(self, url: str, headers: dict[str, str]) -> FetchResult:
        host = urlsplit(url).hostname or ""
        started = time.perf_counter()
        async with self._global, self._hosts[host]:
            try:
                async with asyncio.timeout(self.limits.total_timeout):
                    return await self._follow(url, headers, started)
            except TimeoutError:
                raise FetchError(
                    "timeout", f"no complete answer in {self.limits.total_timeout:g} s"
                ) from None

    async def _follow(self, url: str, headers: dict[str, str], started: float) -> FetchResult:
        assert self._client is not None, "use FeedFetcher as an async context manager"
        current, permanent, chain_permanent = url, None, True
        for _hop in range(self.limits.max_redirects + 1):
            scheme = urlsplit(current).scheme
            if scheme not in ("http", "https"):
                raise FetchError("invalid_url", f"only http and https are fetched, not {scheme!r}")
            try:
                request = self._client.build_request("GET", current, headers=headers)
                response = await self._client.send(request, stream=True)
            except httpx.TimeoutException:
                raise FetchError("timeout", "the server did not answer in time") from None
            except httpx.InvalidURL as exc:
                raise FetchError("invalid_url", str(exc)) from None
            except httpx.HTTPError as exc:
                raise FetchError("connect", f"{type(exc).__name__}: {exc}") from None
            try:
                if response.status_code in (301, 302, 303, 307, 308):
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(
                            "http_status", "redirect without Location", response.status_code
                        )
                    target = urljoin(current, location)
                    # Only the unbroken run of permanent hops from the start moves the feed.
                    if chain_permanent and response.status_code in (301, 308):
                        permanent = target
                    else:
                        chain_permanent = False
                    current = target
                    continue
                if response.status_code == 304:
                    return self._result(url, current, response, b"", permanent, started)
                if response.status_code >= 400:
                    raise FetchError(
                        "http_status", f"HTTP {response.status_code}", response.status_code
                    )
                body = await self._read_capped(response)
                return self._result(url, current, response, body, permanent, started)
            finally:
                await response.aclose()
        raise FetchError("redirects", f"more than {self.limits.max_redirects} redirects")

    async def _read_capped(self, response: httpx.Response) -> bytes:
        cap = self.limits.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError("too_large", f"{int(declared)} bytes declared, limit {cap}")
        chunks: list[bytes] = []
        size = 0
        try:
            # aiter_bytes yields *decoded* bytes, so the cap bounds a gzip bomb's output too.
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    raise FetchError("too_large", f"more than {cap} bytes")
                chunks.append(chunk)
        except httpx.DecodingError as exc:
            raise FetchError("decompression", str(exc)) from None
        except httpx.TimeoutException:
            raise FetchError("timeout", "the body did not arrive in time") from None
        except httpx.HTTPError as exc:
            raise FetchError("connect", f"{type(exc).__name__}: {exc}") from None
        return b"".join(chunks)

    @staticmethod
    def _result(
        requested: str,
        final: str,
        response: httpx.Response,
        body: bytes,
        permanent: str | None,
        started: float,
    ) -> FetchResult:
        cache_control = response.headers.get("cache-control", "")
        max_age = _MAX_AGE.search(cache_control)
        return FetchResult(
            requested_url=requested,
            final_url=final,
            status=response.status_code,
            body=body,
            content_type=response.headers.get("content-type"),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            cache_max_age=int(max_age.group(1)) if max_age else None,
            permanent_redirect_to=permanent,
            elapsed_s=time.perf_counter() - started,
        )
