"""A token bucket per API key: ``rate`` requests per ``window`` seconds, bursts up to ``rate``.

Kept in process memory: with several worker processes each enforces the limit on its own share.
"""

from __future__ import annotations

import math
import threading
import time


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
