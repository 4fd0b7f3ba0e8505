from app.api.ratelimit import RateLimiter, retry_after


class Clock:
    t = 100.0

    def __call__(self):
        return self.t


def test_bucket_allows_burst_then_waits_and_refills():
    clock = Clock()
    rl = RateLimiter(3, 60, clock=clock)
    assert [rl.take("a") for _ in range(3)] == [0, 0, 0]
    wait = rl.take("a")
    assert 19.9 < wait <= 20.0 and retry_after(wait) == "20"
    assert rl.take("b") == 0  # per key
    clock.t += 20
    assert rl.take("a") == 0
    assert rl.take("a") > 0
