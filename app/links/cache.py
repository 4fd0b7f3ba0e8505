"""Probe results kept for a while: in the process, and in Redis when ``PRECHECK_REDIS_URL`` is set.

Values are JSON dicts. Redis is shared by every worker and survives restarts; if it is down, the
process cache carries on alone (a probe is repeated, nothing is lost).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import OrderedDict

log = logging.getLogger("precheck.links")

KEY_PREFIX = "precheck:link:v1:"


def cache_key(url: str, scope: str = "") -> str:
    return KEY_PREFIX + hashlib.sha256(f"{scope}\n{url}".encode()).hexdigest()


class MemoryCache:
    def __init__(self, ttl: float, max_items: int = 20_000):
        self.ttl, self.max_items = ttl, max_items
        self._items: OrderedDict[str, tuple[float, dict]] = OrderedDict()

    def get(self, key: str) -> dict | None:
        item = self._items.get(key)
        if item is None:
            return None
        if item[0] < time.monotonic():
            self._items.pop(key, None)
            return None
        return item[1]

    def set(self, key: str, value: dict) -> None:
        if self.ttl <= 0:
            return
        self._items[key] = (time.monotonic() + self.ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.max_items:
            self._items.popitem(last=False)


class RedisCache:
    """redis.asyncio on the loop that uses it; errors are logged once and treated as misses."""

    def __init__(self, url: str, ttl: float):
        import redis.asyncio as aioredis

        self.ttl = ttl
        # A blocking pool: 200 links looked up at once wait for one of a few connections instead of
        # failing with "Too many connections".
        pool = aioredis.BlockingConnectionPool.from_url(url, max_connections=16, timeout=2, socket_timeout=0.5,
                                                        socket_connect_timeout=0.5)
        self.client = aioredis.Redis(connection_pool=pool)
        self._warned = False

    def _warn(self, e: Exception) -> None:
        if not self._warned:
            log.warning("link cache: Redis unavailable (%s); using the process cache only", e)
            self._warned = True

    async def get(self, key: str) -> dict | None:
        try:
            raw = await self.client.get(key)
        except Exception as e:  # any Redis failure only costs a repeated probe
            self._warn(e)
            return None
        return json.loads(raw) if raw else None

    async def set(self, key: str, value: dict) -> None:
        if self.ttl <= 0:
            return
        try:
            await self.client.set(key, json.dumps(value, ensure_ascii=False), ex=max(1, int(self.ttl)))
        except Exception as e:
            self._warn(e)

    async def aclose(self) -> None:
        await self.client.aclose()
