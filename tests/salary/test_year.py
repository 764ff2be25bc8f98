"""The salary's year: queries answered for the newest year with data; the wage index only
bridges the years without data."""

from __future__ import annotations

import numpy as np
from pytest import approx

from recommender.salary.features import SalaryInput
from recommender.salary.grid import build_grid, grid_keys
from recommender.salary.model import MIN_QUERY_YEAR_ROWS, YEAR_PRIOR_ROWS, query_year, year_offsets
from recommender.salary.wage_index import latest_year, wage_growth


def test_the_newest_year_with_enough_rows_answers():
    years = [2021] * 5_000 + [2023] * 300 + [2026] * MIN_QUERY_YEAR_ROWS
    assert query_year(years) == 2026


def test_a_thin_recent_year_does_not_answer_for_the_market():
    years = [2021] * 5_000 + [2023] * (MIN_QUERY_YEAR_ROWS - 1)
    assert query_year(years) == 2021
    assert query_year([2021, 2021, 2023]) == 2021  # nothing big enough: the median year


def _grid(money_year: int):
    quantiles = np.tile([100_000.0, 120_000.0, 150_000.0], (len(grid_keys()), 1))
    return build_grid("python", quantiles, {}, money_year=money_year, data_years=(2021, money_year))


def test_the_index_bridges_forward_only():
    old = _grid(2021).in_year(latest_year())
    assert old.estimate and old.money_year == latest_year()
    assert old.cells[0].p50 == round(120_000 * wage_growth(2021, latest_year()), -2)
    newer = _grid(latest_year() + 1)  # data newer than the index: already today's money
    assert newer.in_year(latest_year()) is newer and not newer.estimate


def test_a_year_the_base_model_under_fits_gets_its_median_residual_back_shrunk():
    rows = [SalaryInput(text="", experience="noExperience", schedule="fullDay", year=y)
            for y in [2021] * 4_000 + [2026] * 360 + [2025] * 40]  # fmt: skip
    residuals = np.array([0.0 if r.year == 2021 else 0.1 for r in rows])
    offsets = year_offsets(rows, residuals)
    assert offsets[2021] == 0.0
    assert offsets[2026] == approx(0.1 * 360 / (360 + YEAR_PRIOR_ROWS))  # nearly all of it
    assert offsets[2025] == approx(0.05)  # 40 rows against 40 pseudo-rows: half
