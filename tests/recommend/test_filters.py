"""The vacancy filters: their stored JSON form (the bot keeps it with every answer message, so
old rows must keep loading) and how the index applies them."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from recommender.data.models import Salary, Vacancy
from recommender.recommend import Filters, VacancyIndex

EVERY_FILTER = Filters(
    area="Казань",
    experience="noExperience",
    schedule="remote",
    employment="part",
    with_salary=True,
    min_salary=100_000,
    sort="date",
)


def test_stored_keys_are_the_answer_rows_format() -> None:
    # the keys and values answer rows in the database hold: changing them breaks old messages
    assert EVERY_FILTER.to_dict() == {
        "area": "Казань",
        "experience": "noExperience",
        "schedule": "remote",
        "employment": "part",
        "with_salary": True,
        "min_salary": 100_000,
        "sort": "date",
    }
    assert Filters().to_dict() == {"sort": "relevance"}  # unset filters are not stored


@pytest.mark.parametrize(
    "filters", [Filters(), EVERY_FILTER, Filters(area="1", sort="salary"), Filters(min_salary=50_000)]
)
def test_json_round_trip(filters: Filters) -> None:
    assert Filters.from_dict(json.loads(json.dumps(filters.to_dict()))) == filters


def test_a_row_written_by_an_earlier_release_loads() -> None:
    stored = '{"area": "Москва", "experience": "between1And3", "sort": "salary", "min_salary": 150000}'
    assert Filters.from_dict(json.loads(stored)) == Filters(
        area="Москва", experience="between1And3", min_salary=150_000, sort="salary"
    )


@pytest.mark.parametrize(
    "stored",
    [
        None,
        [],
        "Москва",
        5,
        {"sort": "drop table", "min_salary": -5, "employment": "x"},
        {"area": 5, "experience": ["noExperience"], "schedule": {}, "with_salary": "yes"},
        {"min_salary": "100000", "employment": None, "unknown": 1},
        {"min_salary": True},
    ],
)
def test_malformed_stored_values_are_dropped_not_raised_on(stored: Any) -> None:
    assert Filters.from_dict(stored) == Filters()


def _index() -> VacancyIndex:
    def paid(amount: float) -> Salary:
        return Salary(amount, amount, "RUR", False, amount, False)

    vacancies = [
        Vacancy("a", "Python", area="Москва", schedule="remote", employment="full", salary=paid(90_000)),
        Vacancy("b", "Python", area="Москва", schedule="fullDay", employment="part", salary=paid(150_000)),
        Vacancy("c", "Python", area="Казань", schedule="remote", employment="part"),
        Vacancy("d", "Python", area="Казань", schedule="remote", archived=True),
    ]
    return VacancyIndex(vacancies, [["python"]] * len(vacancies))


@pytest.mark.parametrize(
    ("filters", "exclude_keys", "rows"),
    [
        (Filters(), (), [0, 1, 2]),  # an archived vacancy never passes
        (Filters(sort="salary"), (), [0, 1, 2]),  # the sort filters nothing
        (Filters(area="москва"), (), [0, 1]),
        (Filters(area="Казань", schedule="remote"), (), [2]),
        (Filters(employment="part"), ("hh:b",), [2]),
        (Filters(employment="part"), ("b", "trudvsem:b"), [1, 2]),  # a key names its source
        (Filters(with_salary=True), (), [0, 1]),
        (Filters(min_salary=100_000), (), [1]),
        (Filters(area="Атлантида"), (), []),
    ],
)
def test_index_applies_the_filters(filters: Filters, exclude_keys: tuple[str, ...], rows: list[int]) -> None:
    assert _index().filter_rows(filters, exclude_keys).tolist() == rows


def test_no_filter_over_a_live_corpus_selects_nothing_to_intersect() -> None:
    live = VacancyIndex([Vacancy("a", "Python"), Vacancy("b", "Go")], [["python"], ["go"]])
    assert live.filter_rows(Filters()) is None
    assert np.array_equal(live.filter_rows(Filters(), ("hh:a",)), [1])


def test_russia_keeps_russian_and_unknown_countries_and_leaves_vacancies_abroad_out() -> None:
    vacancies = [
        Vacancy("a", "Python", area="Москва", country="Россия"),
        Vacancy("b", "Python", area="Минск", country="Беларусь"),
        Vacancy("c", "Python", area="Казань"),  # country unknown: Russian data of old
        Vacancy("d", "Python", area="Алматы", country="Казахстан"),
    ]
    index = VacancyIndex(vacancies, [["python"]] * len(vacancies))
    assert index.filter_rows(Filters(country="Россия")).tolist() == [0, 2]
    assert index.filter_rows(Filters(country="Беларусь")).tolist() == [1]
    assert index.filter_rows(Filters()) is None  # no country asked: every country
    at_home = VacancyIndex(vacancies[::2], [["python"]] * 2)
    assert at_home.filter_rows(Filters(country="Россия")) is None  # nothing abroad: nothing to filter
    assert Filters.from_dict(Filters(country="Россия").to_dict()) == Filters(country="Россия")


def test_the_remote_filter_finds_items_that_say_remote_only_in_the_new_fields() -> None:
    vacancies = [
        Vacancy("a", "Python", schedule="remote"),  # 2021: the old schedule id
        Vacancy("b", "Python", work_format=("REMOTE", "HYBRID")),  # 2026: no schedule any more
        Vacancy("c", "Python", work_format=("ON_SITE",)),
        Vacancy("d", "Python", schedule="fullDay"),
    ]
    index = VacancyIndex(vacancies, [["python"]] * len(vacancies))
    assert index.filter_rows(Filters(schedule="remote")).tolist() == [0, 1]
    assert index.filter_rows(Filters(schedule="fullDay")).tolist() == [3]
