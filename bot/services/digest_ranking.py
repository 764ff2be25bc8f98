"""Rank freshly collected vacancies for a user's saved skills with the bundle's public API.

A vacancy's skills come from ``bundle.vocabulary.skills_of``; the user's from
``vocabulary.extract``. The score is the cosine similarity of the two skill sets
(|A ∩ B| / sqrt(|A| |B|)), so a vacancy asking for many unrelated skills ranks below a
focused one with the same overlap. City and experience act as filters when the user set them.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from recommender.data import BadRecord, Vacancy, parse_vacancy

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FreshVacancy:
    """A collected vacancy prepared once per tick and shared by all subscribers."""

    vacancy: Vacancy
    skills: frozenset[str]
    first_seen_at: datetime

    @property
    def cursor(self) -> tuple[datetime, str]:
        return self.first_seen_at, self.vacancy.id


@dataclass(frozen=True, slots=True)
class DigestItem:
    """The fields ``bot.services.formatting.vacancy_block`` shows."""

    id: str
    title: str
    employer: str
    area: str
    url: str
    salary_text: str
    score: float
    matched_skills: list[str]
    missing_skills: list[str]


def prepare(bundle: Any, rows: Sequence[tuple[str, datetime]]) -> list[FreshVacancy]:
    """Parse raw JSON rows and extract their skills; bad rows are skipped and logged."""
    prepared, skipped = [], 0
    for raw, first_seen_at in rows:
        try:
            vacancy = parse_vacancy(json.loads(raw))
        except (ValueError, BadRecord):
            skipped += 1
            continue
        skills = frozenset(bundle.vocabulary.skills_of(vacancy))
        prepared.append(FreshVacancy(vacancy, skills, first_seen_at))
    if skipped:
        logger.info("digest: skipped %d unreadable stored vacancies", skipped)
    return prepared


def salary_text(vacancy: Vacancy) -> str:
    salary = vacancy.salary
    if salary is None:
        return ""
    parts = [
        f"{word} {int(value):,}".replace(",", " ")
        for word, value in (("от", salary.salary_from), ("до", salary.salary_to))
        if value
    ]
    if not parts:
        return ""
    return " ".join(parts) + f" {salary.currency}" + (" (до вычета налогов)" if salary.gross else "")


def rank(
    bundle: Any,
    query: str,
    fresh: Sequence[FreshVacancy],
    *,
    city_id: str | None = None,
    experience: str | None = None,
    k: int = 5,
) -> list[DigestItem]:
    """The top ``k`` fresh vacancies sharing at least one skill with the query."""
    wanted = frozenset(bundle.vocabulary.extract(query).skills)
    if not wanted:
        return []
    scored = []
    for item in fresh:
        vacancy = item.vacancy
        if city_id and vacancy.area_id and vacancy.area_id != city_id:
            continue
        if experience and vacancy.experience and vacancy.experience != experience:
            continue
        matched = wanted & item.skills
        if not matched:
            continue
        score = len(matched) / math.sqrt(len(wanted) * len(item.skills))
        scored.append((score, item, matched))
    scored.sort(key=lambda entry: (-entry[0], entry[1].vacancy.id))
    return [_item(item.vacancy, score, matched, item.skills) for score, item, matched in scored[:k]]


def _item(vacancy: Vacancy, score: float, matched: frozenset[str], skills: frozenset[str]) -> DigestItem:
    return DigestItem(
        id=vacancy.id,
        title=vacancy.title,
        employer=vacancy.employer,
        area=vacancy.area,
        url=vacancy.url,
        salary_text=salary_text(vacancy),
        score=round(score, 4),
        matched_skills=sorted(matched),
        missing_skills=sorted(skills - matched),
    )
