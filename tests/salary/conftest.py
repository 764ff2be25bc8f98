"""A synthetic salary market with a known structure, and small models trained on it.

Known structure: more experience pays more, remote pays 30% more than an office,
"python" in the text pays 40% more; a few schedule × experience cells are rare so
the grid has thin cells to mark.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from recommender.data.models import Salary, Vacancy
from recommender.salary import SalaryModel, fit_salary_model

BASE_BY_EXPERIENCE = {
    "noExperience": 50_000,
    "between1And3": 80_000,
    "between3And6": 120_000,
    "moreThan6": 170_000,
}
SCHEDULE_FACTOR = {"fullDay": 1.0, "remote": 1.3, "flexible": 1.0, "shift": 0.9, "flyInFlyOut": 1.1}
CITIES = ("Москва", "Казань", "Томск")
TEST_ITERATIONS = 60


def make_salary(net: float, bounds: tuple[float, float] = (40_000, 500_000)) -> Salary:
    return Salary(net, net, "RUR", False, float(net), not bounds[0] <= net <= bounds[1])


def make_vacancy(index: int, experience: str, schedule: str, net: float | None, python: bool) -> Vacancy:
    text = "python django sql" if python else "excel 1c отчеты"
    return Vacancy(
        id=str(100_000 + index),
        title="Python разработчик" if python else "Бухгалтер",
        area=CITIES[index % len(CITIES)],
        text=f"Требования: {text}. Работа в команде.",
        key_skills=("Python", "SQL") if python else ("Excel", "1С"),
        experience=experience,
        schedule=schedule,
        published_at=datetime(2021, 10, 1 + index % 28),
        salary=make_salary(net) if net is not None else None,
        detail="card",
    )


def synthetic_market(n: int = 1200, seed: int = 0) -> list[Vacancy]:
    """Mostly fullDay/remote and junior levels (like the real data), a few rare cells."""
    rng = np.random.default_rng(seed)
    schedules = rng.choice(list(SCHEDULE_FACTOR), size=n, p=[0.5, 0.3, 0.1, 0.08, 0.02])
    levels = rng.choice(list(BASE_BY_EXPERIENCE), size=n, p=[0.3, 0.4, 0.22, 0.08])
    vacancies = []
    for i, (schedule, level) in enumerate(zip(schedules, levels, strict=True)):
        python = bool(rng.random() < 0.5)
        net = BASE_BY_EXPERIENCE[level] * SCHEDULE_FACTOR[schedule] * (1.4 if python else 1.0)
        net *= float(np.exp(rng.normal(0, 0.1)))
        vacancies.append(make_vacancy(i, str(level), str(schedule), round(net, -2), python))
    return vacancies


@pytest.fixture(scope="session")
def market() -> list[Vacancy]:
    return synthetic_market()


@pytest.fixture(scope="session")
def product_model(market: list[Vacancy]) -> SalaryModel:
    return fit_salary_model(
        market, None, config="product", iterations=TEST_ITERATIONS, thread_count=1, holdout=False
    )


@pytest.fixture(scope="session")
def report_model(market: list[Vacancy]) -> SalaryModel:
    return fit_salary_model(
        market, None, config="report", iterations=TEST_ITERATIONS, thread_count=1, holdout=False
    )


@pytest.fixture(scope="session")
def saved_product_dir(product_model: SalaryModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return product_model.save(tmp_path_factory.mktemp("salary-model"))


@pytest.fixture(scope="session")
def vacancy_factory():  # type: ignore[no-untyped-def]
    """``make_vacancy(index, experience, schedule, net, python)`` for tests that build their own rows."""
    return make_vacancy
