"""What bot replicas share: dialogue state, per-user isolation, update dedupe, model news,
and how many messages the deployment sent this second.

With ``REDIS_URL`` every piece lives in Redis, so any replica can take any user's next
update; without it (one process) the same pieces live in memory. Keys and channels all
start with ``REDIS_PREFIX``.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections.abc import AsyncIterator

from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.shutdown import raise_if_cancelled

logger = logging.getLogger(__name__)

# Telegram keeps an undelivered update for 24 hours: remember handled ones as long.
DONE_TTL_SECONDS = 24 * 3600
SENT_KEY_TTL_SECONDS = 10


def connect_redis(url: str) -> Redis:
    return Redis.from_url(url, health_check_interval=30)


def fsm_storage(redis: Redis | None, *, prefix: str, ttl_seconds: int) -> BaseStorage:
    if redis is None:
        return MemoryStorage()
    # The bot id and the destiny in the key: two bots (or scenes) on one Redis never mix.
    keys = DefaultKeyBuilder(prefix=f"{prefix}:fsm", with_bot_id=True, with_destiny=True)
    return RedisStorage(redis, key_builder=keys, state_ttl=ttl_seconds, data_ttl=ttl_seconds)


def events_isolation(storage: BaseStorage, *, lease: float) -> BaseEventIsolation:
    """One update per user at a time, across every replica when the storage is Redis.

    A replica killed while holding a user's lock frees it after ``lease`` seconds, the same
    time after which the update it dropped is handled elsewhere (``UpdateDedupe``).
    """
    if isinstance(storage, RedisStorage):
        locks = {"timeout": lease}
        return RedisEventIsolation(storage.redis, key_builder=storage.key_builder, lock_kwargs=locks)
    return SimpleEventIsolation()


class Claim(enum.Enum):
    MINE = "mine"  # handle it
    DONE = "done"  # already handled: acknowledge, do nothing
    BUSY = "busy"  # another replica is handling it now: make Telegram re-send later


class UpdateDedupe:
    """Each update_id is handled once, although Telegram re-sends what got no 2xx.

    ``claim`` takes a lease on the id (``lease`` seconds), which ``holding`` renews while the
    update is being handled; ``finish`` turns it into a "done" mark kept a day; ``release``
    drops the lease after a failure, so the re-sent update is handled again. A replica killed
    mid-update stops renewing: its lease runs out within ``lease`` seconds, however long the
    update would have taken, and Telegram's next re-send is handled elsewhere.
    """

    def __init__(self, redis: Redis | None, *, prefix: str, bot_id: int, lease: float) -> None:
        self.redis = redis
        self.prefix = f"{prefix}:update:{bot_id}"
        self.lease = lease
        self._memory: dict[int, tuple[str, float]] = {}

    def _key(self, update_id: int) -> str:
        return f"{self.prefix}:{update_id}"

    async def claim(self, update_id: int) -> Claim:
        if self.redis is None:
            return self._claim_in_memory(update_id)
        key = self._key(update_id)
        if await self.redis.set(key, "busy", nx=True, px=int(self.lease * 1000)):
            return Claim.MINE
        value = await self.redis.get(key)
        if value is None:  # the lease expired between the two calls: try once more
            retaken = await self.redis.set(key, "busy", nx=True, px=int(self.lease * 1000))
            return Claim.MINE if retaken else Claim.BUSY
        return Claim.DONE if value == b"done" else Claim.BUSY

    async def renew(self, update_id: int) -> None:
        """Extend this replica's lease on an update it is still handling."""
        if self.redis is None:
            found = self._memory.get(update_id)
            if found is not None and found[0] == "busy":
                self._memory[update_id] = ("busy", time.monotonic() + self.lease)
            return
        await self.redis.set(self._key(update_id), "busy", xx=True, px=int(self.lease * 1000))

    @contextlib.asynccontextmanager
    async def holding(self, update_id: int) -> AsyncIterator[None]:
        """Renew the lease every third of it while the body runs (a claimed update)."""

        async def keep() -> None:
            while True:
                await asyncio.sleep(self.lease / 3)
                try:
                    await self.renew(update_id)
                except RedisError as exc:  # the next renewal may get through; the lease says the rest
                    logger.warning("could not renew the lease on update %s: %s", update_id, exc)

        renewing = asyncio.create_task(keep())
        try:
            yield
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    async def finish(self, update_id: int) -> None:
        if self.redis is None:
            self._memory[update_id] = ("done", time.monotonic() + DONE_TTL_SECONDS)
            return
        await self.redis.set(self._key(update_id), "done", ex=DONE_TTL_SECONDS)

    async def release(self, update_id: int) -> None:
        if self.redis is None:
            self._memory.pop(update_id, None)
            return
        await self.redis.delete(self._key(update_id))

    def _claim_in_memory(self, update_id: int) -> Claim:
        now = time.monotonic()
        if len(self._memory) > 100_000:
            self._memory = {k: v for k, v in self._memory.items() if v[1] > now}
        found = self._memory.get(update_id)
        if found is not None and found[1] > now:
            return Claim.DONE if found[0] == "done" else Claim.BUSY
        self._memory[update_id] = ("busy", now + self.lease)
        return Claim.MINE


