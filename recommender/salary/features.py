"""What the salary models see: training rows from vacancies, and query rows for the grid.

A row is a ``SalaryInput``: the same fields whether it comes from a vacancy (training,
evaluation) or from a student's skills query (the grid), so the model never sees two
different feature layouts.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

from recommender.data.models import EXPERIENCE_NAMES, SCHEDULE_NAMES, Vacancy, schedule_id
from recommender.salary.outliers import REPORT_BOUNDS, REPORT_RULE, OutlierRule

logger = logging.getLogger(__name__)

# The report's bounds (and the loader's default): net RUB per month.
DEFAULT_SALARY_BOUNDS: tuple[float, float] = REPORT_BOUNDS

EXPERIENCE_LEVELS: tuple[str, ...] = tuple(EXPERIENCE_NAMES)  # hh's order: less → more experience
SCHEDULES: tuple[str, ...] = tuple(SCHEDULE_NAMES)
UNKNOWN = "unknown"
# hh labels that name a level or nothing rather than a field (recommender.salary.experience).
NOT_FIELDS: frozenset[str] = frozenset({"Начальный уровень, Мало опыта", "Другое", "Стажировка"})


class SkillSource(Protocol):
    """The part of ``recommender.skills.SkillVocabulary`` the salary model needs."""

    def skills_of(self, vacancy: Vacancy) -> list[str]: ...

    def extract(self, text: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class SalaryInput:
    """One row of features, from a vacancy or from a query."""

    text: str
    experience: str
    schedule: str
    title: str = ""
    skills: tuple[str, ...] = ()
    city: str = UNKNOWN
    year: int = 0
    topic: str = UNKNOWN
    fields: tuple[str, ...] = ()  # hh label ids (vacancy_fields); a query has none
    detail: str = "query"  # "list" or "card" for a vacancy (Vacancy.detail)
    source: str = "query"  # "hh" or "trudvsem" for a vacancy (Vacancy.source)

    @property
    def experience_level(self) -> float:
        """Ordinal experience (0 = none … 3 = over six years): lets the model be monotone in it."""
        return float(EXPERIENCE_LEVELS.index(self.experience))


@dataclass(slots=True)
class TrainingRows:
    """Rows kept for training, their net monthly RUB targets, and what was dropped and why."""

    inputs: list[SalaryInput]
    targets: np.ndarray
    ids: list[str]
    skipped: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.inputs)


def skills_token(skill: str) -> str:
    """A multi-word skill as one token ("machine learning" → "machine_learning") for BoW features."""
    return "_".join(skill.lower().split())


def query_skills(vocabulary: SkillSource | None, text: str) -> tuple[str, ...]:
    """Canonical skills of a free-text query."""
    if vocabulary is None:
        # Without a vocabulary, take the query's comma-separated items as skills as typed.
        return tuple(item.strip() for item in re.split(r"[,;\n]+", text) if item.strip())
    return tuple(vocabulary.extract(text).skills)


def vacancy_fields(vacancy: Vacancy) -> tuple[str, ...]:
    """The vacancy's fields: its hh label ids, without level-like and catch-all labels."""
    return tuple(dict.fromkeys(label.id for label in vacancy.labels if label.name not in NOT_FIELDS))


def vacancy_input(
    vacancy: Vacancy, vocabulary: SkillSource | None = None, topic: object = None
) -> SalaryInput:
    """Features of one vacancy; assumes its experience and schedule are known hh ids."""
    skills = tuple(vocabulary.skills_of(vacancy)) if vocabulary is not None else vacancy.key_skills
    return SalaryInput(
        text=vacancy.text,
        experience=vacancy.experience or "",
        schedule=schedule_id(vacancy) or UNKNOWN,
        title=vacancy.title,
        skills=tuple(skills),
        city=vacancy.area or UNKNOWN,
        year=vacancy.published_at.year if vacancy.published_at else 0,
        topic=UNKNOWN if topic is None else str(topic),
        fields=vacancy_fields(vacancy),
        detail=vacancy.detail,
        source=vacancy.source,
    )


def as_query(row: SalaryInput, *, city: bool = False) -> SalaryInput:
    """What a student types for this vacancy: its skills as text (also as the title); with
    ``city``, the vacancy's city too (a user who named theirs in the dialogue), else none."""
    typed = ", ".join(row.skills)
    return replace(row, text=typed, title=typed, city=row.city if city else UNKNOWN)


def _skip_reason(vacancy: Vacancy, rule: OutlierRule) -> str | None:
    if vacancy.salary is None:
        return "no_salary"
    year = vacancy.published_at.year if vacancy.published_at else 0
    outlier = rule.reason(vacancy.salary.monthly_net_rub, year)
    if outlier is not None:
        return outlier
    if vacancy.experience not in EXPERIENCE_NAMES:
        return "unknown_experience"
    # A schedule hh's new fields do not name (2024 table rows, on-site items of 2026) stays
    # "unknown": those rows still teach city, year and text; only a wrong id is dropped.
    schedule = schedule_id(vacancy)
    if schedule is not None and schedule not in SCHEDULE_NAMES:
        return "unknown_schedule"
    return None


def training_rows(
    vacancies: Sequence[Vacancy],
    vocabulary: SkillSource | None = None,
    *,
    topics: Sequence[object] | None = None,
    salary_bounds: tuple[float, float] | None = None,
    rule: OutlierRule = REPORT_RULE,
) -> TrainingRows:
    """Vacancies with a salary the outlier ``rule`` keeps (net RUB/month), as model rows.

    ``salary_bounds``, when given, replaces the rule by fixed bounds. ``topics``, when
    given, is one topic id per vacancy (same order). The rule is applied to
    ``monthly_net_rub`` here rather than read from ``is_outlier``, so a model can be
    trained with other bounds than the loader's.
    """
    if salary_bounds is not None:
        rule = OutlierRule(salary_bounds)
    if topics is not None and len(topics) != len(vacancies):
        raise ValueError(f"topics has {len(topics)} entries for {len(vacancies)} vacancies")
    skipped: Counter[str] = Counter()
    inputs: list[SalaryInput] = []
    targets: list[float] = []
    ids: list[str] = []
    for index, vacancy in enumerate(vacancies):
        reason = _skip_reason(vacancy, rule)
        if reason is not None:
            skipped[reason] += 1
            continue
        assert vacancy.salary is not None  # checked by _skip_reason
        topic = topics[index] if topics is not None else None
        inputs.append(vacancy_input(vacancy, vocabulary, topic))
        targets.append(vacancy.salary.monthly_net_rub)
        ids.append(vacancy.id)
    logger.info("salary rows: %d kept, skipped %s", len(inputs), dict(skipped))
    return TrainingRows(inputs, np.asarray(targets, dtype=float), ids, dict(skipped))


def cell_support(inputs: Sequence[SalaryInput]) -> dict[tuple[str, str], int]:
    """How many rows back each (schedule, experience) cell."""
    counts = Counter((row.schedule, row.experience) for row in inputs)
    return {
        (schedule, level): counts.get((schedule, level), 0)
        for schedule in SCHEDULES
        for level in EXPERIENCE_LEVELS
    }
