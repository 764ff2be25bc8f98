"""Rate limiting and backoff on an injected clock."""

from __future__ import annotations

import asyncio
import itertools
import random

from fake_clock import FakeClock

from bot.collector.throttle import Backoff, RateLimiter, parse_retry_after


async def test_rate_limiter_spaces_requests_evenly() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate=4.0, clock=clock)
    starts: list[float] = []
    for _ in range(9):
        await limiter.acquire()
        starts.append(clock.monotonic())
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert starts[0] == 0.0
    assert all(abs(gap - 0.25) < 1e-9 for gap in gaps)


async def test_rate_limiter_queues_concurrent_callers() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate=2.0, clock=clock)
    await asyncio.gather(*(limiter.acquire() for _ in range(5)))
    # five callers at 2/s: the last one starts no earlier than 2.0 s
    assert clock.monotonic() >= 2.0 - 1e-9
    assert all(abs(s - 0.5) < 1e-9 for s in clock.sleeps)


async def test_pause_pushes_later_requests_back() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate=100.0, clock=clock)
    limiter.pause_until(5.0)
    await limiter.acquire()
    assert clock.monotonic() >= 5.0


def test_backoff_grows_and_is_capped() -> None:
    backoff = Backoff(base=1.0, cap=10.0)
    rng = random.Random(1)
    delays = [backoff.delay(n, rng=rng) for n in range(8)]
    assert all(0.5 * min(10, 2**n) <= d <= min(10, 2**n) for n, d in enumerate(delays))
    assert backoff.delay(0, retry_after=3.0) == 3.0


def test_retry_after_parsing() -> None:
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") is None
    assert parse_retry_after(None) is None
