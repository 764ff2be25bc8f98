"""Loading hh.ru vacancies into typed records."""

from recommender.data.loader import DataError, Skip, iter_raw, load_vacancies
from recommender.data.models import (
    EMPLOYMENT_NAMES,
    EXPERIENCE_NAMES,
    SCHEDULE_NAMES,
    Label,
    LoadResult,
    LoadSummary,
    Salary,
    Vacancy,
)
from recommender.data.parse import BadRecord, parse_vacancy
from recommender.data.salary import DEFAULT_BOUNDS, RATES_DATE, RUB_PER_UNIT, parse_salary

__all__ = [
    "DEFAULT_BOUNDS",
    "EMPLOYMENT_NAMES",
    "EXPERIENCE_NAMES",
    "RATES_DATE",
    "RUB_PER_UNIT",
    "SCHEDULE_NAMES",
    "BadRecord",
    "DataError",
    "Label",
    "LoadResult",
    "LoadSummary",
    "Salary",
    "Skip",
    "Vacancy",
    "iter_raw",
    "load_vacancies",
    "parse_salary",
    "parse_vacancy",
]
