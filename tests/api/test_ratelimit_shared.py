"""The rate limit shared through Redis: one bucket per key for every process using the prefix."""

from __future__ import annotations

import pytest

from app.api.ratelimit import RateLimiter, RedisRateLimiter, limiter_for
from support.replicas import REDIS_URL, require_redis, unique_prefix
from support.server import free_port


@pytest.fixture
def prefix():
    require_redis()
    return unique_prefix()


def test_two_limiters_draw_on_one_bucket(prefix):
    a, b = RedisRateLimiter(5, 60, REDIS_URL, prefix), RedisRateLimiter(5, 60, REDIS_URL, prefix)
    waits = [lim.take("editor-1") for lim in (a, b) * 4]
    assert waits[:5] == [0.0] * 5 and all(w > 0 for w in waits[5:])
    assert 11.0 < waits[5] <= 12.0  # one token every 12 s
    assert a.take("editor-2") == 0.0  # per key
    assert RedisRateLimiter(5, 60, REDIS_URL, unique_prefix()).take("editor-1") == 0.0  # per prefix


def test_the_bucket_refills_at_the_rate(prefix):
    import time

    lim = RedisRateLimiter(2, 0.2, REDIS_URL, prefix)  # 10 tokens a second
    assert [lim.take("k") for _ in range(2)] == [0.0, 0.0]
    assert lim.take("k") > 0
    time.sleep(0.15)
    assert lim.take("k") == 0.0


def test_without_redis_each_process_limits_alone():
    assert isinstance(limiter_for(3, 60, None, "p:"), RateLimiter)
    down = RedisRateLimiter(2, 60, f"redis://127.0.0.1:{free_port()}/0", "p:")
    assert [down.take("k") for _ in range(3)][:2] == [0.0, 0.0]
    assert down.take("k") > 0  # the process's own bucket took over
