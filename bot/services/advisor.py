"""Use cases around the model bundle: recommendations and salary estimates.

The bundle's work is CPU-bound, so it runs in a thread (``asyncio.to_thread``) and the
event loop keeps serving other users meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from bot.services.model_holder import ModelHolder, version_of
from bot.texts import EXPERIENCE_LABELS, SCHEDULE_LABELS
from recommender.skills.query import MAX_QUERY_CHARS, Query, clean_query_text

logger = logging.getLogger(__name__)

PAGE_SIZE = 5
# A pasted resume can be long; skills are extracted from the first part only, which bounds
# the work per message. The library's one query cap, so the bot says what the model reads.
MAX_INPUT_CHARS = MAX_QUERY_CHARS


@dataclass(frozen=True, slots=True)
class CleanInput:
    text: str
    truncated: bool

    @property
    def empty(self) -> bool:
        return not self.text


def clean_input(text: str | None) -> CleanInput:
    """Strip whitespace and control characters and cap the length (as the query parser does)."""
    cleaned, truncated = clean_query_text(text)
    return CleanInput(cleaned, truncated)


@dataclass(frozen=True, slots=True)
class Filters:
    area: str | None = None
    experience: str | None = None
    schedule: str | None = None

    def any(self) -> bool:
        return any((self.area, self.experience, self.schedule))


@dataclass(slots=True)
class Advice:
    """One recommendation answer and the bundle that produced it."""

    recommendation: Any  # recommender.recommend.Recommendation
    bundle: Any
    page: int
    filters_dropped: bool = False

    @property
    def model_version(self) -> str | None:
        return version_of(self.bundle)

    @property
    def has_more(self) -> bool:
        rec = self.recommendation
        return (self.page + 1) * PAGE_SIZE < int(rec.total_vacancies)

    def display(self, skill: str) -> str:
        return display_skill(self.bundle, skill)


@dataclass(slots=True)
class SalaryAnswer:
    grid: Any  # recommender.salary.SalaryGrid, in the roubles the setting chose
    chart_png: bytes | None
    skills: list[str]
    bundle: Any
    highlight: tuple[str, str] | None = None  # the user's own (schedule, experience) cell

    def display(self, skill: str) -> str:
        return display_skill(self.bundle, skill)


def display_skill(bundle: Any, skill: str) -> str:
    vocabulary = getattr(bundle, "vocabulary", None)
    try:
        return str(vocabulary.display(skill)) if vocabulary is not None else skill
    except Exception:  # a display failure must never break an answer
        return skill


class Advisor:
    def __init__(self, holder: ModelHolder, *, salary_money: str = "today") -> None:
        self.holder = holder
        self.salary_money = salary_money  # "today" (wage-index estimate) or "data_year"

    @property
    def ready(self) -> bool:
        return self.holder.current is not None

    async def recommend(
        self, text: str | Query, *, page: int = 0, filters: Filters = Filters()
    ) -> Advice | None:
        """None when no model is loaded yet. ``text`` is the user's text or an already parsed query."""
        bundle = self.holder.current  # kept for the whole request, even if a retrain swaps it
        if bundle is None:
            return None
        page = max(0, page)
        query = text if isinstance(text, Query) else bundle.parse(text)
        rec = await asyncio.to_thread(_recommend, bundle, query, page, filters)
        if rec.total_vacancies == 0 and filters.any() and rec.skills_recognized:
            # Filters too narrow for the corpus: better some vacancies than none.
            rec = await asyncio.to_thread(_recommend, bundle, query, page, Filters())
            return Advice(rec, bundle, page, filters_dropped=True)
        return Advice(rec, bundle, page)

    async def salary(
        self,
        text: str | Query,
        *,
        area: str | None = None,
        experience: str | None = None,
        schedule: str | None = None,
        lang: str = "ru",
    ) -> SalaryAnswer | None:
        """The grid for ``text`` with its chart; the user's (schedule, experience) cell highlighted."""
        bundle = self.holder.current
        if bundle is None:
            return None
        query = text if isinstance(text, Query) else bundle.parse(text)
        highlight = (schedule, experience) if schedule and experience else None
        return await asyncio.to_thread(_salary, bundle, query, area, highlight, lang, self.salary_money)

    def extract(self, text: str) -> list[str]:
        bundle = self.holder.current
        if bundle is None:
            return []
        return list(bundle.vocabulary.extract(text).skills)


def _recommend(bundle: Any, query: Query, page: int, filters: Filters) -> Any:
    return bundle.recommend(
        query,
        PAGE_SIZE,
        offset=page * PAGE_SIZE,
        area=filters.area,
        schedule=filters.schedule,
        experience=filters.experience,
    )


def _salary(
    bundle: Any, query: Query, area: str | None, highlight: tuple[str, str] | None, lang: str, money: str
) -> SalaryAnswer | None:
    # matplotlib and the wage index: imported only when needed
    from recommender.salary import salary_chart
    from recommender.salary.chart import chart_text
    from recommender.salary.wage_index import latest_year

    grid = bundle.salary_grid(query, area=area)
    if grid is None or not getattr(grid, "cells", None):
        return None
    if money == "today":
        grid = grid.in_year(latest_year())
    skills = list(query.skills)
    # The chart names schedules and levels exactly as the table beside it does.
    labels = chart_text(
        lang, schedules=SCHEDULE_LABELS.get(lang, SCHEDULE_LABELS["ru"]),
        experience=EXPERIENCE_LABELS.get(lang, EXPERIENCE_LABELS["ru"]),
    )  # fmt: skip
    try:
        chart = salary_chart(grid, text=labels, highlight=highlight)
    except Exception:
        logger.exception("salary chart failed; sending the table only")
        chart = None
    return SalaryAnswer(grid=grid, chart_png=chart, skills=skills, bundle=bundle, highlight=highlight)
