"""Use cases around the model bundle: recommendations and salary estimates.

The bundle's work is CPU-bound, so it runs in a thread (``asyncio.to_thread``) and the
event loop keeps serving other users meanwhile. Answers and digests list vacancies the same way
(``Recommender.rank``, then ``Recommender.vacancies`` with the library's ``Filters``): one ranking
path, one set of filters. An answer ranks its query once: relaxing its filters and turning its
pages re-filter that ranking (the recommender keeps the last few).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from bot.services.model_holder import ModelHolder, version_of
from bot.texts import EXPERIENCE_LABELS, SCHEDULE_LABELS
from recommender.data.cities import find_city
from recommender.recommend import Filters
from recommender.skills.english import display_in
from recommender.skills.query import Query

if TYPE_CHECKING:
    from recommender.bundle import Bundle
    from recommender.data.money import PublishedPay
    from recommender.recommend import Listing, Recommendation, Recommender, SkillAdvice
    from recommender.salary import SalaryGrid
    from recommender.salary.chart import ChartText
    from recommender.skills.understand import Understood

logger = logging.getLogger(__name__)

PAGE_SIZE = 5
# As far as a student pages through an answer: the salary grid is calibrated on this many listed
# vacancies of the user's cell (Bundle.salary_grid(listed=...)).
PAGES_LOOKED_AT = 10
MIN_SALARIES = (50_000, 100_000, 150_000, 200_000, 300_000)


# One filter dropped at a time, in this order, until something is found: the user hears which.
# "remote" keeps the other filters but looks for remote work anywhere instead of in the city.
RELAX_ORDER = ("min_salary", "with_salary", "employment", "remote", "area", "schedule", "experience")


def relaxations(filters: Filters) -> Iterator[tuple[str, Filters]]:
    """(what was relaxed, the looser filters), cumulatively, each step one filter looser.

    "remote" keeps the other filters but looks for remote work anywhere instead of in the
    city; after it, dropping the remote schedule the user never asked for is "area"."""
    current = filters
    for step in RELAX_ORDER:
        if step == "remote":
            if not current.area or current.schedule not in (None, "remote"):
                continue
            current = current.replace(area=None, schedule="remote")
        elif step == "schedule" and filters.schedule is None and current.schedule == "remote":
            current = current.replace(schedule=None)
            step = "area"
        elif not getattr(current, step):
            continue
        else:
            current = current.replace(**{step: False if step == "with_salary" else None})
        yield step, current


def single_relaxations(filters: Filters) -> Iterator[tuple[str, Filters]]:
    """(what was relaxed, the filters without it): each of the user's filters dropped alone, the
    others kept, in RELAX_ORDER. Tried before dropping them one after another, so a filter the
    data cannot answer (a field the vacancies lack: "Занятость: полная" over search items with no
    employment) goes alone and never takes the salary minimum or the city with it."""
    for step in RELAX_ORDER:
        if step == "remote":
            if filters.area and filters.schedule in (None, "remote"):
                yield step, filters.replace(area=None, schedule="remote")
        elif step == "with_salary":
            if filters.with_salary and not filters.min_salary:  # a minimum implies a stated salary
                yield step, filters.replace(with_salary=False)
        elif getattr(filters, step):
            yield step, filters.replace(**{step: None})


@dataclass(slots=True)
class Answer:
    """One recommendation answer and the bundle that produced it."""

    recommendation: Recommendation
    bundle: Bundle
    page: int
    query: Query
    filters: Filters = field(default_factory=Filters)  # the filters the vacancies were found with
    relaxed: tuple[str, ...] = ()  # what was dropped from the user's filters to find them
    asked: Filters | None = None  # the user's filters, when some had to be relaxed

    @property
    def filters_asked(self) -> Filters:
        return self.asked or self.filters

    @property
    def model_version(self) -> str | None:
        return version_of(self.bundle)

    @property
    def has_more(self) -> bool:
        """Further vacancies, weaker ones included, can be paged to."""
        rec = self.recommendation
        reachable = max(int(rec.total_vacancies), int(getattr(rec, "total_candidates", 0)))
        return (self.page + 1) * PAGE_SIZE < reachable

    def display(self, skill: str, lang: str = "ru") -> str:
        return display_skill(self.bundle, skill, lang)

    def display_in(self, lang: str) -> Callable[[str], str]:
        return functools.partial(display_skill, self.bundle, lang=lang)


@dataclass(slots=True)
class SalaryAnswer:
    grid: SalaryGrid  # in the roubles the setting chose
    chart_png: bytes | None
    skills: list[str]
    bundle: Bundle | None  # whose vocabulary names the skills (None: shown as stored)
    highlight: tuple[str, str] | None = None  # the user's own (schedule, experience) cell

    def display(self, skill: str, lang: str = "ru") -> str:
        return display_skill(self.bundle, skill, lang)


@dataclass(frozen=True, slots=True)
class VacancyFacts:
    """What /saved shows beside a saved vacancy's title: its published salary and date."""

    pay: PublishedPay | None
    published_at: str | None  # ISO date


