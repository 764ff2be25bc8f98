"""Vacancies closed at their source since the serving bundle was trained: answers leave them out.

A bundle's rows are fixed when it is trained; the collector keeps marking vacancies closed
(hh's ``archived``, a 404 on re-check, gone from the feed). This is the one place the serving
process learns of them: the keys closed since the bundle's training (with a day's margin for
the export that preceded it), read again when the bundle changes or after ``max_age`` seconds.
An incremental index that drops closed rows itself can replace it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.storage.vacancies import VacancyRepository

logger = logging.getLogger(__name__)

EXPORT_MARGIN = timedelta(days=1)  # the collected vacancies are exported before training starts


def trained_at(bundle: Any) -> datetime | None:
    """When the bundle was written (its manifest's ``created_at``), None when unknown."""
    manifest = getattr(bundle, "manifest", None)
    created = manifest.get("created_at") if isinstance(manifest, dict) else None
    try:
        return datetime.fromisoformat(created) if isinstance(created, str) else None
    except ValueError:
        return None


class ClosedVacancies:
    def __init__(
        self,
        vacancies: VacancyRepository,
        *,
        max_age: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.vacancies = vacancies
        self.max_age = max_age
        self.clock = clock
        self._keys: frozenset[str] = frozenset()
        self._bundle_id: int | None = None
        self._read_at: float | None = None

    async def keys(self, bundle: Any) -> frozenset[str]:
        """Keys of the vacancies closed since ``bundle`` was trained."""
        now = self.clock()
        fresh = self._read_at is not None and now - self._read_at < self.max_age
        if fresh and self._bundle_id == id(bundle):
            return self._keys
        since = trained_at(bundle)
        self._keys = await self.vacancies.closed_keys(since - EXPORT_MARGIN if since else None)
        if self._keys:
            logger.debug("%d vacancies closed since the bundle's training", len(self._keys))
        self._bundle_id, self._read_at = id(bundle), now
        return self._keys
