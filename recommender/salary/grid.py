"""The salary grid: an estimate for every schedule × experience pair (the report's table 5)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np

from recommender.data.models import EXPERIENCE_NAMES, SCHEDULE_NAMES
from recommender.salary.features import EXPERIENCE_LEVELS, SCHEDULES

# Below this many training vacancies a cell is an extrapolation, and we say so.
THIN_SUPPORT = 30


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

    def cell(self, schedule: str, experience: str) -> SalaryCell:
        for cell in self.cells:
            if cell.schedule == schedule and cell.experience == experience:
                return cell
        raise KeyError((schedule, experience))

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "area": self.area,
            "model": self.model,
            "skills": list(self.skills),
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
    return SalaryGrid(query=query, cells=cells, area=area, model=model, skills=list(skills or []))


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
