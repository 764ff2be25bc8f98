"""Search slices: hh.ru returns at most 2,000 items per search, so big searches are split.

A query is first split by area and professional role (each its own search); a slice that
still finds more than 2,000 vacancies is halved by publication date until it fits.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.collector.hh_client import PER_PAGE, SEARCH_DEPTH_LIMIT, SearchPage

logger = logging.getLogger(__name__)

# hh keeps a vacancy in search for 30 days; a window narrower than this is not split further.
DEFAULT_PERIOD_DAYS = 30
MIN_WINDOW = timedelta(minutes=10)


class Searcher(Protocol):
    async def search(self, params: dict[str, Any]) -> SearchPage: ...


@dataclass(frozen=True)
class SearchSlice:
    """One hh.ru search whose results fit under the depth limit (or cannot be split further)."""

    text: str = ""
    area: str | None = None
    professional_role: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None

    def params(self, page: int = 0) -> dict[str, Any]:
        params: dict[str, Any] = {"page": page, "per_page": PER_PAGE}
        if self.text:
            params["text"] = self.text
        if self.area:
            params["area"] = self.area
        if self.professional_role:
            params["professional_role"] = self.professional_role
        if self.date_from is not None:
            params["date_from"] = self.date_from.isoformat(timespec="seconds")
        if self.date_to is not None:
            params["date_to"] = self.date_to.isoformat(timespec="seconds")
        return params

    @property
    def key(self) -> str:
        """A stable name, used to remember finished pages across interrupted runs."""
        parts = [self.text, self.area or "", self.professional_role or ""]
        parts += [d.isoformat(timespec="seconds") if d else "" for d in (self.date_from, self.date_to)]
        return "|".join(parts)

    def halves(self) -> tuple[SearchSlice, SearchSlice]:
        assert self.date_from is not None and self.date_to is not None
        middle = self.date_from + (self.date_to - self.date_from) / 2
        middle = middle.replace(microsecond=0)
        return replace(self, date_to=middle), replace(self, date_from=middle)


def initial_slices(
    text: str, areas: list[str], roles: list[str], *, now: datetime, period_days: int = DEFAULT_PERIOD_DAYS
) -> list[SearchSlice]:
    """One slice per area x role over the whole period (empty lists mean "any")."""
    date_from = (now - timedelta(days=period_days)).replace(microsecond=0)
    date_to = now.replace(microsecond=0)
    any_area: list[str | None] = list(areas) or [None]
    any_role: list[str | None] = list(roles) or [None]
    return [
        SearchSlice(text=text, area=area, professional_role=role, date_from=date_from, date_to=date_to)
        for area in any_area
        for role in any_role
    ]


def pages_needed(first: SearchPage) -> int:
    reachable = min(first.found, SEARCH_DEPTH_LIMIT)
    return min(first.pages, -(-reachable // PER_PAGE)) if first.pages else 0


async def split_to_fit(
    searcher: Searcher, root: SearchSlice
) -> AsyncIterator[tuple[SearchSlice, SearchPage]]:
    """Yield (slice, its first page) for slices whose results fit under the depth limit."""
    stack = [root]
    while stack:
        current = stack.pop()
        first = await searcher.search(current.params(0))
        too_many = first.found > SEARCH_DEPTH_LIMIT
        can_split = (
            current.date_from is not None
            and current.date_to is not None
            and current.date_to - current.date_from > MIN_WINDOW
        )
        if too_many and can_split:
            earlier, later = current.halves()
            stack.extend([later, earlier])  # earlier popped first: oldest vacancies first
            continue
        if too_many:
            logger.warning(
                "search %s finds %d vacancies; only the first %d are reachable",
                current.key,
                first.found,
                SEARCH_DEPTH_LIMIT,
            )
        yield current, first
