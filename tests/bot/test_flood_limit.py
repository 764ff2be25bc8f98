"""The flood limit at human pace and under floods, with an injected clock (issue 13, item 4).

Each row is a pace: events at given times; expected answered events and notices. Both stores
run every row: in memory and the real Redis at 127.0.0.1:6379 (skipped where unreachable).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.middlewares.throttling import (
    MemoryFloodStore,
    RedisFloodStore,
    ThrottlingMiddleware,
    Verdict,
)

DEFAULTS = Settings.model_fields
LIMIT = int(DEFAULTS["rate_limit_count"].default)
WINDOW = float(DEFAULTS["rate_limit_window"].default)
REDIS_URL = "redis://127.0.0.1:6379/0"


def every(interval: float, seconds: float, start: float = 0.0) -> list[float]:
    count = int(seconds / interval)
    return [start + i * interval for i in range(count)]


def jittered(times: list[float], by: float) -> list[float]:
    return [moment + by * (-1) ** i for i, moment in enumerate(times)]


# (pace, event times in seconds, expected answered, expected notices)
PACES = [
    ("a message a second for 5 minutes", every(1.0, 300), 300, 0),
    ("a message a second, 0.3 s jitter", jittered(every(1.0, 300, 1), 0.3), 300, 0),
    ("paging at two presses a second for 2 minutes", every(0.5, 120), 240, 0),
    ("typing 1/s while paging 2/s for a minute", sorted(every(1.0, 60) + every(0.5, 60, 0.25)), 180, 0),
    ("a burst of 20 presses within 2 s, then quiet", every(0.1, 2), 20, 0),
    # A flood of 20 events a second for 30 s: the burst, then the refill rate; one notice a window.
    ("a flood of 20/s for 30 s", every(0.05, 30), LIMIT + int(30 * LIMIT / WINDOW), 3),
    ("a flood of 100 events at once", [5.0] * 100, LIMIT, 1),
]  # fmt: skip


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[MemoryFloodStore | RedisFloodStore]:
    if request.param == "memory":
        yield MemoryFloodStore()
        return
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (redis.ConnectionError, OSError) as exc:
        await client.aclose()
        pytest.skip(f"Redis at {REDIS_URL} unreachable: {exc}")
    prefix = f"test:flood:{uuid.uuid4().hex}:"
    yield RedisFloodStore(client, prefix)
    keys = [key async for key in client.scan_iter(f"{prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.mark.parametrize(("pace", "times", "answered", "notices"), PACES, ids=[p[0] for p in PACES])
async def test_pace(
    store: MemoryFloodStore | RedisFloodStore, pace: str, times: list[float], answered: int, notices: int
) -> None:
    now = [0.0]
    throttle = ThrottlingMiddleware(LIMIT, WINDOW, clock=lambda: now[0], store=store)
    verdicts = []
    for moment in times:
        now[0] = 1000.0 + moment
        verdicts.append(await throttle.verdict(user_id=7))
    assert verdicts.count(Verdict.ALLOW) == pytest.approx(answered, abs=1), pace
    assert verdicts.count(Verdict.DROP_AND_NOTIFY) == notices, pace


async def test_users_have_their_own_buckets(store: MemoryFloodStore | RedisFloodStore) -> None:
    throttle = ThrottlingMiddleware(3, 60.0, clock=lambda: 0.0, store=store)
    assert [await throttle.verdict(1) for _ in range(4)] == [Verdict.ALLOW] * 3 + [Verdict.DROP_AND_NOTIFY]
    assert await throttle.verdict(2) is Verdict.ALLOW


async def test_replicas_share_one_bucket_through_redis() -> None:
    """Two bot processes behind one webhook: a user flooding both gets one bucket, not two."""
    import redis.asyncio as redis

    prefix = f"test:flood:{uuid.uuid4().hex}:"
    first, second = RedisFloodStore.from_url(REDIS_URL, prefix), RedisFloodStore.from_url(REDIS_URL, prefix)
    try:
        await first.client.ping()
    except (redis.ConnectionError, OSError) as exc:
        pytest.skip(f"Redis at {REDIS_URL} unreachable: {exc}")
    try:
        replicas = [ThrottlingMiddleware(10, 60.0, clock=lambda: 5.0, store=s) for s in (first, second)]
        verdicts = [await replicas[i % 2].verdict(42) for i in range(30)]
        assert verdicts.count(Verdict.ALLOW) == 10
        assert verdicts.count(Verdict.DROP_AND_NOTIFY) == 1
    finally:
        await first.client.delete(f"{prefix}42")
        await first.close()
        await second.close()


async def test_redis_outage_lets_people_through() -> None:
    store = RedisFloodStore.from_url("redis://127.0.0.1:1/0")  # nothing listens there
    throttle = ThrottlingMiddleware(1, 60.0, clock=lambda: 0.0, store=store)
    try:
        assert [await throttle.verdict(1) for _ in range(3)] == [Verdict.ALLOW] * 3
    finally:
        await store.close()


async def test_idle_users_are_forgotten() -> None:
    store = MemoryFloodStore()
    throttle = ThrottlingMiddleware(2, 10.0, clock=lambda: 0.0, store=store)
    for user_id in range(10_002):
        await throttle.verdict(user_id)
    throttle.clock = lambda: 100.0
    await throttle.verdict(0)
    assert len(store) == 1
