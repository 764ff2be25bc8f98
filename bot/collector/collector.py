"""Collect hh.ru vacancies into the database: search, fetch new or changed cards, upsert.

A refusal (SourceStopped: a 403, a Retry-After longer than the run can wait) ends the run
with what it stored so far and the reason in ``CollectStats.error``; the progress file keeps
the run unfinished, so the next run resumes it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.collector.clock import Clock
from bot.collector.errors import RecordGone, SourceError, SourceStopped
from bot.collector.hh_client import HHClient, SearchPage
from bot.collector.progress import CollectPlan, ProgressState, ProgressStore
from bot.collector.records import fingerprint, is_card, to_record
from bot.collector.search import DEFAULT_PERIOD_DAYS, SearchSlice, initial_slices, pages_needed, split_to_fit
from bot.storage.vacancies import VacancyRecord, VacancyRepository
from recommender.data import BadRecord, country_index

logger = logging.getLogger(__name__)


@dataclass
class CollectStats:
    """What one source's run did; ``error`` says why it stopped early, ``ok`` whether it failed."""

    source: str = "hh"
    seen: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0  # unchanged: already stored with the same content
    failed: int = 0
    archived: int = 0
    pages: int = 0
    failed_pages: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    error: str | None = None  # why the run stopped early (None: it ran to its end or its limit)
    # Values dropped from vacancies that were kept (a salary in an unknown currency), by reason.
    dropped: dict[str, int] = field(default_factory=dict)

    def fail(self, reason: str) -> None:
        self.failed += 1
        self.failures[reason] = self.failures.get(reason, 0) + 1

    def drop(self, reason: str) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + 1

    @property
    def ok(self) -> bool:
        """False when the run stopped early or a page could not be fetched: exit non-zero on it."""
        return self.error is None and self.failed_pages == 0

    @property
    def outcome(self) -> str:
        if self.error is not None:
            return f"stopped: {self.error}"
        if self.failed_pages:
            return f"incomplete: {self.failed_pages} pages failed, the next run retries them"
        return "done"

    def summary(self) -> str:
        why = ""
        if self.failures:
            why = " (" + ", ".join(f"{reason} {n}" for reason, n in sorted(self.failures.items())) + ")"
        if self.dropped:
            dropped = ", ".join(f"{reason} {n}" for reason, n in sorted(self.dropped.items()))
            why += f", salaries dropped ({dropped})"
        return (
            f"{self.source}: seen {self.seen}: new {self.new}, updated {self.updated}, "
            f"skipped {self.skipped}, failed {self.failed}{why}, closed {self.archived} "
            f"({self.pages} pages, {self.failed_pages} failed) — {self.outcome}"
        )


@dataclass(frozen=True)
class CollectRequest:
    text: str = ""
    areas: Sequence[str] = ()
    roles: Sequence[str] = ()
    period_days: int = DEFAULT_PERIOD_DAYS
    limit: int | None = None


class _Gone:
    """Marker for a card that hh.ru no longer serves (404)."""


