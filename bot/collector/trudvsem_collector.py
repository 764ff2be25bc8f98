"""Collect Работа России vacancies into the database: region by region, newest first.

Each listing (the whole country, or one region) is paged until its total, the API's depth
(100 pages), the ``--limit``, or the first page whose vacancies were all last changed before
the period: the feed is ordered by ``date_modify``, newest first, and has no server-side date
filter, so the period is applied here. A listing item is the whole vacancy (no card to
fetch). Pages stored are remembered in the progress file, as for hh.ru, so an interrupted
run resumes; a refusal (403, a long Retry-After) ends the run with its reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.collector.clock import Clock
from bot.collector.collector import CollectStats
from bot.collector.errors import SourceError, SourceStopped
from bot.collector.progress import CollectPlan, ProgressState, ProgressStore
from bot.collector.records import dump_json, record_of
from bot.collector.search import DEFAULT_PERIOD_DAYS
from bot.collector.trudvsem_client import MAX_PAGES, PER_PAGE, TrudvsemClient, TrudvsemPage
from bot.storage.vacancies import VacancyRecord, VacancyRepository
from recommender.data import BadRecord, parse_trudvsem

logger = logging.getLogger(__name__)

SOURCE = "trudvsem"
WHOLE_COUNTRY = ""  # the listing of every region at once


@dataclass(frozen=True)
class TrudvsemRequest:
    regions: Sequence[str] = ()  # 13-digit region codes; empty: the whole country
    period_days: int = DEFAULT_PERIOD_DAYS
    limit: int | None = None


class TrudvsemCollector:
    def __init__(
        self,
        client: TrudvsemClient,
        repository: VacancyRepository,
        *,
        progress: ProgressStore | None = None,
        clock: Clock | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.client = client
        self.repository = repository
        self.progress = progress
        self.clock = clock or client.clock
        self.on_progress = on_progress

    async def collect(self, request: TrudvsemRequest) -> CollectStats:
        state = self._start(request)
        stats = CollectStats(source=SOURCE)
        cutoff = state.started_at - timedelta(days=request.period_days)
        try:
            for region in list(request.regions) or [WHOLE_COUNTRY]:
                if await self._collect_listing(region, cutoff, state, stats, request.limit):
                    break  # the limit is reached: the run stays unfinished so it can be resumed
            else:
                state.finished = stats.failed_pages == 0
        except SourceStopped as exc:
            stats.error = exc.reason
        self._save(state)
        logger.info("collect: %s", stats.summary())
        return stats

    def _start(self, request: TrudvsemRequest) -> ProgressState:
        plan = CollectPlan(
            text=SOURCE,
            areas=list(request.regions),
            roles=[],
            period_days=request.period_days,
            started_at=self.clock.now().replace(microsecond=0).isoformat(),
        )
        return self.progress.resume_or_start(plan) if self.progress else ProgressState(plan=plan)

    def _save(self, state: ProgressState) -> None:
        if self.progress is not None:
            self.progress.save(state)

    async def _collect_listing(
        self, region: str, cutoff: datetime, state: ProgressState, stats: CollectStats, limit: int | None
    ) -> bool:
        """Page one listing; True when the limit stopped it."""
        key = f"{SOURCE}|{region}"
        last_page = MAX_PAGES - 1
        for page in range(MAX_PAGES):
            if page > last_page:
                break
            if limit is not None and stats.seen >= limit:
                return True
            if state.is_done(key, page):
                continue
            try:
                result = await self.client.page(region or None, page)
            except SourceStopped:
                raise
            except SourceError as exc:  # the rest of this listing waits for the next run
                logger.error("Работа России %s page %d failed: %s", region or "(all)", page, exc)
                stats.failed_pages += 1
                break
            last_page = self._last_page(result, region)
            items = result.items if limit is None else result.items[: max(0, limit - stats.seen)]
            older = await self._store(items, cutoff, stats)
            stats.pages += 1
            if len(items) == len(result.items):  # a page cut by the limit is asked again on resume
                state.mark_done(key, page)
                self._save(state)
            if older or not result.items:
                break  # newest first: the rest of the listing is older than the period
        return False

    @staticmethod
    def _last_page(result: TrudvsemPage, region: str) -> int:
        if result.total > MAX_PAGES * PER_PAGE and result.page == 0:
            logger.warning(
                "Работа России %s lists %d vacancies; only the newest %d are reachable",
                region or "(all)",
                result.total,
                MAX_PAGES * PER_PAGE,
            )
        return result.last_page

    async def _store(self, items: list[dict[str, Any]], cutoff: datetime, stats: CollectStats) -> bool:
        """Parse and upsert one page; True when it reached vacancies changed before ``cutoff``."""
        stats.seen += len(items)
        records: list[VacancyRecord] = []
        reached_older = False
        for item in items:
            try:
                vacancy = parse_trudvsem(item, on_bad_value=stats.drop)
            except BadRecord as exc:
                stats.fail(f"bad_record:{exc.reason}")
                continue
            changed = vacancy.updated_at or vacancy.published_at
            if changed is not None and changed < cutoff:
                reached_older = True
                stats.skipped += 1
                continue
            records.append(record_of(vacancy, dump_json(item)))
        counts = await self.repository.upsert(records, now=self.clock.now())
        stats.new += counts.new
        stats.updated += counts.updated
        stats.skipped += counts.unchanged
        if self.on_progress is not None:
            self.on_progress(len(items))
        return reached_older
