"""Server-side request forgery: feeds and article pages only from public addresses.

Real sockets throughout. The feed server listens on 127.0.0.1, which is refused unless
allowed; a second small server (`Site`) listens on 127.0.0.2 and stands in for a public
outlet, with the allow-list holding exactly 127.0.0.2/32. Host names other than the
system's own ("localhost", odd IPv4 spellings) are answered by an injected resolver.
"""

from __future__ import annotations

import ssl
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from ipaddress import ip_address, ip_network
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from bot.ingest.address_guard import AddressPolicy, GuardedTransport
from bot.ingest.fetch import FeedFetcher, FetchError, FetchLimits, ForbiddenAddress
from config.settings import SettingsError, load_settings
from tests.fakes.feed_server import FeedServer
from tests.ingest.feeds import POLITICS_KK, rss

FEED = rss([{"title": POLITICS_KK["title"], "link": "https://x.kz/1"}]).encode()
SECRET = b"internal: not for the outside"
PUBLIC_STAND_IN = "127.0.0.2"
DEFAULT = FetchLimits(connect_timeout=1.0, total_timeout=2.0)  # no allow-list
ONLY_SITE = FetchLimits(
    connect_timeout=1.0, total_timeout=2.0, allow_networks=(ip_network("127.0.0.2/32"),)
)
TLS = Path(__file__).parent / "fixtures" / "tls"  # self-signed, for the name feeds.test only


class Site:
    """A tiny HTTP(S) server on any loopback address: fixed answers, counted hits.
    Every answer closes its connection, so each request connects (and resolves) anew."""

    def __init__(self, host: str, port: int = 0, ssl_context: ssl.SSLContext | None = None):
        self.host, self.port, self._ssl = host, port, ssl_context
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.hits: Counter[str] = Counter()
        self._runner: web.AppRunner | None = None

    def add(self, path: str, body: bytes) -> None:
        self.routes[path] = (200, {"Content-Type": "application/rss+xml"}, body)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = (status, {"Location": location}, b"")

    def url(self, path: str, host: str | None = None) -> str:
        scheme = "https" if self._ssl else "http"
        return f"{scheme}://{host or self.host}:{self.port}/{path}"

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        self.hits[path] += 1
        status, headers, body = self.routes.get(path, (404, {}, b""))
        response = web.Response(status=status, headers=headers, body=body)
        response.force_close()
        return response

    async def __aenter__(self) -> Site:
        app = web.Application()
        app.router.add_route("GET", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, ssl_context=self._ssl)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


class ScriptedDNS:
    """Answers each lookup with the next scripted answer (the last one repeats)."""

    def __init__(self, *answers: Sequence[str]) -> None:
        self._answers = list(answers)
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.lookups.append(host)
        return self._answers.pop(0) if len(self._answers) > 1 else self._answers[0]


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    """The internal service an attacker wants to reach, on 127.0.0.1."""
    async with FeedServer() as srv:
        srv.add("secret.xml", SECRET)
        yield srv


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    async with Site(PUBLIC_STAND_IN) as public:
        public.add("feed.xml", FEED)
        yield public


async def refused(url: str, limits: FetchLimits = DEFAULT, **kwargs: object) -> ForbiddenAddress:
    async with FeedFetcher(limits, **kwargs) as fetcher:  # type: ignore[arg-type]
        with pytest.raises(ForbiddenAddress) as error:
            await fetcher.fetch(url)
    assert isinstance(error.value, FetchError)
    assert error.value.kind == "forbidden_address"
    return error.value


# addresses in the URL