def model_channel(prefix: str) -> str:
    return f"{prefix}:model-version"


async def publish_model_version(redis: Redis | None, prefix: str, version: str) -> None:
    """Tell every replica a new model version is current (they also poll, so this may fail)."""
    if redis is None:
        return
    try:
        receivers = await redis.publish(model_channel(prefix), version)
    except (OSError, ConnectionError) as exc:  # redis-py's ConnectionError is an OSError too
        logger.warning("could not announce model %s on Redis (replicas will poll): %s", version, exc)
        return
    logger.info("model %s announced to %d listener(s)", version, receivers)


async def model_announcements(redis: Redis, prefix: str, wake: asyncio.Event) -> None:
    """Set ``wake`` whenever a version is announced; reconnects until cancelled."""
    await announcements(redis, model_channel(prefix), wake, what="model announcements")


async def announcements(redis: Redis, channel: str, wake: asyncio.Event, *, what: str) -> None:
    """Set ``wake`` on every message on ``channel``; reconnects until cancelled (the listeners
    also poll, so a gap while reconnecting costs only a delay)."""
    while True:
        try:
            async with redis.pubsub() as pubsub:
                await pubsub.subscribe(channel)
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        wake.set()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the connection dropped: polling covers the gap
            raise_if_cancelled(exc)  # redis-py reports our own cancellation as a dropped connection
            logger.warning("%s: %s; resubscribing in 5 s", what, exc)
            await asyncio.sleep(5)


async def redis_ready(redis: Redis | None) -> tuple[bool, str]:
    if redis is None:
        return True, "not used"
    try:
        await asyncio.wait_for(redis.ping(), 2)
    except Exception as exc:  # any failure means "not ready", reported as such
        return False, type(exc).__name__
    return True, "ok"


class SentMessages:
    """Messages the deployment sent to Telegram, per wall-clock second.

    Telegram allows about 30 messages a second per bot, whichever process sends them: every
    replica's answers and the worker's digests draw on one budget. With Redis the count is
    shared (one key per second, kept briefly); without it, it is this process's own. A count
    that cannot be read or written counts as nothing: it paces digests, it never stops a reply.
    """

    def __init__(self, redis: Redis | None, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self._local: dict[int, int] = {}
        self._failing = False

    def _key(self, second: int) -> str:
        return f"{self.prefix}:sent:{second}"

    async def add(self, at: float) -> None:
        second = int(at)
        if self.redis is None:
            self._local = {s: n for s, n in self._local.items() if s >= second - 2}
            self._local[second] = self._local.get(second, 0) + 1
            return
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.incr(self._key(second))
                pipe.expire(self._key(second), SENT_KEY_TTL_SECONDS)
                await pipe.execute()
            self._failing = False
        except RedisError as exc:
            self._warn(exc)

    async def in_second(self, at: float) -> int:
        second = int(at)
        if self.redis is None:
            return self._local.get(second, 0)
        try:
            value = await self.redis.get(self._key(second))
        except RedisError as exc:
            self._warn(exc)
            return 0
        return int(value or 0)

    def _warn(self, exc: Exception) -> None:
        if not self._failing:  # once per outage, not once per message
            logger.warning("sent-message count unavailable (%s); digests paced by this process alone", exc)
        self._failing = True
