"""Load offline files of the API's shape (JSON Lines, .gz, JSON arrays) into ``collected_vacancies``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.collector.records import to_record
from bot.storage.vacancies import UpsertCounts, VacancyRecord, VacancyRepository
from bot.storage.vacancy_links import LINK_MARGIN, VacancyLinks
from recommender.data import BadRecord, Skip, iter_raw

logger = logging.getLogger(__name__)

# Rows handed to one upsert (one transaction): big enough to amortize the commit.
IMPORT_CHUNK = 5000


@dataclass
class ImportStats:
    read: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0  # unchanged rows already stored
    failed: int = 0
    failures: dict[str, int] = field(default_factory=dict)

    def fail(self, reason: str) -> None:
        self.failed += 1
        self.failures[reason] = self.failures.get(reason, 0) + 1

    def add(self, counts: UpsertCounts) -> None:
        self.new += counts.new
        self.updated += counts.updated
        self.skipped += counts.unchanged

    def summary(self) -> str:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(self.failures.items()))
        return (
            f"read {self.read}: new {self.new}, updated {self.updated}, skipped {self.skipped}, "
            f"failed {self.failed}" + (f" ({reasons})" if reasons else "")
        )


async def import_files(
    paths: Iterable[str | Path],
    repository: VacancyRepository,
    *,
    now: datetime | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportStats:
    """Upsert every valid record of ``paths``; bad records are skipped and counted by reason.
    Then the same job imported from two sources is merged into one entry (the link pass)."""
    started = now or datetime.now(UTC)
    stats = ImportStats()
    chunk: list[VacancyRecord] = []
    for obj in iter_raw(paths):
        if isinstance(obj, Skip):  # a broken line, or the rest of a truncated / unreadable file
            stats.read += 1 if obj.reason == "broken_json" else 0
            stats.fail(obj.reason)
            continue
        stats.read += 1
        try:
            chunk.append(to_record(obj))
        except BadRecord as exc:
            stats.fail(exc.reason)
        if len(chunk) >= IMPORT_CHUNK:
            stats.add(await repository.upsert(chunk, now=now))
            _report(on_progress, len(chunk))
            chunk = []
    if chunk:
        stats.add(await repository.upsert(chunk, now=now))
        _report(on_progress, len(chunk))
    await VacancyLinks(repository.session_factory).link_since(started - LINK_MARGIN, now=now)
    logger.info("import: %s", stats.summary())
    return stats


def _report(on_progress: Callable[[int], None] | None, n: int) -> None:
    if on_progress is not None:
        on_progress(n)
