"""The SSRF guard: every outgoing request precheck makes for a URL a stranger wrote goes through here.

A host is resolved once; if any of its addresses is loopback, private, link-local, multicast,
reserved, CGNAT, IPv4-mapped or a cloud metadata address, nothing is sent. Otherwise the
connection is made to the address that was checked (no second lookup, so DNS rebinding cannot
swap the target between check and connect), while TLS still verifies the certificate against the
real host name. This is done inside the connection layer (an httpcore network backend), so every
hop of a redirect chain, and every request of anyone who uses ``fetch``, is checked the same way.

Private targets are reachable only through an explicit allow setting
(``PRECHECK_ALLOW_PRIVATE_TARGETS``); metadata addresses never are.

No cookies are kept, no credentials are sent (user:password in a URL is dropped), the
User-Agent says what precheck is.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import ssl
import weakref
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Awaitable, Callable
from urllib.parse import urljoin

import httpcore
import httpx

from .. import __version__

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

USER_AGENT = f"precheck-linkcheck/{__version__} (pre-publication link check; no cookies, no credentials)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# Cloud instance metadata services: refused even when private targets are allowed.
METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # AWS, GCP, Azure, OpenStack, Tencent Cloud
    "fd00:ec2::254",  # AWS over IPv6
    "100.100.100.200",  # Alibaba Cloud
    "169.254.170.2",  # AWS ECS task credentials
))
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_RFC1918_ULA = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))
# What "allow private targets" opens: the networks a company's own services live on.
PRIVATE_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "100.64.0.0/10"))

_DEC = re.compile(r"0|[1-9][0-9]*")
_OCT = re.compile(r"0[0-7]+")
_HEX = re.compile(r"0[xX][0-9a-fA-F]*")


class Refused(Exception):
    """The guard refused a target; nothing was sent to it."""

    def __init__(self, host: str, address: str, reason: str):
        self.host, self.address, self.reason = host, address, reason
        super().__init__(f"{host}: {address} is {REASON_TEXT.get(reason, reason)}")


REASON_TEXT = {
    "loopback": "a loopback address", "private": "a private network address", "link_local": "a link-local address",
    "multicast": "a multicast address", "reserved": "a reserved or non-public address",
    "cgnat": "a carrier-grade NAT (shared) address", "ipv4_mapped": "an IPv4-mapped IPv6 address",
    "metadata": "a cloud metadata address", "unresolvable": "not resolvable",
}
REASON_ZH = {
    "loopback": "回环地址", "private": "内网地址", "link_local": "链路本地地址", "multicast": "组播地址",
    "reserved": "保留或非公网地址", "cgnat": "运营商级 NAT 共享地址", "ipv4_mapped": "IPv4 映射的 IPv6 地址",
    "metadata": "云服务器元数据地址",
}


def _ipv4_loose(host: str) -> ipaddress.IPv4Address | None:
    """IPv4 in every notation inet_aton (and so getaddrinfo and browsers) accepts:
    dotted, decimal (2130706433), hex (0x7f000001), octal (0177.0.0.1), short forms (127.1)."""
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # a trailing dot is the root, as in "127.0.0.1."
    if not 1 <= len(parts) <= 4:
        return None
    nums = []
    for p in parts:
        if _HEX.fullmatch(p):
            nums.append(int(p[2:] or "0", 16))
        elif _OCT.fullmatch(p):
            nums.append(int(p, 8))
        elif _DEC.fullmatch(p):
            nums.append(int(p))
        else:
            return None
    *head, last = nums
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(nums)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (5 - len(nums)) + last
    return ipaddress.IPv4Address(value)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host written as an IP literal (in any notation) stands for, else None."""
    h = host.strip()
    if h.startswith("[") and h.endswith("]"):
        h = h[1:-1]
    if ":" in h:
        try:
            return ipaddress.IPv6Address(h.split("%", 1)[0])
        except ValueError:
            return None
    return _ipv4_loose(h) if h and h[0].isdigit() else None


