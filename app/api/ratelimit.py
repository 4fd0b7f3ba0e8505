"""A token bucket per API key: ``rate`` requests per ``window`` seconds, bursts up to ``rate``.

Without ``PRECHECK_REDIS_URL`` the buckets live in process memory (each worker enforces the limit on
its own). With it, one bucket per key lives in Redis and is taken from atomically by a Lua script, so
every worker of every replica draws on the same tokens; the script reads Redis's clock, so replicas
with skewed clocks still agree. If Redis cannot be reached the process falls back to its own bucket
(the limit holds per process until Redis answers again) rather than refusing or admitting everyone.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time

log = logging.getLogger("precheck")


class RateLimiter:
    def __init__(self, rate: int, window: float, clock=time.monotonic):
        self.capacity = float(rate)
        self.per_second = rate / window
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill time)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds until it would."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.per_second)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.per_second


def retry_after(wait: float) -> str:
    return str(max(1, math.ceil(wait)))


# KEYS[1] the bucket; ARGV: capacity, tokens per second, expiry in seconds. Returns the wait, as text
# (Lua numbers become integers on the way out).
_TAKE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or cap
local last = tonumber(b[2]) or t
tokens = math.min(cap, tokens + math.max(0, t - last) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(t))
redis.call('EXPIRE', KEYS[1], ARGV[3])
return tostring(wait)
"""


class RedisRateLimiter:
    """The same bucket as ``RateLimiter``, shared through Redis by every process that uses ``prefix``."""

    def __init__(self, rate: int, window: float, url: str, prefix: str):
        import redis

        self.capacity = float(rate)
        self.per_second = rate / window
        self.prefix = f"{prefix}ratelimit:{rate}:{window:g}:"
        self._expire = max(1, math.ceil(window * 2))  # a full bucket needs no key
        self._client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._script = self._client.register_script(_TAKE)
        self._fallback = RateLimiter(rate, window)
        self._warned = False

    def take(self, key: str) -> float:
        bucket = self.prefix + hashlib.sha256(key.encode()).hexdigest()[:32]
        try:
            wait = float(self._script(keys=[bucket], args=[self.capacity, self.per_second, self._expire]))
        except Exception as e:  # redis.RedisError, OSError: any failure means "Redis is not there"
            if not self._warned:
                log.warning("rate limit: Redis unavailable (%s); limiting in this process until it returns", e)
                self._warned = True
            return self._fallback.take(key)
        self._warned = False
        return wait


def limiter_for(rate: int, window: float, redis_url: str | None, prefix: str):
    return RedisRateLimiter(rate, window, redis_url, prefix) if redis_url else RateLimiter(rate, window)