@pytest.mark.parametrize(
    ("host", "address", "reason"),
    [
        ("127.0.0.1", "127.0.0.1", "loopback"),
        ("10.0.0.1", "10.0.0.1", "private"),
        ("192.168.1.1", "192.168.1.1", "private"),
        ("172.16.0.1", "172.16.0.1", "private"),
        ("169.254.169.254", "169.254.169.254", "link-local"),  # cloud metadata
        ("[::1]", "::1", "loopback"),
        ("0.0.0.0", "0.0.0.0", "unspecified"),  # reaches this machine on Linux
        ("100.64.0.1", "100.64.0.1", "shared (carrier-grade NAT)"),
        ("224.0.0.1", "224.0.0.1", "multicast"),
        ("240.0.0.1", "240.0.0.1", "private"),  # reserved; Python files 240/4 as private
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("[::ffff:169.254.169.254]", "::ffff:169.254.169.254", "link-local"),
        ("[64:ff9b::a9fe:a9fe]", "64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of 169.254…
        ("[2002:7f00:1::]", "2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("[fe80::1]", "fe80::1", "link-local"),
        ("[fd00::1]", "fd00::1", "private"),
        ("[ff02::1]", "ff02::1", "multicast"),
    ],
)
async def test_non_public_addresses_are_refused_by_default(
    server: FeedServer, host: str, address: str, reason: str
) -> None:
    error = await refused(f"http://{host}:{server.port}/secret.xml")
    # (Python before 3.13 spells IPv4-mapped addresses in hex: ::ffff:7f00:1.)
    assert (ip_address(error.address), error.reason) == (ip_address(address), reason)
    article = "an" if reason[0] in "aeiou" else "a"
    assert str(error) == f"{error.address} is {article} {reason} address: not fetched"
    assert server.hits("secret.xml") == 0


async def test_host_names_that_resolve_to_loopback_are_refused(server: FeedServer) -> None:
    # The system's resolver: localhost, and IPv4 spellings httpx passes on as host names.
    for host in ("localhost", "127.1", "2130706433", "0x7f000001"):
        error = await refused(f"http://{host}:{server.port}/secret.xml")
        assert (error.host, error.address, error.reason) == (host, "127.0.0.1", "loopback")
        assert str(error) == f"{host} resolves to 127.0.0.1, a loopback address: not fetched"
    assert server.hits("secret.xml") == 0


async def test_a_name_pointing_at_the_metadata_service_is_refused(server: FeedServer) -> None:
    dns = ScriptedDNS(["169.254.169.254"])
    error = await refused("http://metadata.attacker.kz/latest/meta-data/", resolver=dns)
    assert str(error) == (
        "metadata.attacker.kz resolves to 169.254.169.254, a link-local address: not fetched"
    )
    assert dns.lookups == ["metadata.attacker.kz"]


async def test_article_pages_are_guarded_like_feeds(server: FeedServer) -> None:
    server.add("page.html", SECRET)
    async with FeedFetcher(DEFAULT) as fetcher:
        with pytest.raises(ForbiddenAddress):
            await fetcher.fetch_page(server.url("page.html"))
    assert server.hits("page.html") == 0


# schemes


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://x.kz/rss.xml",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "dict://127.0.0.1:11211/stats",
        "ws://x.kz/feed",
        "data:text/xml,<rss/>",
    ],
)
async def test_only_http_and_https_are_fetched(url: str) -> None:
    async with FeedFetcher(DEFAULT) as fetcher:
        with pytest.raises(FetchError) as error:
            await fetcher.fetch(url)
    assert error.value.kind == "invalid_url"


async def test_a_redirect_to_another_scheme_is_refused(site: Site) -> None:
    site.redirect("gopher.xml", "gopher://127.0.0.1:6379/_FLUSHALL")
    async with FeedFetcher(ONLY_SITE) as fetcher:
        with pytest.raises(FetchError) as error:
            await fetcher.fetch(site.url("gopher.xml"))
    assert error.value.kind == "invalid_url"
    assert "only http and https" in str(error.value)


# redirects: every hop is checked where it connects


async def test_an_allowed_site_and_its_own_redirects_are_fetched(site: Site) -> None:
    site.redirect("old.xml", "/feed.xml", 301)
    async with FeedFetcher(ONLY_SITE) as fetcher:
        result = await fetcher.fetch(site.url("old.xml"))
    assert (result.status, result.body, result.final_url) == (200, FEED, site.url("feed.xml"))


