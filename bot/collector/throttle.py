"""Request pacing and retry delays for the source clients."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass

from bot.collector.clock import Clock, SystemClock


class RateLimiter:
    """At most ``rate`` acquisitions per second, spaced evenly (no bursts).

    Each caller reserves the next free slot under a lock, then sleeps outside it,
    so concurrent callers queue up without holding the lock while waiting.
    """

    def __init__(self, rate: float, clock: Clock | None = None) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self.clock = clock or SystemClock()
        self._next_slot = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            now = self.clock.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self.interval
        delay = slot - now
        if delay > 0:
            await self.clock.sleep(delay)

    def pause_until(self, seconds_from_now: float) -> None:
        """Push every later request back, e.g. after a 429 with Retry-After."""
        self._next_slot = max(self._next_slot, self.clock.monotonic() + seconds_from_now)


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter; a server's Retry-After wins, as sent (never cut:
    the client ends the run instead when it is longer than the run can wait)."""

    base: float = 0.5
    cap: float = 30.0
    max_retries: int = 5

    def delay(
        self, attempt: int, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float:
        if retry_after is not None:
            return max(retry_after, 0.0)
        upper = min(self.cap, self.base * (2**attempt))
        return (rng or random).uniform(upper / 2, upper)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (hh sends seconds; HTTP dates are ignored)."""
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None
