"""Local calibration: listed salaries in the grid's money, one shrunk factor for the whole grid."""

from __future__ import annotations

import math

import numpy as np
import pytest

from recommender.recommend.results import VacancyMatch
from recommender.salary.calibration import (
    MIN_MATCHED,
    calibrate,
    in_money_of,
    listing_year,
    matched_salaries,
    shrinkage_weight,
)
from recommender.salary.features import EXPERIENCE_LEVELS, SCHEDULES
from recommender.salary.grid import build_grid, grid_keys, monotone_violations
from recommender.salary.wage_index import AVERAGE_NOMINAL_WAGE


def model_grid(money_year: int = 2021):  # type: ignore[no-untyped-def]
    pay = {level: 60_000.0 * 1.4**i for i, level in enumerate(EXPERIENCE_LEVELS)}
    bonus = {schedule: 1.0 + 0.1 * i for i, schedule in enumerate(SCHEDULES)}
    quantiles = np.array(
        [[0.8 * pay[lv] * bonus[s], pay[lv] * bonus[s], 1.25 * pay[lv] * bonus[s]] for s, lv in grid_keys()]
    )
    return build_grid("python", quantiles, dict.fromkeys(grid_keys(), 100), money_year=money_year)


def listing(n: int, median: float, year: int = 2021, spread: float = 0.2) -> list[tuple[float, str | None]]:
    """n salaries symmetric in log around ``median``, published in ``year``."""
    offsets = np.linspace(-spread, spread, n)
    return [(median * math.exp(o), f"{year}-05-01") for o in offsets]


@pytest.mark.parametrize(
    ("published", "expected"),
    [("2023-03-01", 2023), ("2021-12-31T10:00:00", 2021), (None, 2021), ("", 2021), ("n/a", 2021)],
)
def test_listing_year(published: str | None, expected: int) -> None:
    assert listing_year(published, 2021) == expected


def test_listed_salaries_are_converted_from_their_own_year() -> None:
    money = in_money_of([(100_000.0, "2023-06-01"), (100_000.0, "2021-02-01"), (100_000.0, None)], 2021)
    growth = AVERAGE_NOMINAL_WAGE[2023] / AVERAGE_NOMINAL_WAGE[2021]
    assert money == pytest.approx([100_000 / growth, 100_000, 100_000])


@pytest.mark.parametrize(
    ("n", "spread", "more_n", "more_spread"),
    [(10, 0.3, 40, 0.3), (10, 0.6, 10, 0.3), (20, 0.5, 80, 0.5)],
)
def test_weight_grows_with_count_and_falls_with_spread(
    n: int, spread: float, more_n: int, more_spread: float
) -> None:
    def weight(count: int, s: float) -> float:
        return shrinkage_weight(np.array([a for a, _ in listing(count, 100_000, spread=s)]))

    base = weight(n, spread)
    assert 0 < base < 1
    assert weight(more_n, more_spread) > base


def test_one_factor_toward_the_listed_median_keeps_shape_and_order() -> None:
    grid = model_grid()
    cell = ("remote", "between3And6")
    model_p50 = grid.cell(*cell).p50
    listed = listing(20, 1.6 * model_p50)
    calibrated = calibrate(grid, *cell, listed)
    weight = shrinkage_weight(in_money_of(listed, 2021))
    expected = math.exp(weight * math.log(1.6))
    assert calibrated.calibrated_on == 20
    assert calibrated.calibration_factor == pytest.approx(expected, rel=1e-3)
    assert model_p50 < calibrated.cell(*cell).p50 < 1.6 * model_p50  # shrunk, not replaced
    for before, after in zip(grid.cells, calibrated.cells, strict=True):
        assert after.p50 == pytest.approx(before.p50 * expected, abs=60)  # every cell, one factor
        assert after.p25 <= after.p50 <= after.p75
    assert monotone_violations(calibrated) == 0


def test_listed_money_of_a_later_year_moves_the_grid_less() -> None:
    """The same roubles published in 2023 are less 2021 money: calibrating on them as 2021 pay
    would inflate the grid."""
    grid = model_grid()
    cell = ("fullDay", "between1And3")
    high = 1.3 * grid.cell(*cell).p50
    as_2021 = calibrate(grid, *cell, listing(20, high, year=2021))
    as_2023 = calibrate(grid, *cell, listing(20, high, year=2023))
    assert as_2023.calibration_factor < as_2021.calibration_factor
    assert as_2023.calibration_factor == pytest.approx(
        math.exp(
            shrinkage_weight(in_money_of(listing(20, high, year=2023), 2021))
            * math.log(high / grid.cell(*cell).p50 * AVERAGE_NOMINAL_WAGE[2021] / AVERAGE_NOMINAL_WAGE[2023])
        ),
        rel=1e-3,
    )


def test_too_few_listed_salaries_leave_the_grid_alone() -> None:
    grid = model_grid()
    assert calibrate(grid, "fullDay", "noExperience", listing(MIN_MATCHED - 1, 200_000)) is grid


def test_conversion_to_today_keeps_the_calibration() -> None:
    calibrated = calibrate(model_grid(), "fullDay", "noExperience", listing(15, 90_000))
    today = calibrated.in_year(2025)
    assert today.calibrated_on == 15 and today.estimate
    assert today.to_dict()["calibrated_on"] == 15


def _match(schedule: str, experience: str, salary: float | None, matched: list[str]) -> VacancyMatch:
    return VacancyMatch(
        id="1", title="t", employer="e", area="Москва", url="u", salary=salary, pay=None,
        score=1.0, matched_skills=matched, missing_skills=[], schedule=schedule, experience=experience,
        published_at="2023-01-10",
    )  # fmt: skip


def test_only_listed_vacancies_like_yours_count() -> None:
    vacancies = [
        _match("remote", "between1And3", 100_000, ["python"]),
        _match("remote", "between1And3", None, ["python"]),  # no salary
        _match("remote", "between1And3", 90_000, []),  # pads the page, shares no skill
        _match("fullDay", "between1And3", 80_000, ["python"]),  # another schedule
        _match("remote", "noExperience", 70_000, ["python"]),  # another level
    ]
    assert matched_salaries(vacancies, "remote", "between1And3") == [(100_000.0, "2023-01-10")]
