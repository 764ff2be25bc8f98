"""Descriptive statistics of a vacancy corpus, for `jobrec data stats`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from recommender.data.models import Vacancy

FIELDS = (
    "employer", "area", "text", "key_skills", "experience", "schedule", "employment",
    "specializations", "professional_roles", "published_at", "salary",
    "work_format", "employment_form", "other_pay", "country",
)


@dataclass
class CorpusStats:
    total: int
    by_source: dict[str, int]  # hh, trudvsem
    by_detail: dict[str, int]  # card, list
    by_year: dict[str, int]  # publication year ("—": undated), per source: "hh 2021"
    by_country: list[tuple[str, int]]
    fill_rates: dict[str, float]
    salary_count: int
    salary_outliers: int
    salary_quantiles: dict[str, float]
    experience: list[tuple[str, int]]
    schedule: list[tuple[str, int]]
    top_cities: list[tuple[str, int]]
    top_labels: list[tuple[str, int]]
    extra: dict[str, object] = field(default_factory=dict)


def _filled(vacancy: Vacancy, name: str) -> bool:
    return bool(getattr(vacancy, name))


def _year(vacancy: Vacancy) -> str:
    return str(vacancy.published_at.year) if vacancy.published_at else "—"


def corpus_stats(vacancies: Sequence[Vacancy], top: int = 10) -> CorpusStats:
    total = len(vacancies)
    fill = {name: sum(_filled(v, name) for v in vacancies) / total if total else 0.0 for name in FIELDS}
    salaries = np.array([v.salary.monthly_net_rub for v in vacancies if v.salary], dtype=float)
    quantiles = (
        {f"p{q}": float(np.percentile(salaries, q)) for q in (5, 25, 50, 75, 95)} if salaries.size else {}
    )
    labels = Counter(label.name for v in vacancies for label in v.labels)
    return CorpusStats(
        total=total,
        by_source=dict(Counter(v.source for v in vacancies)),
        by_detail=dict(Counter(v.detail for v in vacancies)),
        by_year=dict(sorted(Counter(f"{v.source} {_year(v)}" for v in vacancies).items())),
        by_country=Counter(v.country or "—" for v in vacancies).most_common(),
        fill_rates=fill,
        salary_count=int(salaries.size),
        salary_outliers=sum(1 for v in vacancies if v.salary and v.salary.is_outlier),
        salary_quantiles=quantiles,
        experience=Counter(v.experience or "—" for v in vacancies).most_common(),
        schedule=Counter(v.schedule or "—" for v in vacancies).most_common(),
        top_cities=Counter(v.area for v in vacancies if v.area).most_common(top),
        top_labels=labels.most_common(top),
    )
