"""Server-side request forgery guard: fetch only from public addresses.

Feed and article URLs come from admins, OPML files and the feeds themselves, so a URL may
point at this machine (127.0.0.1), the private network (10.0.0.1) or a cloud metadata
service (169.254.169.254), directly, through a host name, through a redirect, or through
a DNS answer that changes between a check and the connection (DNS rebinding).

The check therefore sits where the socket is opened: `GuardedBackend.connect_tcp`
resolves the host once, refuses every address that is not public (unless an allow-list
network holds it) and connects to the checked IP literal itself, so nothing resolves the
name a second time. Every connection goes through it, every redirect hop included. TLS is
unaffected: httpcore takes the certificate name (SNI) from the URL's host, not from the
address connected to.

`GuardedTransport` is the httpx transport built on it (httpx's own `AsyncHTTPTransport`
takes no network backend): the request/response conversion of httpx's transport over an
`httpcore.AsyncConnectionPool` with this backend.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# (host, port) -> the addresses to try, in order. Injectable for tests (DNS rebinding).
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT; not "private" to Python
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the IPv4 address is in the last 32 bits


class AddressRefused(Exception):
    """The host resolves only to addresses the policy refuses; nothing was connected."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        self.host = host
        self.address = address
        self.reason = reason
        if _same_address(host, address):
            message = f"{address} is {_article(reason)} {reason} address: not fetched"
        else:
            message = (
                f"{host} resolves to {address}, {_article(reason)} {reason} address: not fetched"
            )
        super().__init__(message)


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses only, plus whatever the allow-list networks hold."""

    allow: tuple[IPNetwork, ...] = ()

    def refusal(self, address: IPAddress) -> str | None:
        """Why `address` may not be connected to, or None when it may."""
        embedded = _embedded_ipv4(address)
        if self._allowed(address) or (embedded is not None and self._allowed(embedded)):
            return None
        # These IPv6 forms reach the IPv4 address they carry (DNS64 gives 64:ff9b:: ones
        # for IPv4-only sites): that address decides, not the IPv6 prefix (::/8 "reserved").
        return non_public_reason(embedded if embedded is not None else address)

    def _allowed(self, address: IPAddress) -> bool:
        return any(address in network for network in self.allow)


def non_public_reason(address: IPAddress) -> str | None:
    """The kind of non-public address this is, or None for a public one."""
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address in _SHARED:
        return "shared (carrier-grade NAT)"
    if address.is_private:  # 10/8, 172.16/12, 192.168/16, 0/8, fc00::/7, documentation, ...
        return "private"
    if address.is_reserved:
        return "reserved"
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return "site-local"
    if not address.is_global:
        return "non-global"
    return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, NAT64), if any."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _same_address(host: str, address: str) -> bool:
    literal = _literal(host)
    return literal is not None and literal == _literal(address)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


async def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's answer (getaddrinfo), each address once, in its order."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check, then connect to the checked address literal (never the name)."""

    def __init__(
        self,
        policy: AddressPolicy,
        resolver: Resolver | None = None,
        backend: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._policy = policy
        self._resolve = resolver or system_resolver
        self._backend = backend or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        literal = _literal(host)
        addresses = [literal] if literal is not None else await self._addresses(host, port, timeout)
        allowed: list[str] = []
        refused: tuple[str, str] | None = None
        for address in addresses:
            reason = self._policy.refusal(address)
            if reason is None:
                allowed.append(str(address))
            elif refused is None:
                refused = (str(address), reason)
        if not allowed:
            if refused is None:
                raise httpcore.ConnectError(f"{host} has no address")
            raise AddressRefused(host, *refused)
        # Refused addresses among allowed ones are skipped, never tried.
        last_error: Exception | None = None
        for address in allowed:
            try:
                return await self._backend.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None
        raise last_error

    async def _addresses(self, host: str, port: int, limit_s: float | None) -> list[IPAddress]:
        try:
            async with asyncio.timeout(limit_s):
                answers = await self._resolve(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} took over {limit_s:g} s") from None
        except OSError as exc:  # socket.gaierror: no such host, no DNS
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
        addresses = []
        for answer in answers:
            address = _literal(answer)
            if address is None:
                raise httpcore.ConnectError(f"resolver gave {answer!r} for {host}, not an address")
            addresses.append(address)
        return addresses

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


# httpcore's errors as httpx's, most specific first (as httpx's own transport maps them).
_ERRORS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for source, target in _ERRORS:
            if isinstance(exc, source):
                raise target(str(exc)) from exc
        raise


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterator[bytes] | Any) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_errors():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        if hasattr(self._stream, "aclose"):
            await self._stream.aclose()


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport whose every connection passes the address policy."""

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        limits: httpx.Limits | None = None,
        resolver: Resolver | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        limits = limits or httpx.Limits()
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy, resolver),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx_errors():
            response = await self._pool.handle_async_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()
