"""HTTP for feeds and article pages: conditional GET, redirects, caps on time and size.

Not `feedparser.parse(url)`: it blocks the event loop and has no size cap. One shared
`httpx.AsyncClient` per fetcher keeps connections alive across the thousands of feeds in a
poll cycle.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from bot.ingest.address_guard import (
    AddressPolicy,
    AddressRefused,
    GuardedTransport,
    IPNetwork,
    Resolver,
)
from bot.ingest.content_coding import SUPPORTED, BoundedDecoder, DecodeError, TooLarge
from bot.logs import get_logger

log = get_logger(__name__)

USER_AGENT = "SayasatDigest/0.1 (+https://github.com/sayasat-digest; feed reader)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.I)
_REDIRECTS = frozenset((301, 302, 303, 307, 308))
_PERMANENT = frozenset((301, 308))


class FetchError(Exception):
    """Any way a fetch can fail; `kind` names it for health records and metrics.

    Kinds: timeout, too_large, http_status, connect, invalid_url, forbidden_address,
    decompression, redirects, protocol (each with its own subclass below), and unexpected
    (a bug somewhere, logged with its traceback).
    """

    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


class FetchTimeout(FetchError):
    def __init__(self, message: str) -> None:
        super().__init__("timeout", message)


class ResponseTooLarge(FetchError):
    def __init__(self, message: str) -> None:
        super().__init__("too_large", message)


class HTTPStatusError(FetchError):
    def __init__(self, status: int, retry_after_s: float | None = None) -> None:
        super().__init__("http_status", f"HTTP {status}", status)
        # 429 and 503 often say when to come back; the scheduler may honour it.
        self.retry_after_s = retry_after_s


class ConnectFailed(FetchError):
    def __init__(self, message: str) -> None:
        super().__init__("connect", message)


class InvalidFetchURL(FetchError):
    def __init__(self, message: str) -> None:
        super().__init__("invalid_url", message)


class ForbiddenAddress(FetchError):
    """The URL, or a redirect hop, leads to a loopback, private, link-local, multicast or
    reserved address outside the allow-list; nothing was sent to it."""

    def __init__(self, host: str, address: str, reason: str, message: str) -> None:
        super().__init__("forbidden_address", message)
        self.host = host
        self.address = address
        self.reason = reason


class DecompressionFailed(FetchError):
    def __init__(self, message: str) -> None:
        super().__init__("decompression", message)


class TooManyRedirects(FetchError):
    def __init__(self, message: str) -> None:
        super().__init__("redirects", message)


class ProtocolFailure(FetchError):
    """The server broke HTTP itself (bad headers, truncated chunking, ...)."""

    def __init__(self, message: str) -> None:
        super().__init__("protocol", message)


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 5.0
    total_timeout: float = 20.0  # the whole request: queueing excluded, redirects included
    max_bytes: int = 5 * 1024 * 1024  # after decompression
    max_redirects: int = 5
    global_concurrency: int = 50
    per_host_concurrency: int = 4
    user_agent: str = USER_AGENT
    # Non-public networks that may be fetched from anyway (tests, private deployments).
    allow_networks: tuple[IPNetwork, ...] = ()


@dataclass(frozen=True)
class FetchResult:
    requested_url: str
    final_url: str
    status: int  # 2xx, or 304 with an empty body
    body: bytes
    content_type: str | None
    # On a 304 without validators of its own, the ones sent: callers can store either way.
    etag: str | None
    last_modified: str | None
    cache_max_age: int | None
    # Target of the leading run of 301/308 hops: where the stored URL should move.
    permanent_redirect_to: str | None
    elapsed_s: float

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FeedFetcher:
    """Use as `async with FeedFetcher() as fetcher:`; safe to share across tasks.

    Every connection, redirect hops included, goes to a public address or one in
    `limits.allow_networks` (see address_guard). `transport` replaces that guarded
    transport entirely (tests hand in an `httpx.MockTransport`); `resolver` replaces DNS.
    """

    def __init__(
        self,
        limits: FetchLimits | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        resolver: Resolver | None = None,
    ) -> None:
        self.limits = limits or FetchLimits()
        self._transport = transport
        self._resolver = resolver
        self._client: httpx.AsyncClient | None = None
        self._global = asyncio.Semaphore(self.limits.global_concurrency)
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.limits.per_host_concurrency)
        )

    async def __aenter__(self) -> FeedFetcher:
        limits = self.limits
        transport = self._transport or GuardedTransport(
            AddressPolicy(limits.allow_networks),
            limits=httpx.Limits(
                max_connections=limits.global_concurrency,
                max_keepalive_connections=min(limits.global_concurrency, 20),
            ),
            resolver=self._resolver,
        )
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,  # followed by hand: each hop is checked and remembered
            timeout=httpx.Timeout(limits.total_timeout, connect=limits.connect_timeout),
            headers={"User-Agent": limits.user_agent, "Accept-Encoding": SUPPORTED},
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
            self._client = None

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """A feed, conditionally: status 304 and an empty body when it has not changed."""
        headers = {"Accept": FEED_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return await self._get(url, headers)

    async def fetch_page(self, url: str) -> FetchResult:
        """An article page, under the same limits."""
        return await self._get(url, {"Accept": PAGE_ACCEPT})

    async def _get(self, url: str, headers: dict[str, str]) -> FetchResult:
        if self._client is None:
            raise RuntimeError("use FeedFetcher as an async context manager")
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError as exc:
            raise InvalidFetchURL(f"{url!r}: {exc}") from None
        # Waiting for a slot is not the server's fault: the timeout starts after it.
        async with self._global, self._hosts[host]:
            started = time.perf_counter()
            try:
                async with asyncio.timeout(self.limits.total_timeout):
                    return await self._follow(url, headers, started)
            except TimeoutError:
                raise FetchTimeout(
                    f"no complete answer in {self.limits.total_timeout:g} s"
                ) from None
            except FetchError:
                raise
            except AddressRefused as exc:
                raise ForbiddenAddress(exc.host, exc.address, exc.reason, str(exc)) from None
            except httpx.TimeoutException:
                raise FetchTimeout("the server did not answer in time") from None
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                raise InvalidFetchURL(str(exc) or url) from None
            except (httpx.ConnectError, httpx.NetworkError, httpx.ProxyError) as exc:
                raise ConnectFailed(f"{type(exc).__name__}: {exc}") from None
            except httpx.HTTPError as exc:
                raise ProtocolFailure(f"{type(exc).__name__}: {exc}") from None
            except (ValueError, UnicodeError) as exc:  # URLs httpx cannot even represent
                raise InvalidFetchURL(f"{type(exc).__name__}: {exc}") from None
            except OSError as exc:  # a custom transport's socket errors
                raise ConnectFailed(f"{type(exc).__name__}: {exc}") from None
            except Exception as exc:
                # Callers handle FetchError only: a surprise (a transport's bug, an httpx
                # corner) must fail this one fetch, loudly in the log, not the poll cycle.
                log.exception("fetch_unexpected_error", url=url)
                raise FetchError("unexpected", f"{type(exc).__name__}: {exc}") from exc

    async def _follow(self, url: str, headers: dict[str, str], started: float) -> FetchResult:
        assert self._client is not None
        current, permanent, leading_permanent = url, None, True
        for _hop in range(self.limits.max_redirects + 1):
            scheme = urlsplit(current).scheme.lower()
            if scheme not in ("http", "https"):
                raise InvalidFetchURL(f"only http and https are fetched, not {current!r}")
            request = self._client.build_request("GET", current, headers=headers)
            response = await self._client.send(request, stream=True)
            try:
                status = response.status_code
                if status in _REDIRECTS:
                    location = response.headers.get("location", "").strip()
                    if not location:
                        raise HTTPStatusError(status)
                    target = urljoin(current, location)
                    # A permanent hop after a temporary one does not move *our* URL.
                    if leading_permanent and status in _PERMANENT:
                        permanent = target
                    else:
                        leading_permanent = False
                    current = target
                    continue
                if status == 304:
                    return _result(url, current, response, b"", permanent, started, headers)
                if not 200 <= status < 300:
                    raise HTTPStatusError(status, _retry_after(response))
                body = await self._read_capped(response)
                return _result(url, current, response, body, permanent, started, headers)
            finally:
                await response.aclose()
        raise TooManyRedirects(f"more than {self.limits.max_redirects} redirects from {url}")

    async def _read_capped(self, response: httpx.Response) -> bytes:
        cap = self.limits.max_bytes
        declared = response.headers.get("content-length", "").strip()
        # Refused before reading; with gzip this is the compressed size, a lower bound.
        if declared.isdigit() and int(declared) > cap:
            raise ResponseTooLarge(f"{int(declared)} bytes declared, limit {cap}")
        try:
            decoder = BoundedDecoder(response.headers.get("content-encoding"), cap)
        except DecodeError as exc:
            raise DecompressionFailed(str(exc)) from None
        chunks: list[bytes] = []
        try:
            # Raw bytes, decoded here in bounded steps (see content_coding for why).
            async for raw in response.aiter_raw():
                chunks.append(decoder.feed(raw))
            chunks.append(decoder.flush())
        except TooLarge as exc:
            raise ResponseTooLarge(str(exc)) from None
        except DecodeError as exc:
            raise DecompressionFailed(str(exc)) from None
        return b"".join(chunks)


def _result(
    requested: str,
    final: str,
    response: httpx.Response,
    body: bytes,
    permanent: str | None,
    started: float,
    sent: dict[str, str],
) -> FetchResult:
    not_modified = response.status_code == 304
    etag = response.headers.get("etag") or (sent.get("If-None-Match") if not_modified else None)
    last_modified = response.headers.get("last-modified") or (
        sent.get("If-Modified-Since") if not_modified else None
    )
    max_age = _MAX_AGE.search(response.headers.get("cache-control", ""))
    return FetchResult(
        requested_url=requested,
        final_url=final,
        status=response.status_code,
        body=body,
        content_type=response.headers.get("content-type"),
        etag=etag,
        last_modified=last_modified,
        cache_max_age=int(max_age.group(1)) if max_age else None,
        permanent_redirect_to=permanent,
        elapsed_s=time.perf_counter() - started,
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())
