"""Every process's index follows the collected vacancies between retrains.

A retrain refreshes the vocabulary, topics and salary model on its schedule; between two, the
worker's collections reach answers through this follower: each bot replica and the worker
run ``IndexFollower.run``, which wakes when the worker announces a collection on Redis (or
every ``poll_seconds`` without Redis, or when a message was lost), asks the database what
changed since its cursor, builds the updated bundle in a thread (``Bundle.updated``: new
vacancies indexed with the bundle's vocabulary and models, closed and expired ones removed)
and swaps it in, unless the model watcher swapped in a new version meanwhile.

A new model version starts its own cursor: the moment its training read the data, less a
margin (re-adding a vacancy the bundle holds replaces it, so overlap is harmless); and on its
first catch-up every vacancy closed or expired by then is removed, since the training kept a
history of them for the salary model. That first catch-up (``level``) runs before the new
version is served (``ModelWatcher.prepare``) and before a process serves its first answer, so
this is the one place answers learn of closed vacancies: no vacancy closed since a bundle's
training is ever shown from it. Digests read fresh rows from the database, which leaves closed
ones out itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from redis.asyncio import Redis

from bot.config import Settings
from bot.services.model_holder import ModelHolder
from bot.shared_state import announcements

if TYPE_CHECKING:
    from recommender.bundle import Bundle
    from recommender.data.models import Vacancy

logger = logging.getLogger(__name__)

# Re-read this much before a bundle's training started: rows written while it read the data.
CURSOR_MARGIN = timedelta(minutes=10)


class VacancyChangeSource(Protocol):
    """Where the follower reads changes (``bot.storage.vacancy_changes.CollectedVacancyChanges``)."""

    async def changed_since(self, since: datetime, now: datetime) -> Any: ...

    async def gone_keys(self, now: datetime) -> list[str]: ...


def vacancies_channel(prefix: str) -> str:
    return f"{prefix}:vacancies"


async def announce_vacancies(redis: Redis | None, prefix: str) -> None:
    """Tell every process that collected vacancies changed (they also poll, so this may fail)."""
    if redis is None:
        return
    try:
        await redis.publish(vacancies_channel(prefix), "changed")
    except (OSError, ConnectionError) as exc:
        logger.warning("could not announce collected vacancies on Redis (processes will poll): %s", exc)


def training_started(bundle: Bundle) -> datetime | None:
    """When the bundle's training read its data (from its manifest), None when unknown."""
    manifest = getattr(bundle, "manifest", None) or {}
    try:
        created = datetime.fromisoformat(str(manifest["created_at"]))
    except (KeyError, ValueError):
        return None
    created = created if created.tzinfo else created.replace(tzinfo=UTC)
    return created - timedelta(seconds=float(manifest.get("train_seconds") or 0))


class IndexFollower:
    def __init__(
        self,
        holder: ModelHolder,
        changes: VacancyChangeSource,
        *,
        poll_seconds: float = 60.0,
        redis: Redis | None = None,
        redis_prefix: str = "jobrec",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.holder = holder
        self.changes = changes
        self.poll_seconds = poll_seconds
        self.redis = redis
        self.redis_prefix = redis_prefix
        self.clock = clock
        self._followed: Bundle | None = None  # the bundle the cursor belongs to (this follower served it)
        self._cursor: datetime | None = None

    @classmethod
    def for_settings(
        cls, settings: Settings, holder: ModelHolder, sessions: Any, redis: Redis | None
    ) -> IndexFollower:
        from bot.storage.vacancy_changes import CollectedVacancyChanges

        return cls(
            holder,
            CollectedVacancyChanges(sessions, settings.vacancy_retention_days),
            poll_seconds=settings.index_catchup_seconds,
            redis=redis,
            redis_prefix=settings.redis_prefix,
        )

    async def catch_up(self) -> int:
        """Bring the served bundle level with the database; returns the vacancies added + removed."""
        bundle = self.holder.current
        if bundle is None:
            return 0
        updated, count = await self._level(bundle)
        if updated is bundle:
            return 0
        if not self.holder.replace(bundle, updated):
            logger.info("a new model came in while the index caught up: it catches up next")
            return 0
        return count

    async def level(self, bundle: Bundle) -> Bundle:
        """``bundle`` level with the database, before it is served (``ModelWatcher.prepare``): a
        new model version starts without the vacancies closed since its training, and with those
        collected since; the follower then follows it from there."""
        updated, _ = await self._level(bundle)
        return updated

    async def _level(self, bundle: Bundle) -> tuple[Bundle, int]:
        """The updated bundle (``bundle`` itself when nothing changed) and how many vacancies moved;
        the follower's cursor then belongs to it."""
        now = self.clock()
        closed: list[str] = []
        cursor = self._cursor
        if bundle is not self._followed or cursor is None:  # a new model version
            started = training_started(bundle)
            cursor = (started or now) - CURSOR_MARGIN
            closed = await self.changes.gone_keys(now)
        changes = await self.changes.changed_since(cursor, now)
        closed += changes.closed
        gone = set(closed)
        added = [v for v in changes.added if v.key not in gone]  # changed, then expired by now
        updated = await asyncio.to_thread(_updated, bundle, added, gone) if added or gone else bundle
        self._followed, self._cursor = updated, now
        if updated is not bundle:
            logger.info(
                "index caught up: %d vacancies added, %d closed or expired, %d served",
                len(added), len(gone), len(updated.index),
            )  # fmt: skip
        return updated, len(added) + len(gone)

    async def catch_up_or_log(self) -> None:
        """``catch_up``, logging a failure (the database is down, say): the index is served as it is."""
        try:
            await self.catch_up()
        except Exception:  # whatever the database or the index update raised: try again later
            logger.exception("index catch-up failed; serving the index as it is")

    async def run(self) -> None:
        """Until cancelled: catch up at start, on every announcement and every ``poll_seconds``."""
        wake = asyncio.Event()
        listener = None
        if self.redis is not None:
            channel = vacancies_channel(self.redis_prefix)
            listening = announcements(self.redis, channel, wake, what="vacancy announcements")
            listener = asyncio.create_task(listening)
        try:
            while True:
                await self.catch_up_or_log()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), self.poll_seconds)
                wake.clear()
        finally:
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener


def _updated(bundle: Bundle, added: Sequence[Vacancy], gone: Collection[str]) -> Bundle:
    """``Bundle.updated``, warmed to serve: only the new vacancies' titles are read (the earlier
    version's readings are reused), not in the answers that first show them."""
    return bundle.updated(added, gone).warm()