def refusal_reason(ip: IPAddress) -> str | None:
    """Why a connection to ``ip`` must not be made, or None for a public unicast address."""
    if ip in METADATA:
        return "metadata"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return "ipv4_mapped"
        embedded = ip.sixtofour or (ip.teredo[1] if ip.teredo else None) or (
            ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None)
        if embedded is not None and refusal_reason(embedded):
            return "reserved"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "cgnat"
    if any(ip.version == n.version and ip in n for n in _RFC1918_ULA):
        return "private"
    if ip.is_unspecified or ip.is_reserved or ip.is_private or not ip.is_global:
        return "reserved"  # 0.0.0.0/8, 240/4, documentation and benchmark ranges, ...
    return None


def parse_allow(setting: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """``PRECHECK_ALLOW_PRIVATE_TARGETS``: empty (nothing), true/all (the private networks), or CIDRs."""
    s = setting.strip().lower()
    if s in ("", "0", "false", "no", "off", "none"):
        return ()
    if s in ("1", "true", "yes", "on", "all"):
        return PRIVATE_NETWORKS
    nets = []
    for part in setting.split(","):
        if part.strip():
            try:
                nets.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise ValueError(f"PRECHECK_ALLOW_PRIVATE_TARGETS: {part.strip()!r} is not a network "
                                 "(use true, or CIDRs such as 10.0.0.0/8,127.0.0.1/32)") from None
    return tuple(nets)


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for *_, sockaddr in infos:
        if sockaddr[0] not in seen:
            seen.append(sockaddr[0])
    return seen


@dataclass
class Guard:
    """Decides which addresses may be contacted. ``resolver`` is replaceable (tests map names)."""

    allow: tuple = ()
    resolver: Resolver = system_resolver

    @classmethod
    def from_setting(cls, setting: str, resolver: Resolver | None = None) -> "Guard":
        return cls(allow=parse_allow(setting), resolver=resolver or system_resolver)

    def reason(self, ip: IPAddress) -> str | None:
        why = refusal_reason(ip)
        if why is None or why == "metadata":
            return why
        if why in ("loopback", "private", "cgnat") and any(ip.version == n.version and ip in n for n in self.allow):
            return None
        return why

    async def addresses(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` once and check every address; raise ``Refused`` if any one is refused."""
        literal = parse_ip_literal(host)
        if literal is not None:
            found = [str(literal)]
        else:
            try:
                found = await self.resolver(host, port)
            except (OSError, UnicodeError) as e:
                raise httpcore.ConnectError(f"cannot resolve {host}: {e}") from e
            if not found:
                raise httpcore.ConnectError(f"cannot resolve {host}")
        for a in found:
            why = self.reason(ipaddress.ip_address(a.split("%", 1)[0]))
            if why:
                raise Refused(host, a, why)
        return found


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses the guard checked; TLS later verifies the host name httpcore passes."""

    def __init__(self, guard: Guard, inner: httpcore.AsyncNetworkBackend | None = None):
        self.guard = guard
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = await self.guard.addresses(host, port)
        last: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                    socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                last = e
        raise last or httpcore.ConnectError(f"cannot connect to {host}")

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise Refused(path, path, "reserved")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool built on the guarded backend (no proxies)."""

    def __init__(self, guard: Guard, *, verify: ssl.SSLContext | bool = True, limits: httpx.Limits | None = None,
                 inner: httpcore.AsyncNetworkBackend | None = None):
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        super().__init__(verify=verify, limits=limits, trust_env=False)
        ssl_context = self._pool._ssl_context  # the context httpx built from ``verify``
        self.backend = GuardedBackend(guard, inner)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context, max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
            network_backend=self.backend)
        # Fail loudly if a future httpx stops routing requests through ``_pool``: unguarded is not an option.
        if getattr(self._pool, "_network_backend", None) is not self.backend:
            raise RuntimeError("httpx/httpcore changed: the SSRF guard could not be installed")


def _no_cookies() -> CookieJar:
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def without_credentials(url: str | httpx.URL) -> httpx.URL:
    return httpx.URL(url).copy_with(username=None, password=None)


@dataclass
class FetchResult:
    url: str  # the URL of the last request made
    status: int
    headers: dict[str, str]
    content: bytes = b""
    truncated: bool = False  # the body was longer than max_bytes
    redirects: list[str] = field(default_factory=list)  # every URL requested before ``url``


class Fetcher:
    """An httpx client behind the guard. Bound to the event loop it is first used on."""

    def __init__(self, guard: Guard, *, timeout: float = 5.0, verify: ssl.SSLContext | bool = True,
                 max_connections: int = 100, inner: httpcore.AsyncNetworkBackend | None = None):
        self.guard = guard
        self.transport = GuardedTransport(guard, verify=verify, inner=inner,
                                          limits=httpx.Limits(max_connections=max_connections,
                                                              max_keepalive_connections=max_connections))
        self.client = httpx.AsyncClient(
            transport=self.transport, follow_redirects=False, trust_env=False, cookies=_no_cookies(),
            timeout=httpx.Timeout(timeout),
            # identity: a compressed body could expand far beyond max_bytes before it is counted
            headers={"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "identity"})

    async def fetch(self, url: str, method: str = "GET", *, max_bytes: int = 1 << 20, max_redirects: int = 0,
                    timeout: float | None = None, headers: dict[str, str] | None = None,
                    on_redirect: Callable[[str], bool] | None = None) -> FetchResult:
        """One request (plus up to ``max_redirects`` redirects, each through the guard).

        ``on_redirect(next_url)`` may return False to stop before the next hop is requested.
        Raises ``Refused``, or an ``httpx.HTTPError`` (``TimeoutException``, ``ConnectError`` …).
        """
        redirects: list[str] = []
        current = without_credentials(url)
        while True:
            if current.scheme not in ("http", "https"):
                raise httpx.UnsupportedProtocol(f"not an http(s) URL: {current}")
            kw = {"timeout": timeout} if timeout is not None else {}
            async with self.client.stream(method, current, headers=headers, **kw) as resp:
                location = resp.headers.get("location")
                if resp.status_code in REDIRECT_STATUSES and location and len(redirects) < max_redirects:
                    nxt = urljoin(str(current), location)
                    if on_redirect is None or on_redirect(nxt):
                        redirects.append(str(current))
                        current = without_credentials(nxt)
                        continue
                body = bytearray()
                truncated = False
                if method == "HEAD":
                    await resp.aread()  # no body; reading to its end returns the connection to the pool
                elif max_bytes > 0:
                    async for chunk in resp.aiter_raw():
                        body += chunk
                        if len(body) > max_bytes:
                            del body[max_bytes:]
                            truncated = True
                            break
                return FetchResult(str(current), resp.status_code, dict(resp.headers), bytes(body), truncated,
                                   redirects)

    async def aclose(self) -> None:
        await self.client.aclose()


_fetchers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = weakref.WeakKeyDictionary()


def fetcher_for(allow_setting: str = "", timeout: float = 5.0) -> Fetcher:
    """The shared Fetcher of the running event loop for these settings (connections are reused)."""
    loop = asyncio.get_running_loop()
    per_loop = _fetchers.setdefault(loop, {})
    key = (allow_setting, timeout)
    if key not in per_loop:
        per_loop[key] = Fetcher(Guard.from_setting(allow_setting), timeout=timeout)
    return per_loop[key]


async def fetch(url: str, method: str = "GET", max_bytes: int = 1 << 20, *, allow_private: str,
                link_timeout: float, max_redirects: int = 5, timeout: float | None = None,
                on_redirect: Callable[[str], bool] | None = None) -> FetchResult:
    """Fetch ``url`` through the guard (for any check that needs a remote resource, e.g. images).

    ``allow_private`` and ``link_timeout`` are the caller's settings (``PRECHECK_ALLOW_PRIVATE_TARGETS``,
    ``PRECHECK_LINK_TIMEOUT``). Run it on the shared network loop from synchronous code:
    ``app.net.loop.run(fetch(url, …), timeout=…)``.
    """
    f = fetcher_for(allow_private, link_timeout)
    return await f.fetch(url, method, max_bytes=max_bytes, max_redirects=max_redirects, timeout=timeout,
                         on_redirect=on_redirect)