def display_skill(bundle: Bundle | None, skill: str, lang: str = "ru") -> str:
    """A skill as the reader of ``lang`` sees it: the vocabulary's display name, in English for "en"."""
    vocabulary = getattr(bundle, "vocabulary", None)
    return display_in(lang, vocabulary.display(skill) if vocabulary is not None else skill)


class Advisor:
    def __init__(self, holder: ModelHolder, *, salary_money: str = "today") -> None:
        self.holder = holder
        self.salary_money = salary_money  # "today" (wage-index estimate) or "data_year"

    @property
    def ready(self) -> bool:
        return self.holder.current is not None

    @property
    def unavailable_key(self) -> str:
        """The text key telling a user why there is no answer: training, or broken."""
        return "model_broken" if self.holder.problem else "model_missing"

    async def understand(self, text: str) -> Understood | None:
        """Typed text as the library reads it (``Bundle.understand``: typos corrected, a job title
        as its field), or None when no model is loaded yet. The one reading of every typed path."""
        bundle = self.holder.current
        return None if bundle is None else await asyncio.to_thread(bundle.understand, text)

    def query_of_profile(
        self, skills: Collection[str], text: str = "", unknown: Collection[tuple[str, Collection[str]]] = ()
    ) -> Query | None:
        """Stored skills (a profile, an answer's) as a query of the serving bundle
        (``Bundle.query_of_profile``), or None when no model is loaded yet."""
        bundle = self.holder.current
        return None if bundle is None else bundle.query_of_profile(skills, text, unknown)

    async def recommend(
        self,
        query: Query,
        *,
        page: int = 0,
        filters: Filters = Filters(),
        exclude_keys: Collection[str] = (),
        relax: bool = True,
        field: str | None = None,
    ) -> Answer | None:
        """None when no model is loaded yet. With ``relax``, filters that leave nothing are
        relaxed one at a time, and the answer says which: each alone first (the others kept),
        then one after another (RELAX_ORDER). ``field``: a field the
        answer offers that the user chose (``Recommendation.fields``)."""
        bundle = self.holder.current  # kept for the whole request, even if a retrain swaps it
        if bundle is None:
            return None
        page = max(0, page)
        asked = Asked(query, filters, page, tuple(exclude_keys), field, relax)
        rec, found, relaxed = await asyncio.to_thread(_answer, bundle.recommender(), asked)
        return Answer(rec, bundle, page, query, found, relaxed, asked=filters if relaxed else None)

    async def recognized(self, query: Query) -> tuple[str, ...] | None:
        """The skills an answer to ``query`` reads (a job title typed alone: the skills it stands
        for), nothing ranked; None when no model is loaded yet."""
        bundle = self.holder.current
        if bundle is None:
            return None
        return await asyncio.to_thread(bundle.recommender().recognized, query)

    async def skills_to_learn(self, query: Query) -> list[SkillAdvice] | None:
        """The skills an answer to ``query`` advises to learn, without its vacancies or fields;
        None when no model is loaded yet."""
        bundle = self.holder.current
        if bundle is None:
            return None
        return await asyncio.to_thread(_skills_to_learn, bundle.recommender(), query)

    async def salary(
        self,
        query: Query,
        *,
        area: str | None = None,
        experience: str | None = None,
        schedule: str | None = None,
        lang: str = "ru",
        field: str | None = None,
    ) -> SalaryAnswer | None:
        """The grid for ``query`` with its chart; the user's (schedule, experience) cell highlighted;
        within the ``field`` the user chose, as their answers are."""
        bundle = self.holder.current
        if bundle is None:
            return None
        highlight = (schedule, experience) if schedule and experience else None
        return await asyncio.to_thread(
            _salary, bundle, query, area, highlight, lang, self.salary_money, field
        )

    def display(self, skill: str, lang: str = "ru") -> str:
        return display_skill(self.holder.current, skill, lang)

    def display_in(self, lang: str) -> Callable[[str], str]:
        return functools.partial(self.display, lang=lang)

    def vacancy_facts(self, vacancy_keys: Collection[str]) -> dict[str, VacancyFacts]:
        """Salary and publication date of vacancies the serving corpus holds (by key), for /saved."""
        bundle = self.holder.current
        if bundle is None:
            return {}
        index = bundle.index
        facts: dict[str, VacancyFacts] = {}
        for key in vacancy_keys:
            for row in index.rows_of([key]):
                day = index.published(row)
                facts[key] = VacancyFacts(index.pay(row), day.isoformat() if day else None)
        return facts

    def area_names(self) -> tuple[str, ...]:
        """The corpus's area names as hh writes them: cities a user may type beyond the common ones."""
        bundle = self.holder.current
        return () if bundle is None else tuple(bundle.index.areas)

    def data_period(self) -> tuple[date, date] | None:
        """(first, last) publication dates of the serving corpus, or None."""
        bundle = self.holder.current
        return None if bundle is None else bundle.data_period


