"""Probing links: does each one open, and where does it really lead?

HEAD first, GET when HEAD fails (many servers answer HEAD wrongly); redirects are followed by hand,
at most ``max_redirects`` hops, and each new hop goes through ``stop_hop`` (the link check passes
the static rules: a hop to a deny-listed host or a ``javascript:`` URL is never requested) and
through the SSRF guard (which refuses internal addresses before connecting). Concurrency is bounded
for the whole process and per host; results are cached (``cache.py``).
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterable
from urllib.parse import urljoin, urlsplit

import httpx

from ..net.guard import REDIRECT_STATUSES, Fetcher, Guard, Refused
from ..observability import metrics
from .cache import MemoryCache, RedisCache, cache_key

OUTCOMES = ("ok", "dead", "client_error", "server_error", "timeout", "unreachable", "refused", "redirects",
            "stopped")


@dataclass
class ProbeResult:
    url: str
    outcome: str  # one of OUTCOMES
    status: int | None = None
    final_url: str | None = None  # the last URL requested (or refused, or stopped at)
    hops: list[str] = field(default_factory=list)  # redirect targets, in order
    detail: str = ""
    refused_address: str | None = None
    refused_reason: str | None = None
    cached: str | None = None  # "memory" or "redis" when the result was reused

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("cached")
        return d

    @classmethod
    def from_json(cls, d: dict, cached: str) -> "ProbeResult":
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__}, cached=cached)


@dataclass(frozen=True)
class ProbeConfig:
    allow_private: str = ""
    timeout: float = 5.0
    concurrency: int = 32
    per_host: int = 6
    per_request: int = 8
    cache_ttl: float = 3600.0
    redis_url: str | None = None
    max_redirects: int = 5

    @classmethod
    def from_settings(cls, s) -> "ProbeConfig":
        return cls(allow_private=s.allow_private_targets, timeout=s.link_timeout, concurrency=s.link_concurrency,
                   per_host=s.link_per_host, per_request=s.link_per_request, cache_ttl=s.link_cache_ttl,
                   redis_url=s.redis_url)


def _outcome_of(status: int) -> str:
    if status in (404, 410):
        return "dead"
    if status >= 500:
        return "server_error"
    if status >= 400:
        return "client_error"
    return "ok"


def _why(e: Exception) -> str:
    """A short reason an author can act on."""
    text = str(e)
    if "cannot resolve" in text:
        return "域名无法解析"
    if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
        return "HTTPS 证书无效"
    if isinstance(e, httpx.UnsupportedProtocol):
        return "不是 http/https 地址"
    if isinstance(e, httpx.ConnectError):
        return "连接被拒绝或无法建立"
    return f"{type(e).__name__}: {text}"[:200]


class Prober:
    """Create and use on one event loop (``get_prober`` does this for the shared network loop)."""

    def __init__(self, config: ProbeConfig, *, guard: Guard | None = None, fetcher: Fetcher | None = None):
        self.config = config
        self.guard = guard or Guard.from_setting(config.allow_private)
        self.fetcher = fetcher or Fetcher(self.guard, timeout=config.timeout,
                                          max_connections=max(config.concurrency, 1))
        self.memory = MemoryCache(config.cache_ttl)
        self.redis = RedisCache(config.redis_url, config.cache_ttl) if config.redis_url else None
        self._global = asyncio.Semaphore(config.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._inflight: dict[str, asyncio.Future] = {}
        self._waiting: dict[str, int] = {}  # drafts waiting for each in-flight probe
        self.requests_made = 0

    def _host_limit(self, host: str) -> asyncio.Semaphore:
        sem = self._hosts.get(host)
        if sem is None:
            if len(self._hosts) > 10_000:  # forget idle hosts; a busy one keeps its semaphore object alive
                self._hosts = {h: s for h, s in self._hosts.items() if s.locked()}
            sem = self._hosts[host] = asyncio.Semaphore(self.config.per_host)
        return sem

    async def _request(self, url: str) -> tuple[int, str | None]:
        host = urlsplit(url).hostname or ""
        async with self._global, self._host_limit(host):
            async with asyncio.timeout(self.config.timeout * 2):
                self.requests_made += 1
                r = await self.fetcher.fetch(url, "HEAD", max_bytes=0)
                if r.status >= 400 and r.status != 410:
                    self.requests_made += 1
                    r = await self.fetcher.fetch(url, "GET", max_bytes=0)
        return r.status, r.headers.get("location")

    async def _probe_uncached(self, url: str, stop_hop: Callable[[str], bool]) -> ProbeResult:
        hops: list[str] = []
        current = url
        while True:
            try:
                status, location = await self._request(current)
            except Refused as e:
                return ProbeResult(url, "refused", final_url=current, hops=hops, detail=str(e),
                                   refused_address=e.address, refused_reason=e.reason)
            except (httpx.TimeoutException, TimeoutError):
                return ProbeResult(url, "timeout", final_url=current, hops=hops,
                                   detail=f"no answer within {self.config.timeout:g} s")
            except httpx.HTTPError as e:
                return ProbeResult(url, "unreachable", final_url=current, hops=hops, detail=_why(e))
            if status in REDIRECT_STATUSES and location:
                nxt = urljoin(current, location)
                if len(hops) >= self.config.max_redirects:
                    return ProbeResult(url, "redirects", status, current, hops,
                                       f"more than {self.config.max_redirects} redirects")
                hops.append(nxt)
                if urlsplit(nxt).scheme not in ("http", "https") or stop_hop(nxt):
                    return ProbeResult(url, "stopped", status, nxt, hops, "redirect target refused by the link rules")
                current = nxt
                continue
            return ProbeResult(url, _outcome_of(status), status, current, hops)

    async def probe(self, url: str, stop_hop: Callable[[str], bool] = lambda u: False) -> ProbeResult:
        result = await self._probe(url, stop_hop)
        metrics.observe_probe(result.outcome, result.cached)
        return result

    async def _probe(self, url: str, stop_hop: Callable[[str], bool]) -> ProbeResult:
        key = cache_key(url, self.config.allow_private)
        hit = self.memory.get(key)
        if hit is not None:
            return ProbeResult.from_json(hit, "memory")
        if self.redis is not None:
            hit = await self.redis.get(key)
            if hit is not None:
                self.memory.set(key, hit)
                return ProbeResult.from_json(hit, "redis")
        task = self._inflight.get(key)  # the same URL in flight for another draft: share its answer
        if task is None:
            task = self._inflight[key] = asyncio.ensure_future(self._probe_and_store(key, url, stop_hop))
            self._waiting[key] = 0
            task.add_done_callback(lambda t: self._forget(key, t))
        self._waiting[key] += 1
        try:
            # shield: a draft that gives up (budget) must not cancel a probe another draft waits for …
            return await asyncio.shield(task)
        finally:
            if not task.done() and self._inflight.get(key) is task:
                self._waiting[key] -= 1
                if self._waiting[key] == 0:
                    # … but once nobody waits, it must not hold the process's slots any longer.
                    self._forget(key, task)
                    task.cancel()

    def _forget(self, key: str, task: asyncio.Future) -> None:
        if self._inflight.get(key) is task:
            del self._inflight[key]
            del self._waiting[key]

    async def _probe_and_store(self, key: str, url: str, stop_hop: Callable[[str], bool]) -> ProbeResult:
        result = await self._probe_uncached(url, stop_hop)
        value = result.to_json()
        self.memory.set(key, value)
        if self.redis is not None:
            await self.redis.set(key, value)
        return result

    async def probe_many(self, urls: Iterable[str], stop_hop: Callable[[str], bool] = lambda u: False,
                         budget: float | None = None) -> dict[str, ProbeResult]:
        """Probe each distinct URL; those still running after ``budget`` seconds count as timeouts.

        One draft has at most ``per_request`` probes in flight, so a draft of hundreds of links takes
        a share of the process's ``concurrency`` slots, not all of them; its probes end with it."""
        unique = list(dict.fromkeys(urls))
        share = asyncio.Semaphore(self.config.per_request)

        async def one(u: str) -> ProbeResult:
            async with share:
                return await self.probe(u, stop_hop)

        tasks = {u: asyncio.ensure_future(one(u)) for u in unique}
        if not tasks:
            return {}
        try:
            done, pending = await asyncio.wait(tasks.values(), timeout=budget)
        finally:
            for t in tasks.values():  # over budget, or the caller gave up: nothing keeps running for it
                t.cancel()
        out = {}
        for u, t in tasks.items():
            if t in done and not t.cancelled() and t.exception() is None:
                out[u] = t.result()
            elif t in done and t.exception() is not None:
                out[u] = ProbeResult(u, "unreachable", detail=f"{type(t.exception()).__name__}: {t.exception()}"[:200])
            else:
                out[u] = ProbeResult(u, "timeout", detail=f"not finished within the probe budget ({budget:g} s)")
        return out

    async def aclose(self) -> None:
        await self.fetcher.aclose()
        if self.redis is not None:
            await self.redis.aclose()


_probers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[ProbeConfig, Prober]]" = \
    weakref.WeakKeyDictionary()


async def get_prober(config: ProbeConfig) -> Prober:
    """The process's Prober for ``config`` on the running loop: one pool, one cache, one limit."""
    per_loop = _probers.setdefault(asyncio.get_running_loop(), {})
    prober = per_loop.get(config)
    if prober is None:
        prober = per_loop[config] = Prober(config)
    return prober
