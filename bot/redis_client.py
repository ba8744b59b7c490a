"""The asyncio Redis client the bot uses, for every form `REDIS_URL` can take.

    redis://[[user]:password@]host[:port][/db]            one server
    rediss://…                                            the same over TLS
    unix://[[user]:password@]/path/to/redis.sock[?db=N]   one server on a unix socket
    redis+sentinel://[[user]:password@]host[:port][,host[:port]…]/service[/db]
    redis+cluster://[[user]:password@]host[:port][,host[:port]…]

`rediss+sentinel://` and `rediss+cluster://` are the TLS forms of the last two. The user
and password are the data servers' (for Sentinel: the master's and replicas'); sentinels
that want their own take `?sentinel_username=…&sentinel_password=…`. Other query options
are redis-py's (`ssl_ca_certs`, `ssl_cert_reqs`, `socket_timeout`, …).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.connection import SSLConnection, parse_url
from redis.asyncio.retry import Retry
from redis.asyncio.sentinel import (
    MasterNotFoundError,
    Sentinel,
    SentinelConnectionPool,
    SentinelManagedConnection,
)
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.utils import str_if_bytes

from bot.redis_server import RedisLaunchError, client_name

# Enough for the poll cycle's concurrent fetches plus the delivery workers; a burst beyond
# it waits for a free connection rather than failing (the default pool raises at once).
MAX_CONNECTIONS = 64
CONNECTION_WAIT_SECONDS = 20
# redis-py's Cluster client has no waiting pool: past this many connections to one node
# it raises. Twice the single-server pool, so the same bursts fit without waiting.
CLUSTER_MAX_CONNECTIONS_PER_NODE = 2 * MAX_CONNECTIONS
SENTINEL_PORT = 26379
# How often, at most, the Sentinel client asks where the master is (see below).
MASTER_CHECK_SECONDS = 1.0
REDIS_PORT = 6379

# Either client: the bot's stores call the same commands on both.
RedisClient = Redis | RedisCluster


class RedisUrlError(RedisLaunchError):
    """A REDIS_URL the bot cannot use. The message never repeats the URL (it may hold a
    password); the command line reports it like a launch failure, exit code 2."""


def connect(url: str) -> RedisClient:
    """A client that retries across a Redis restart or failover instead of failing."""
    scheme = url.partition("://")[0].lower()
    if scheme in ("redis", "rediss", "unix"):
        return _single(url)
    if scheme in ("redis+sentinel", "rediss+sentinel"):
        return _sentinel(_MultiHostUrl.parse(url, SENTINEL_PORT))
    if scheme in ("redis+cluster", "rediss+cluster"):
        return _cluster(_MultiHostUrl.parse(url, REDIS_PORT))
    raise RedisUrlError(
        f"REDIS_URL: unknown scheme {scheme!r}; use redis://, rediss://, unix://, "
        "redis+sentinel:// or redis+cluster://"
    )


def _common() -> dict[str, Any]:
    return {
        "decode_responses": True,
        "client_name": client_name(),
        "health_check_interval": 30,
        "socket_connect_timeout": 5,
        "retry": Retry(ExponentialBackoff(cap=2.0, base=0.1), retries=6),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
    }


def _single(url: str) -> Redis:
    pool = BlockingConnectionPool.from_url(
        url, max_connections=MAX_CONNECTIONS, timeout=CONNECTION_WAIT_SECONDS, **_common()
    )
    return Redis.from_pool(pool)  # the client owns the pool and closes it


class _BlockingSentinelPool(SentinelConnectionPool, BlockingConnectionPool):
    """Sentinel's pool (asks the sentinels where the master is) with the single-server
    pool's waiting for a free connection, and a quicker move after a failover.

    redis-py asks the sentinels only when it opens a connection, so after a failover that
    left the old master running (SENTINEL FAILOVER, a network split) the pooled
    connections kept writing to it until the sentinels demoted it, some 10 s later, and
    those writes were lost with its data. Here the master's address is checked at most
    once a second when a connection is taken, and a connection to a former master is
    reopened to the new one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._next_master_check = 0.0
        self._master_check = asyncio.Lock()

    async def get_connection(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_master:
            await self._check_master()
        connection = await super().get_connection(*args, **kwargs)
        if (
            self.is_master
            and self.master_address is not None
            and (connection.host, connection.port) != self.master_address
        ):
            try:
                await connection.disconnect()
                await connection.connect()
            except BaseException:
                await self.release(connection)
                raise
        return connection

    async def _check_master(self) -> None:
        if time.monotonic() < self._next_master_check:
            return
        # Callers arriving while a check is under way wait for its answer: going ahead with
        # the address it is about to replace would send their commands to a former master.
        async with self._master_check:
            if time.monotonic() < self._next_master_check:
                return  # checked while this caller waited
            # Only a shortcut: when no sentinel answers, connecting fails and retries as
            # it would without this check.
            with contextlib.suppress(RedisConnectionError, RedisTimeoutError):
                await self.get_master_address()
            # Not on cancellation or an unexpected error: the next caller checks instead.
            self._next_master_check = time.monotonic() + MASTER_CHECK_SECONDS


class _SentinelConnection(SentinelManagedConnection):
    """A connection to the master that asks the sentinels where it is every time it opens
    its socket. redis-py (#3874) asks only on the pool's first connect: a reconnect in a
    command's retry went back to the dead master's address until the retries ran out."""

    async def _connect(self) -> None:
        if self.connection_pool.is_master:
            self.host, self.port = await self.connection_pool.get_master_address()
        await super()._connect()


class _SentinelSSLConnection(_SentinelConnection, SSLConnection):
    pass


class _Sentinel(Sentinel):
    """Takes the master's address from SENTINEL GET-MASTER-ADDR-BY-NAME, as the Sentinel
    client guidelines say. redis-py reads it from SENTINEL MASTERS, which keeps naming the
    old master until the failover has ended, some 100 ms after the sentinel started naming
    the promoted replica: a check in that gap kept the bot on the old master for another
    MASTER_CHECK_SECONDS, and its writes were lost when the old master was demoted."""

    async def discover_master(self, service_name: str) -> tuple[str, int]:
        errors: list[str] = []
        for number, sentinel in enumerate(self.sentinels):
            try:
                async with sentinel.pipeline(transaction=False) as pipe:
                    pipe.sentinel_master(service_name)
                    pipe.sentinel_get_master_addr_by_name(service_name)
                    state, address = await pipe.execute(raise_on_error=False)
            except (RedisConnectionError, RedisTimeoutError) as exc:
                errors.append(f"{sentinel} - {exc!r}")
                continue
            if isinstance(state, Exception) or not address:
                continue  # this sentinel does not watch the service
            host, port = str_if_bytes(address[0]), int(address[1])
            # Past the promotion the sentinel names the replica while `state` still
            # describes the old master, whose down flags are then no reason to refuse it.
            promoted = (host, port) != (state["ip"], state["port"])
            if (
                state["num-other-sentinels"] >= self.min_other_sentinels
                if promoted
                else self.check_master_state(state, service_name)
            ):
                # As redis-py does: the sentinel that answered is asked first next time.
                self.sentinels[0], self.sentinels[number] = sentinel, self.sentinels[0]
                return host, port
        detail = f" : {', '.join(errors)}" if errors else ""
        raise MasterNotFoundError(f"No master found for {service_name!r}{detail}")


class _SentinelClient(Redis):
    """The master's client; closing it also closes the connections to the sentinels."""

    sentinel: Sentinel | None = None

    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        await super().aclose(close_connection_pool)
        if self.sentinel is not None:
            await self.sentinel.aclose()


def _sentinel(parsed: _MultiHostUrl) -> Redis:
    if not parsed.path or not parsed.path[0]:
        raise RedisUrlError("REDIS_URL: a Sentinel URL names its service: …/service_name[/db]")
    if len(parsed.path) > 2:
        raise RedisUrlError("REDIS_URL: a Sentinel URL's path is /service_name[/db]")
    service = parsed.path[0]
    sentinel_kwargs: dict[str, Any] = {"socket_connect_timeout": 5, "socket_timeout": 5}
    for name in ("username", "password"):
        value = parsed.query.pop(f"sentinel_{name}", None)
        if value:
            sentinel_kwargs[name] = value
    data = parsed.data_server_kwargs(db=parsed.path[1] if len(parsed.path) == 2 else None)
    tls = data.pop("connection_class", None) is SSLConnection
    data["connection_class"] = _SentinelSSLConnection if tls else _SentinelConnection
    if tls:
        sentinel_kwargs["ssl"] = True
        sentinel_kwargs.update({k: v for k, v in data.items() if k.startswith("ssl_")})
    sentinel = _Sentinel(parsed.hosts, sentinel_kwargs=sentinel_kwargs)
    client = sentinel.master_for(
        service,
        redis_class=_SentinelClient,
        connection_pool_class=_BlockingSentinelPool,
        max_connections=MAX_CONNECTIONS,
        timeout=CONNECTION_WAIT_SECONDS,
        **{**_common(), **data},  # options in the URL win, as for one server
    )
    assert isinstance(client, _SentinelClient)
    client.sentinel = sentinel
    return client


def _cluster(parsed: _MultiHostUrl) -> RedisCluster:
    if parsed.path:
        raise RedisUrlError("REDIS_URL: a Cluster has only database 0; drop the /path")
    data = parsed.data_server_kwargs(db=None)
    if data.pop("connection_class", None) is SSLConnection:
        data["ssl"] = True
    data.pop("db", None)
    return RedisCluster(
        startup_nodes=[ClusterNode(host, port) for host, port in parsed.hosts],
        max_connections=CLUSTER_MAX_CONNECTIONS_PER_NODE,
        **{**_common(), **data},
    )


@dataclass
class _MultiHostUrl:
    """`scheme://[user:password@]host:port[,host:port…][/path…][?query]`, which
    urllib cannot split (it allows one host)."""

    tls: bool
    hosts: list[tuple[str, int]]
    userinfo: str
    path: list[str]
    query: dict[str, str]

    @classmethod
    def parse(cls, url: str, default_port: int) -> _MultiHostUrl:
        scheme, _, rest = url.partition("://")
        rest, _, query = rest.partition("?")
        netloc, _, path = rest.partition("/")
        userinfo, _, hostlist = netloc.rpartition("@")
        hosts = [_host_port(part, default_port) for part in hostlist.split(",") if part]
        if not hosts:
            raise RedisUrlError("REDIS_URL: no host:port in the URL")
        return cls(
            tls=scheme.lower().startswith("rediss"),
            hosts=hosts,
            userinfo=userinfo,
            path=[unquote(p) for p in path.split("/") if p],
            query=dict(parse_qsl(query)),
        )

    def data_server_kwargs(self, db: str | None) -> dict[str, Any]:
        """Credentials, TLS, database and query options for the data servers, parsed by
        redis-py's own URL parser from the one-host URL they amount to."""
        host, port = self.hosts[0]
        one_host = (
            f"{'rediss' if self.tls else 'redis'}://"
            f"{self.userinfo + '@' if self.userinfo else ''}"
            f"{'[' + host + ']' if ':' in host else host}:{port}/{db or 0}"
            f"{'?' + urlencode(self.query) if self.query else ''}"
        )
        try:
            kwargs = parse_url(one_host)
        except ValueError as exc:
            raise RedisUrlError(f"REDIS_URL: {exc}") from None
        kwargs.pop("host", None)
        kwargs.pop("port", None)
        return kwargs


def _host_port(part: str, default_port: int) -> tuple[str, int]:
    if part.startswith("["):  # [::1]:26379
        host, _, port = part[1:].partition("]")
        port = port.removeprefix(":")
    else:
        host, _, port = part.partition(":")
    if not host:
        raise RedisUrlError("REDIS_URL: an empty host in the host list")
    try:
        return host, int(port) if port else default_port
    except ValueError:
        raise RedisUrlError(f"REDIS_URL: port {port!r} is not a number") from None