class Collector:
    def __init__(
        self,
        client: HHClient,
        repository: VacancyRepository,
        *,
        progress: ProgressStore | None = None,
        fetch_cards: bool = True,
        clock: Clock | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.client = client
        self.repository = repository
        self.progress = progress
        self.fetch_cards = fetch_cards
        # The client's clock by default, so "now" and the retry sleeps agree in tests.
        self.clock = clock or client.clock
        self.on_progress = on_progress
        self.area_tree: list[dict[str, Any]] = []
        self.countries: dict[str, str] | None = None  # area id -> country, from the tree

    async def collect(self, request: CollectRequest) -> CollectStats:
        """Run (or resume) one collection; a refusal ends it with ``error`` set, other failures count."""
        state = self._start(request)
        stats = CollectStats(source="hh")
        try:
            await self._collect_roots(request, state, stats)
        except SourceStopped as exc:
            stats.error = exc.reason
        self._save(state)
        logger.info("collect: %s", stats.summary())
        return stats

    async def _collect_roots(
        self, request: CollectRequest, state: ProgressState, stats: CollectStats
    ) -> None:
        await self._load_areas()
        roots = initial_slices(
            request.text,
            list(request.areas),
            list(request.roles),
            now=state.started_at,
            period_days=request.period_days,
        )
        for root in roots:
            if await self._collect_root(root, state, stats, request.limit):
                break  # the limit is reached: the run stays unfinished so it can be resumed
        else:
            state.finished = stats.failed_pages == 0

    async def _load_areas(self) -> None:
        """hh.ru's areas tree, once per run: which country each vacancy's area is in."""
        try:
            self.area_tree = await self.client.areas()
            self.countries = country_index(self.area_tree)
        except SourceStopped:
            raise
        except SourceError as exc:
            logger.warning("hh.ru areas tree unavailable, countries stay unknown: %s", exc)

    def _start(self, request: CollectRequest) -> ProgressState:
        plan = CollectPlan(
            text=request.text,
            areas=list(request.areas),
            roles=list(request.roles),
            period_days=request.period_days,
            started_at=self.clock.now().replace(microsecond=0).isoformat(),
        )
        return self.progress.resume_or_start(plan) if self.progress else ProgressState(plan=plan)

    def _save(self, state: ProgressState) -> None:
        if self.progress is not None:
            self.progress.save(state)

    async def _collect_root(
        self, root: SearchSlice, state: ProgressState, stats: CollectStats, limit: int | None
    ) -> bool:
        """Collect every page of the root's fitting slices; True when the limit stopped it."""
        try:
            async for current, first in split_to_fit(self.client, root):
                for page in range(pages_needed(first)):
                    if limit is not None and stats.seen >= limit:
                        return True
                    if state.is_done(current.key, page):
                        continue
                    if await self._collect_page(current, page, first, stats, limit):
                        state.mark_done(current.key, page)
                        self._save(state)
        except SourceStopped:
            raise
        except SourceError as exc:  # the split search itself failed: the next run retries the slice
            logger.error("search %s failed: %s", root.key, exc)
            stats.failed_pages += 1
        return False

    async def _collect_page(
        self, current: SearchSlice, page: int, first: SearchPage, stats: CollectStats, limit: int | None
    ) -> bool:
        try:
            result = first if page == 0 else await self.client.search(current.params(page))
        except SourceStopped:
            raise
        except SourceError as exc:
            logger.error("search page %s #%d failed: %s", current.key, page, exc)
            stats.failed_pages += 1
            return False
        items: list[dict[str, Any]] = result.items
        if limit is not None:
            items = items[: max(0, limit - stats.seen)]
        await self._store_items(items, stats)
        stats.pages += 1
        return limit is None or len(items) == len(result.items)

    async def _store_items(self, items: list[dict[str, Any]], stats: CollectStats) -> None:
        stats.seen += len(items)
        identified = [item for item in items if item.get("id") not in (None, "")]
        for _ in range(len(items) - len(identified)):
            stats.fail("no_id")
        stored = await self.repository.raw_json_of([_hh_key(item) for item in identified])
        changed = [
            item
            for item in identified
            if not _unchanged(item, stored.get(_hh_key(item)), need_card=self.fetch_cards)
        ]
        # seen unchanged: still open at the source (retention reads last_seen_at)
        await self.repository.mark_seen(
            [_hh_key(item) for item in identified if item not in changed], now=self.clock.now()
        )
        stats.skipped += len(identified) - len(changed)
        results = await asyncio.gather(
            *(self._full_record(item, stats) for item in changed), return_exceptions=True
        )
        records: list[VacancyRecord] = []
        closed: list[VacancyRecord] = []
        gone: list[str] = []
        stopped: SourceStopped | None = None
        for item, outcome in zip(changed, results, strict=True):
            if isinstance(outcome, SourceStopped):
                stopped = outcome  # store what did arrive first, then end the run
            elif isinstance(outcome, _Gone):
                if _hh_key(item) in stored:
                    gone.append(_hh_key(item))
                else:
                    self._add_closed(item, closed, stats)
            elif isinstance(outcome, BadRecord):
                stats.fail(f"bad_record:{outcome.reason}")
            elif isinstance(outcome, BaseException):
                logger.warning("vacancy %s failed: %s", item.get("id"), outcome)
                stats.fail("fetch_failed")
            else:
                records.append(outcome)
        counts = await self.repository.upsert(records, now=self.clock.now())
        stats.new += counts.new
        stats.updated += counts.updated
        stats.skipped += counts.unchanged
        stats.archived += await self.repository.mark_archived(gone, now=self.clock.now())
        closed_counts = await self.repository.upsert(closed, now=self.clock.now())
        stats.archived += closed_counts.new + closed_counts.updated
        if self.on_progress is not None:
            self.on_progress(len(items))
        if stopped is not None:
            raise stopped

    def _add_closed(self, item: dict[str, Any], closed: list[VacancyRecord], stats: CollectStats) -> None:
        """A new vacancy whose card answers 404: stored from its list item as closed (counted so)."""
        try:
            closed.append(to_record({**item, "archived": True}, countries=self.countries))
        except BadRecord as exc:
            stats.fail(f"bad_record:{exc.reason}")

    async def _full_record(self, item: dict[str, Any], stats: CollectStats) -> VacancyRecord | _Gone:
        if not self.fetch_cards:
            return to_record(item, countries=self.countries, on_bad_value=stats.drop)
        try:
            card = await self.client.vacancy(str(item["id"]))
        except RecordGone:
            return _Gone()
        return to_record(card, countries=self.countries, on_bad_value=stats.drop)


def _hh_key(item: dict[str, Any]) -> str:
    """The ``Vacancy.key`` of an hh.ru item."""
    return f"hh:{item['id']}"


def _unchanged(item: dict[str, Any], stored_raw: str | None, *, need_card: bool) -> bool:
    """Whether the stored copy already has this list item's content (and a card when wanted)."""
    if stored_raw is None:
        return False
    try:
        stored = json.loads(stored_raw)
    except ValueError:
        return False
    if not isinstance(stored, dict) or (need_card and not is_card(stored)):
        return False
    return fingerprint(stored) == fingerprint(item)