@dataclass(frozen=True, slots=True)
class Asked:
    """What an answer was asked for: the query, the user's filters, the page and what to leave out."""

    query: Query
    filters: Filters
    page: int
    exclude_keys: tuple[str, ...]
    field: str | None
    relax: bool


def _answer(recommender: Recommender, asked: Asked) -> tuple[Recommendation, Filters, tuple[str, ...]]:
    """(the answer, the filters its vacancies were found with, what was relaxed to find them). The
    query is ranked once (or read from the recommender's cache on a page press); each relaxed
    filter only re-filters that ranking."""
    ranking = recommender.rank(asked.query, field=asked.field)
    if ranking is None:
        return recommender.recommendation(asked.query, None), asked.filters, ()
    today = _today()

    def listing(filters: Filters) -> Listing:
        return recommender.vacancies(
            ranking, filters, PAGE_SIZE, offset=asked.page * PAGE_SIZE, exclude_keys=asked.exclude_keys,
            today=today,
        )  # fmt: skip

    plain = listing(asked.filters)
    # a job title typed alone ("учитель") is answered from its title's skills: relaxed, they reach
    # vacancies of other trades sharing one generic skill, so its filters stay as asked
    tries = _relaxed(asked.filters) if asked.relax and not asked.query.empty else ()
    for relaxed, looser in tries if not plain.total_vacancies else ():
        strong, _ = recommender.totals(ranking, looser, asked.exclude_keys)
        if strong:  # listed only for the filters that find something
            return recommender.recommendation(asked.query, ranking, listing(looser)), looser, relaxed
    return recommender.recommendation(asked.query, ranking, plain), asked.filters, ()


def _skills_to_learn(recommender: Recommender, query: Query) -> list[SkillAdvice]:
    ranking = recommender.rank(query)
    return [] if ranking is None else ranking.skills_to_learn


def _relaxed(filters: Filters) -> Iterator[tuple[tuple[str, ...], Filters]]:
    """(what was relaxed, the looser filters) in the order they are tried: each of the user's filters
    alone first (the others kept), then one after another (RELAX_ORDER)."""
    singles = list(single_relaxations(filters))
    for step, looser in singles if len(singles) > 1 else ():
        yield (step,), looser
    relaxed: list[str] = []
    for step, looser in relaxations(filters):
        relaxed.append(step)
        yield tuple(relaxed), looser


def _today() -> date:
    """The date answers are ranked for: this month's vacancies lead their match tier (the
    library never reads the clock; a 2021 vacancy is long closed)."""
    return datetime.now(UTC).date()


def chart_words(lang: str, area: str | None) -> ChartText:
    """The chart's words (recommender.salary.chart.ChartText) in ``lang``: schedules and levels
    named exactly as the table beside it names them, the city as the reader's language does."""
    from recommender.salary.chart import chart_text

    city = find_city(area) if area else None
    return chart_text(
        lang, schedules=SCHEDULE_LABELS.get(lang, SCHEDULE_LABELS["ru"]),
        experience=EXPERIENCE_LABELS.get(lang, EXPERIENCE_LABELS["ru"]),
        place=city.label(lang) if city is not None else None,
    )  # fmt: skip


def _salary(
    bundle: Bundle,
    query: Query,
    area: str | None,
    highlight: tuple[str, str] | None,
    lang: str,
    money: str,
    field: str | None = None,
) -> SalaryAnswer | None:
    # matplotlib and the wage index: imported only when needed
    from recommender.salary import salary_chart
    from recommender.salary.wage_index import latest_year

    # With the user's cell known, the bundle calibrates the grid's level on the vacancies listed
    # for it (same city, experience, schedule), in the data year's money, before any conversion.
    schedule, experience = highlight if highlight is not None else (None, None)
    grid = bundle.salary_grid(
        query, area, schedule=schedule, experience=experience, field=field,
        listed=PAGES_LOOKED_AT * PAGE_SIZE, today=_today(),  # as the answers list them
    )  # fmt: skip
    if grid is None or not getattr(grid, "cells", None):
        return None
    if money == "today":
        grid = grid.in_year(latest_year())
    skills = list(query.skills)
    try:
        chart = salary_chart(grid, text=chart_words(lang, grid.area), highlight=highlight)
    except Exception:  # matplotlib fails in many ways (fonts, backends, memory): the table still answers
        logger.exception("salary chart failed; sending the table only")
        chart = None
    return SalaryAnswer(grid=grid, chart_png=chart, skills=skills, bundle=bundle, highlight=highlight)
