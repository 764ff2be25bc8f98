"""Loading vacancies of hh.ru and Работа России into typed records."""

from recommender.data.areas import country_index, country_of
from recommender.data.dedupe import dedupe
from recommender.data.loader import DataError, Skip, is_trudvsem, iter_raw, load_vacancies, parse_record
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
from recommender.data.money import RATES_SOURCE, currency_symbol, format_pay, rub_per_unit
from recommender.data.parse import BadRecord, parse_vacancy
from recommender.data.salary import DEFAULT_BOUNDS, RATES_DATE, RUB_PER_UNIT, parse_salary
from recommender.data.trudvsem import parse_trudvsem

__all__ = [
    "DEFAULT_BOUNDS",
    "EMPLOYMENT_NAMES",
    "EXPERIENCE_NAMES",
    "RATES_DATE",
    "RATES_SOURCE",
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
    "country_index",
    "country_of",
    "currency_symbol",
    "dedupe",
    "format_pay",
    "is_trudvsem",
    "iter_raw",
    "load_vacancies",
    "parse_record",
    "parse_salary",
    "parse_trudvsem",
    "parse_vacancy",
    "rub_per_unit",
]
