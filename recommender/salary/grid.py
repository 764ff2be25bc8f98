"""The salary grid: an estimate for every schedule × experience pair (the report's table 5)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from itertools import pairwise
from typing import Any

import numpy as np

from recommender.data.models import EXPERIENCE_NAMES, SCHEDULE_NAMES
from recommender.salary.features import EXPERIENCE_LEVELS, SCHEDULES
from recommender.salary.wage_index import wage_growth

# Below this many training vacancies a cell is an extrapolation, and we say so.
THIN_SUPPORT = 30
# A schedule with less than this share of the field's vacancies gets a note, not a row.
RARE_SCHEDULE_SHARE = 0.05
MAX_SCHEDULES = 3  # more rows or lines than this do not read on a phone


@dataclass(frozen=True, slots=True)
class SalaryCell:
    schedule: str
    schedule_name: str
    experience: str
    experience_name: str
    p25: float
    p50: float
    p75: float
    support: int
    extrapolated: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class SalaryGrid:
    """Cells in hh's order: schedules outer, experience levels inner."""

    query: str
    cells: list[SalaryCell]
    area: str | None = None
    model: str = ""
    skills: list[str] = field(default_factory=list)
    money_year: int = 0  # whose roubles the figures are: the data's year, or a later one
    data_years: tuple[int, int] = (0, 0)  # first and last year of the vacancies behind it
    estimate: bool = False  # converted to a later year's roubles by the wage index
    # Scaled toward the median of this many listed vacancies in the user's cell (0: not),
    # by this factor (recommender.salary.calibration).
    calibrated_on: int = 0
    calibration_factor: float = 1.0

    def cell(self, schedule: str, experience: str) -> SalaryCell:
        for cell in self.cells:
            if cell.schedule == schedule and cell.experience == experience:
                return cell
        raise KeyError((schedule, experience))

    def in_year(self, year: int) -> SalaryGrid:
        """The same grid in a later ``year``'s roubles (by the average-wage index), marked an
        estimate. The index only bridges years the data lacks: a grid already in ``year``'s money
        or a later one (data newer than the index) is returned as it is, never deflated."""
        if year <= self.money_year or not self.money_year:
            return self
        factor = wage_growth(self.money_year, year)
        cells = [
            replace(
                c,
                p25=round(c.p25 * factor, -2),
                p50=round(c.p50 * factor, -2),
                p75=round(c.p75 * factor, -2),
            )
            for c in self.cells
        ]
        return replace(self, cells=cells, money_year=year, estimate=True)

    def schedule_support(self) -> dict[str, int]:
        return {s: sum(c.support for c in self.cells if c.schedule == s) for s in SCHEDULES}

    def schedules_shown(self) -> tuple[list[str], list[str]]:
        """(schedules given rows and lines, rare ones folded into a note), each in hh's order.

        Shown: at most ``MAX_SCHEDULES`` with at least ``RARE_SCHEDULE_SHARE`` of the
        vacancies behind the grid (always the most common one). Table and chart both ask here.
        """
        totals = self.schedule_support()
        everything = sum(totals.values())
        ranked = sorted(SCHEDULES, key=lambda s: -totals[s])
        if everything == 0:
            chosen = {"fullDay", "remote"}
        else:
            chosen = {ranked[0]} | {
                s for s in ranked[:MAX_SCHEDULES] if totals[s] >= RARE_SCHEDULE_SHARE * everything
            }
        present = [s for s in SCHEDULES if s in {c.schedule for c in self.cells}]
        return [s for s in present if s in chosen], [s for s in present if s not in chosen]

    def period(self) -> str:
        """ "2021" or "2021–2023": the years of the vacancies behind the figures."""
        first, last = self.data_years
        if not first:
            return ""
        return str(first) if first == last else f"{first}–{last}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "area": self.area,
            "model": self.model,
            "skills": list(self.skills),
            "money_year": self.money_year,
            "data_years": list(self.data_years),
            "estimate": self.estimate,
            "calibrated_on": self.calibrated_on,
            "calibration_factor": self.calibration_factor,
            "grid": [cell.to_dict() for cell in self.cells],
        }


def grid_keys() -> list[tuple[str, str]]:
    """The 20 (schedule, experience) pairs in the grid's order."""
    return [(schedule, level) for schedule in SCHEDULES for level in EXPERIENCE_LEVELS]


def build_grid(
    query: str,
    quantiles: np.ndarray,
    support: dict[tuple[str, str], int],
    *,
    area: str | None = None,
    model: str = "",
    skills: list[str] | None = None,
    money_year: int = 0,
    data_years: tuple[int, int] = (0, 0),
) -> SalaryGrid:
    """Cells from a (20, 3) array of p25/p50/p75 rows in ``grid_keys()`` order."""
    cells = []
    for (schedule, level), (p25, p50, p75) in zip(grid_keys(), quantiles, strict=True):
        count = support.get((schedule, level), 0)
        cells.append(
            SalaryCell(
                schedule=schedule,
                schedule_name=SCHEDULE_NAMES[schedule],
                experience=level,
                experience_name=EXPERIENCE_NAMES[level],
                p25=round(float(p25), -2),
                p50=round(float(p50), -2),
                p75=round(float(p75), -2),
                support=count,
                extrapolated=count < THIN_SUPPORT,
            )
        )
    return SalaryGrid(
        query=query,
        cells=cells,
        area=area,
        model=model,
        skills=list(skills or []),
        money_year=money_year,
        data_years=data_years,
    )


def monotone_violations(grid: SalaryGrid, *, tolerance: float = 0.0) -> int:
    """Adjacent experience steps where the median drops ("more experience pays less")."""
    violations = 0
    for schedule in SCHEDULES:
        medians = [grid.cell(schedule, level).p50 for level in EXPERIENCE_LEVELS]
        violations += sum(1 for low, high in pairwise(medians) if high < low - tolerance)
    return violations


def enforce_monotone(quantiles: np.ndarray) -> np.ndarray:
    """Isotonic post-processing along experience, per schedule and quantile: a running maximum.

    ``quantiles`` is (20, 3) in ``grid_keys()`` order. A running maximum is the
    simplest fix that never lowers an estimate a student sees for more experience.
    """
    shaped = quantiles.reshape(len(SCHEDULES), len(EXPERIENCE_LEVELS), -1)
    return np.maximum.accumulate(shaped, axis=1).reshape(quantiles.shape)
