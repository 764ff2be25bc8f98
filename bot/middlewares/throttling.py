"""Per-user flood protection that never throttles a person at human pace.

Each user has a token bucket: ``capacity`` events at once, refilled at ``capacity / window``
per second (defaults 30 and 10 s: a burst of 30, then 3 events a second), counting messages
and button presses alike. Typing a message a second, or paging at two presses a second, never
empties it; only a flood does. A dropped event gets at most one notice per window, so a flood
never turns into a flood of replies; dropped button presses are still acknowledged (silently),
or Telegram keeps the button spinning.

The bucket state lives in a store: in memory (one process) or in Redis, so that replicas
behind one webhook share each user's bucket.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Protocol

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from redis.exceptions import RedisError

from bot.texts import language_for, t

logger = logging.getLogger(__name__)
MAX_TRACKED_USERS = 10_000


class Verdict(IntEnum):
    DROP = 0
    ALLOW = 1
    DROP_AND_NOTIFY = -1


@dataclass(frozen=True, slots=True)
class Bucket:
    capacity: float
    window: float

    @property
    def rate(self) -> float:
        return self.capacity / self.window


class FloodStore(Protocol):
    async def take(self, user_id: int, now: float, bucket: Bucket) -> Verdict:
        """Take one token from the user's bucket at time ``now`` (seconds)."""
        ...

    async def close(self) -> None: ...


@dataclass(slots=True)
class _State:
    tokens: float
    updated: float
    notified: float = float("-inf")


def _take(state: _State, now: float, bucket: Bucket) -> Verdict:
    """The one rule both stores follow (RedisFloodStore runs it as a Lua script)."""
    state.tokens = min(bucket.capacity, state.tokens + max(0.0, now - state.updated) * bucket.rate)
    state.updated = now
    if state.tokens >= 1:
        state.tokens -= 1
        return Verdict.ALLOW
    if now - state.notified >= bucket.window:
        state.notified = now
        return Verdict.DROP_AND_NOTIFY
    return Verdict.DROP


class MemoryFloodStore:
    """Buckets in this process; idle users are forgotten so memory stays bounded."""

    def __init__(self) -> None:
        self._states: dict[int, _State] = {}

    async def take(self, user_id: int, now: float, bucket: Bucket) -> Verdict:
        if len(self._states) > MAX_TRACKED_USERS:
            self._forget_full(now, bucket)
        state = self._states.setdefault(user_id, _State(tokens=bucket.capacity, updated=now))
        return _take(state, now, bucket)

    def _forget_full(self, now: float, bucket: Bucket) -> None:
        """A user whose bucket has refilled is the same as a user never seen."""
        full = [uid for uid, s in self._states.items() if now - s.updated >= bucket.window]
        for user_id in full:
            del self._states[user_id]

    def __len__(self) -> int:
        return len(self._states)

    async def close(self) -> None:
        self._states.clear()


_TAKE_LUA = """
local capacity, rate, window, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'updated', 'notified')
local tokens = tonumber(saved[1]) or capacity
local updated = tonumber(saved[2]) or now
local notified = tonumber(saved[3])
tokens = math.min(capacity, tokens + math.max(0, now - updated) * rate)
local verdict = 0
if tokens >= 1 then
  tokens = tokens - 1
  verdict = 1
elseif notified == nil or now - notified >= window then
  notified = now
  verdict = -1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now))
if notified ~= nil then redis.call('HSET', KEYS[1], 'notified', tostring(notified)) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
return verdict
"""


class RedisFloodStore:
    """Buckets in Redis, updated atomically by one Lua script: replicas share them.

    The time comes from the caller (so a test can inject a clock); keys expire once a bucket
    would be full again anyway.
    """

    def __init__(self, client: Any, prefix: str = "jobrec:flood:") -> None:
        self.client = client
        self.prefix = prefix
        self._script = client.register_script(_TAKE_LUA)

    @classmethod
    def from_url(cls, url: str, prefix: str = "jobrec:flood:") -> RedisFloodStore:
        import redis.asyncio as redis

        return cls(redis.from_url(url), prefix)

    async def take(self, user_id: int, now: float, bucket: Bucket) -> Verdict:
        ttl = max(1, int(bucket.window * 2 + 1))
        args = [bucket.capacity, bucket.rate, bucket.window, repr(now), ttl]
        return Verdict(int(await self._script(keys=[f"{self.prefix}{user_id}"], args=args)))

    async def close(self) -> None:
        await self.client.aclose()


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(
        self,
        limit: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
        store: FloodStore | None = None,
    ) -> None:
        self.bucket = Bucket(capacity=float(limit), window=window)
        self.clock = clock
        self.store: FloodStore = store if store is not None else MemoryFloodStore()

    async def verdict(self, user_id: int) -> Verdict:
        try:
            return await self.store.take(user_id, self.clock(), self.bucket)
        except (RedisError, OSError) as exc:  # Redis down: answering everyone beats answering no one
            logger.warning("flood limit store unavailable (%r); letting the update through", exc)
            return Verdict.ALLOW

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user = getattr(event, "from_user", None)
        if user is None:
            return await handler(event, data)
        verdict = await self.verdict(user.id)
        if verdict is Verdict.ALLOW:
            return await handler(event, data)
        notice = t(language_for(user.language_code), "rate_limited")
        if verdict is Verdict.DROP_AND_NOTIFY:
            logger.info("flood limit hit by user %s", user.id)
        if isinstance(event, CallbackQuery):
            await event.answer(notice if verdict is Verdict.DROP_AND_NOTIFY else None)
        elif isinstance(event, Message) and verdict is Verdict.DROP_AND_NOTIFY:
            await event.answer(notice)
        return None
