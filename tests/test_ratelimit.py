from server.web.ratelimit import RateLimiter


def test_allows_up_to_the_limit_then_says_how_long_to_wait():
    limiter = RateLimiter(limit=3, window_seconds=60)
    assert [limiter.check("a", now=t) for t in (0, 1, 2)] == [0, 0, 0]
    assert limiter.check("a", now=3) == 57
    assert limiter.check("b", now=3) == 0  # per key
    assert limiter.check("a", now=60.5) == 0  # the first hit has left the window
