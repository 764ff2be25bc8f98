"""Local calibration: the grid's level moved toward the vacancies listed for the user's own cell.

The model knows how pay moves with experience and schedule (its shape) better than a page of
listings does, but for "python, sql in Москва, remote, 3–6 years" the listed vacancies may know
the level better. When the user's cell has at least ``MIN_MATCHED`` listed vacancies with a
salary, one factor scales the whole grid::

    factor = exp(w · ln(median_listed / p50_model)),   w = n / (n + k)

so the shape (ratios between cells) and the monotone experience order are kept. The weight is
the normal–normal shrinkage weight: ``k = (π/2) · s² / τ²``, where ``s`` is the spread of log
salaries among the listed vacancies (their interquartile range / 1.349, measured per cell),
``π/2`` the variance of a sample median relative to a mean, and ``τ`` the prior error of the
model's level for one cell (``MODEL_LEVEL_ERROR``, from the held-out evaluation, not from the
screen-agreement cells). The bundle then settles the calibrated grid on the field's listed levels
(``SalaryModel.settle``, recommender.salary.cells): the factor is the user's cell's, and a thin
senior cell far from it is shrunk back toward its field's level rather than scaled along.

Listed salaries are first converted from their own year's roubles to the grid's money by the
wage index: a 2023 card beside a grid in 2021 roubles is not the same money.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from recommender.salary.grid import SalaryGrid
from recommender.salary.wage_index import wage_growth

MIN_MATCHED = 10
# How many listed vacancies a reader looks through, when the caller does not say: the CLI and the
# evaluation. The bot passes its own (its pages × page size, bot.services.advisor).
LISTED_LOOKED_AT = 50
# τ: how far the model's level for one cell typically is from the truth, in log units.
# docs/evaluation-salary.md (held-out, skills only, by card sector × level): median errors
# from −25% to +17%, about ±20% typical, so ln(1.2) ≈ 0.18.
MODEL_LEVEL_ERROR = math.log(1.2)
MEDIAN_VARIANCE_FACTOR = math.pi / 2  # Var(sample median) ≈ (π/2) σ²/n for normal data
IQR_PER_SIGMA = 1.349


def listing_year(published_at: str | None, default: int) -> int:
    """The year of a listed vacancy's money: its publication year (``default`` when unknown)."""
    if published_at and published_at[:4].isdigit():
        return int(published_at[:4])
    return default


def matched_salaries(
    vacancies: Iterable[Any], schedule: str, experience: str
) -> list[tuple[float, str | None]]:
    """(salary, published_at) of listed vacancies "like yours": in the user's cell, with a salary,
    sharing at least one skill with the query (the listing pads pages with weaker matches)."""
    return [
        (float(v.salary), v.published_at)
        for v in vacancies
        if v.salary is not None and v.schedule == schedule and v.experience == experience and v.matched_skills
    ]


def in_money_of(salaries: Sequence[tuple[float, str | None]], money_year: int) -> np.ndarray:
    """Listed salaries in ``money_year``'s roubles (each from its own publication year)."""
    return np.array(
        [
            amount * wage_growth(listing_year(published, money_year), money_year)
            for amount, published in salaries
        ],
        dtype=float,
    )


def shrinkage_weight(salaries: np.ndarray, level_error: float = MODEL_LEVEL_ERROR) -> float:
    """w = n / (n + k), k = (π/2) s² / τ²: more listed vacancies and less spread → more trust."""
    n = len(salaries)
    if n == 0:
        return 0.0
    q25, q75 = np.percentile(np.log(salaries), [25, 75])
    spread = float(q75 - q25) / IQR_PER_SIGMA
    k = MEDIAN_VARIANCE_FACTOR * spread**2 / level_error**2
    return n / (n + k)


def calibrate(
    grid: SalaryGrid,
    schedule: str,
    experience: str,
    salaries: Sequence[tuple[float, str | None]],
    *,
    min_matched: int = MIN_MATCHED,
) -> SalaryGrid:
    """The grid scaled by one factor toward the listed median of the user's cell; unchanged when
    fewer than ``min_matched`` salaries are given. The grid must be in its data year's money."""
    if len(salaries) < min_matched or not grid.cells:
        return grid
    money = in_money_of(salaries, grid.money_year) if grid.money_year else np.array([s for s, _ in salaries])
    model_p50 = grid.cell(schedule, experience).p50
    if model_p50 <= 0 or np.any(money <= 0):
        return grid
    weight = shrinkage_weight(money)
    factor = math.exp(weight * math.log(float(np.median(money)) / model_p50))
    cells = [
        replace(
            c, p25=round(c.p25 * factor, -2), p50=round(c.p50 * factor, -2), p75=round(c.p75 * factor, -2)
        )
        for c in grid.cells
    ]
    return replace(grid, cells=cells, calibrated_on=len(salaries), calibration_factor=factor)