@pytest.mark.parametrize(
    ("target", "address"),
    [
        ("http://127.0.0.1:{port}/secret.xml", "127.0.0.1"),
        ("http://localhost:{port}/secret.xml", "127.0.0.1"),
        ("http://[::1]:{port}/secret.xml", "::1"),
        ("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "169.254.169.254"),
        ("http://10.0.0.1/admin", "10.0.0.1"),
    ],
)
@pytest.mark.parametrize("status", [301, 302, 307])
async def test_a_redirect_to_an_internal_address_is_refused(
    server: FeedServer, site: Site, target: str, address: str, status: int
) -> None:
    site.redirect("feed.xml", target.format(port=server.port), status)
    error = await refused(site.url("feed.xml"), ONLY_SITE)
    assert error.address == address
    assert address in str(error)
    assert site.hits["feed.xml"] == 1  # the first hop was fetched; the second never left
    assert server.hits("secret.xml") == 0


async def test_a_redirect_chain_is_checked_at_every_hop(server: FeedServer, site: Site) -> None:
    site.redirect("a.xml", "/b.xml")
    site.redirect("b.xml", site.url("c.xml", host="localhost"))
    error = await refused(site.url("a.xml"), ONLY_SITE)
    assert (error.host, error.address) == ("localhost", "127.0.0.1")
    assert (site.hits["a.xml"], site.hits["b.xml"], site.hits["c.xml"]) == (1, 1, 0)


# the address checked is the address connected to


async def test_dns_rebinding_is_refused_on_the_connection_it_would_open(
    server: FeedServer,
) -> None:
    """The attacker's name first answers an acceptable address (127.0.0.2 stands in for a
    public one), then 127.0.0.1. The internal server listens on the same port, so a
    fetcher that checked one answer and connected by another lookup would reach it."""
    async with Site(PUBLIC_STAND_IN, port=server.port) as public:
        public.add("secret.xml", FEED)
        dns = ScriptedDNS([PUBLIC_STAND_IN], ["127.0.0.1"])
        url = f"http://rebind.attacker.kz:{server.port}/secret.xml"
        async with FeedFetcher(ONLY_SITE, resolver=dns) as fetcher:
            first = await fetcher.fetch(url)
            # The site closed that connection: the next fetch connects, and looks up, anew.
            with pytest.raises(ForbiddenAddress) as error:
                await fetcher.fetch(url)
    assert first.body == FEED  # connected to the checked literal: the name never resolves
    assert str(error.value) == (
        "rebind.attacker.kz resolves to 127.0.0.1, a loopback address: not fetched"
    )
    assert dns.lookups == ["rebind.attacker.kz"] * 2  # one lookup per connection
    assert public.hits["secret.xml"] == 1
    assert server.hits("secret.xml") == 0


async def test_refused_answers_among_allowed_ones_are_never_tried(server: FeedServer) -> None:
    async with Site(PUBLIC_STAND_IN, port=server.port) as public:
        public.add("secret.xml", FEED)
        dns = ScriptedDNS(["127.0.0.1", "169.254.169.254", PUBLIC_STAND_IN])
        async with FeedFetcher(ONLY_SITE, resolver=dns) as fetcher:
            result = await fetcher.fetch(f"http://mixed.attacker.kz:{server.port}/secret.xml")
    assert result.body == FEED
    assert server.hits("secret.xml") == 0


async def test_tls_checks_the_host_name_while_connecting_to_the_checked_address() -> None:
    """Connected to the IP literal, the certificate is still checked against the URL's host
    name (SNI and verification): the certificate names feeds.test and no address."""
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(TLS / "feeds_test.crt", TLS / "feeds_test.key")
    client_ctx = ssl.create_default_context(cafile=TLS / "feeds_test.crt")
    policy = AddressPolicy((ip_network("127.0.0.2/32"),))
    dns = ScriptedDNS([PUBLIC_STAND_IN])
    async with Site(PUBLIC_STAND_IN, ssl_context=server_ctx) as secure:
        secure.add("feed.xml", FEED)
        transport = GuardedTransport(policy, resolver=dns, ssl_context=client_ctx)
        async with httpx.AsyncClient(transport=transport, timeout=2.0) as client:
            by_name = await client.get(secure.url("feed.xml", host="feeds.test"))
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await client.get(secure.url("feed.xml"))  # the address: not in the certificate
    assert (by_name.status_code, by_name.content) == (200, FEED)
    assert dns.lookups == ["feeds.test"]


# the allow-list


async def test_the_allow_list_admits_its_networks_and_nothing_else(server: FeedServer) -> None:
    url = server.url("secret.xml")
    await refused(url)
    await refused(url, FetchLimits(allow_networks=(ip_network("10.0.0.0/8"),)))
    await refused(url, FetchLimits(allow_networks=(ip_network("127.0.0.2/32"),)))
    for allowed in ("127.0.0.1/32", "127.0.0.0/8"):
        async with FeedFetcher(FetchLimits(allow_networks=(ip_network(allowed),))) as fetcher:
            assert (await fetcher.fetch(url)).body == SECRET
    assert server.hits("secret.xml") == 2


def test_the_policy_names_each_kind_of_address() -> None:
    policy = AddressPolicy()
    assert policy.refusal(ip_address("8.8.8.8")) is None
    assert policy.refusal(ip_address("2a00:1450:4001::200e")) is None  # public IPv6
    assert policy.refusal(ip_address("::ffff:8.8.8.8")) is None  # mapped, but public
    assert policy.refusal(ip_address("64:ff9b::808:808")) is None  # DNS64 of 8.8.8.8
    assert policy.refusal(ip_address("198.51.100.7")) == "private"  # documentation range
    mapped = AddressPolicy((ip_network("127.0.0.0/8"),))
    assert mapped.refusal(ip_address("::ffff:127.0.0.1")) is None  # the allow-list holds it
    assert mapped.refusal(ip_address("::1")) == "loopback"  # IPv6 loopback is not 127/8


def test_the_setting_reads_comma_separated_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FETCH_ALLOW_NETWORKS", raising=False)
    settings = load_settings(
        fetch_allow_networks="10.0.0.0/8, fd00::/8;192.168.1.7", _env_file=None
    )
    assert settings.fetch_allow_networks == (
        ip_network("10.0.0.0/8"),
        ip_network("fd00::/8"),
        ip_network("192.168.1.7/32"),
    )
    assert load_settings(_env_file=None).fetch_allow_networks == ()
    with pytest.raises(SettingsError, match=r"FETCH_ALLOW_NETWORKS: .*host bits set"):
        load_settings(fetch_allow_networks="10.0.0.1/8", _env_file=None)
    with pytest.raises(SettingsError, match="FETCH_ALLOW_NETWORKS"):
        load_settings(fetch_allow_networks="intranet", _env_file=None)
