"""Can a student check the grid? Held-out salaries of a query's field × city × level against it.

Issue 19, item 7: where the query's field, city and level list at least ``MIN_LISTED``
salaries, the grid's p50 should lie inside their p10–p90; thinner cells should sit near the
field's level rather than run upward. Measured on the held-out split, for fixed queries (the
evaluation passes ``recommender.salary.evaluation.COMMON_QUERIES``) in ``CELL_AREAS`` at every
level:

- the query's field is its nearest hh field as the product reads it (``field_weights``, the
  heaviest); a held-out vacancy's fields are its hh labels (the nearest field for a row
  without one), as in training;
- the held-out salaries are moved to the grid's money by the model's year effect
  (``SalaryModel.in_query_year``), the grid is the full-day row;
- beside the product (settled) grid: the model before settling, and two naive levels from the
  training split in the same money: the field's median at that level in every city, and the
  city's median at that level over every field.

``check_2026``: the newest year's held-out vacancies by field × city × level against the
product's estimate asked as the bot asks (their skills, their city, their level and schedule).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from recommender.data.money import group_digits
from recommender.salary.cells import EVERY_CITY, MIN_LISTED, FieldLevels, Listed
from recommender.salary.experience import ExperienceEffect
from recommender.salary.features import EXPERIENCE_LEVELS, SalaryInput, TrainingRows, as_query
from recommender.salary.grid import SalaryGrid
from recommender.salary.model import SalaryModel

CELL_AREAS: tuple[str | None, ...] = (None, "Москва", "Санкт-Петербург")
# Estimates compared per cell: the product's grid, the model before settling, two naive levels.
ESTIMATES: tuple[str, ...] = ("product", "model", "field-level", "city-level")
ALL_FIELDS = "*"
# A 2026 cell needs this many held-out salaries to have a median worth comparing.
MIN_2026_ROWS = 3
TOLERANCE_2026 = 0.25
THIN_HELD_OUT = 3  # a thin cell is compared where the held-out split lists at least this many


@dataclass
class CellRow:
    query: str
    area: str | None
    experience: str
    field: str
    held_out: int  # held-out salaries in the cell
    p10: float  # their p10/p50/p90 in the grid's money, RUB
    p50: float
    p90: float
    trained: float  # training salaries of the query's fields there (what the product settles on)
    estimates: dict[str, float]  # ESTIMATES → p50 in RUB

    def inside(self, name: str) -> bool:
        return self.p10 <= self.estimates[name] <= self.p90

    def log_error(self, name: str) -> float:
        return abs(float(np.log(self.estimates[name] / self.p50)))


@dataclass
class CellCheck:
    rows: list[CellRow]
    queries: list[str]
    min_listed: int = MIN_LISTED
    cells_2026: list[dict[str, Any]] = field(default_factory=list)

    def listed(self) -> list[CellRow]:
        """Cells with at least ``min_listed`` held-out salaries: where the p10–p90 rule applies."""
        return [r for r in self.rows if r.held_out >= self.min_listed]

    def thin(self) -> list[CellRow]:
        """Cells the product calls thin (fewer than ``min_listed`` training salaries) where the
        held-out split still lists a few: how the shrinkage does against fresh salaries."""
        return [r for r in self.rows if r.trained < self.min_listed and r.held_out >= THIN_HELD_OUT]

    def inside(self, name: str) -> tuple[int, int]:
        rows = self.listed()
        return sum(r.inside(name) for r in rows), len(rows)

    def median_log_error(self, name: str, rows: Sequence[CellRow]) -> float:
        return float(np.median([r.log_error(name) for r in rows])) if rows else float("nan")

    def above_p90(self, name: str, rows: Sequence[CellRow]) -> int:
        return sum(r.estimates[name] > r.p90 for r in rows)

    def summary_2026(self, name: str) -> dict[str, float]:
        """Cells within ±25%, their count, the median and range of listed median ÷ estimate."""
        ratios = np.array([c["median"] / c[name] for c in self.cells_2026], dtype=float)
        if ratios.size == 0:
            nan = float("nan")
            return {"cells": 0, "within": 0, "median_ratio": nan, "low": nan, "high": nan}
        return {
            "cells": int(ratios.size),
            "within": int(np.sum(np.abs(ratios - 1.0) <= TOLERANCE_2026)),
            "median_ratio": float(np.median(ratios)),
            "low": float(ratios.min()),
            "high": float(ratios.max()),
        }

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CellCheck:
        values = dict(data)
        values["rows"] = [CellRow(**row) for row in data["rows"]]
        return cls(**values)


def listed_levels(model: SalaryModel, rows: TrainingRows, *, by_field: bool = True) -> FieldLevels:
    """Salaries of ``rows`` per field (or, ``by_field=False``, over every field) × city × level,
    in the grid's money."""
    fields = _curve(model).read_fields(rows.inputs) if by_field else [(ALL_FIELDS,)] * len(rows)
    return FieldLevels.fit(
        fields,
        [row.city for row in rows.inputs],
        [row.experience for row in rows.inputs],
        model.in_query_year(rows.inputs, rows.targets),
    )


def _curve(model: SalaryModel) -> ExperienceEffect:
    """The product's experience curve: where a row's and a query's fields are read."""
    if model.experience_ is None:
        raise ValueError("the cell check reads fields with the product's experience curve")
    return model.experience_


def _rub(listed: Listed | None) -> float:
    return float(np.exp(listed.p50)) if listed is not None else float("nan")


def check_cells(
    model: SalaryModel,
    train: TrainingRows,
    test: TrainingRows,
    queries: Sequence[str],
    areas: Sequence[str | None] = CELL_AREAS,
) -> CellCheck:
    """Every query × place × level cell of the held-out split that lists anything, with the
    estimates of ``ESTIMATES``; then the 2026 check."""
    held = listed_levels(model, test)
    trained = model.field_levels_ or listed_levels(model, train)
    by_city = listed_levels(model, train, by_field=False)
    curve = _curve(model)
    rows = []
    for query in queries:
        for area in areas:
            raw = model.salary_grid(query, area, settle=False)
            settled = model.settle(raw)
            query_row = model.query_rows(query, area, skills=raw.skills)[0]
            weights = curve.field_weights([query_row])[0]
            top = max(weights, key=weights.__getitem__)
            city = query_row.city
            for level in EXPERIENCE_LEVELS:
                cell = held.cells.get((top, city, level))
                if cell is None:
                    continue
                pooled = trained.listed(weights, city, level)
                rows.append(
                    CellRow(
                        query=query,
                        area=area,
                        experience=level,
                        field=top,
                        held_out=int(cell.count),
                        p10=float(np.exp(cell.p10)),
                        p50=float(np.exp(cell.p50)),
                        p90=float(np.exp(cell.p90)),
                        trained=pooled.count if pooled is not None else 0.0,
                        estimates={
                            "product": settled.cell("fullDay", level).p50,
                            "model": raw.cell("fullDay", level).p50,
                            "field-level": _rub(trained.cells.get((top, EVERY_CITY, level))),
                            "city-level": _rub(by_city.cells.get((ALL_FIELDS, city, level))),
                        },
                    )
                )
    usable = [r for r in rows if all(np.isfinite(v) for v in r.estimates.values())]
    return CellCheck(usable, list(queries), cells_2026=check_2026(model, test))


def check_2026(model: SalaryModel, test: TrainingRows) -> list[dict[str, Any]]:
    """The query year's held-out vacancies by (nearest field, Москва / Санкт-Петербург / other
    city, level), cells of at least ``MIN_2026_ROWS``: their median salary beside the median of
    the product's (and the unsettled model's) p50 asked with each vacancy's skills and city."""
    fields = _curve(model).read_fields(test.inputs)
    cells: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, row in enumerate(test.inputs):
        if row.year != model.year_ or not fields[i]:
            continue
        place = row.city if row.city in ("Москва", "Санкт-Петербург") else "other"
        cells[(fields[i][0], place, row.experience)].append(i)
    out = []
    for (f, place, level), members in sorted(cells.items()):
        if len(members) < MIN_2026_ROWS:
            continue
        estimates: dict[str, list[float]] = {"product": [], "model": []}
        for i in members:
            raw = _asked_as_the_bot_asks(model, test.inputs[i])
            schedule = test.inputs[i].schedule if test.inputs[i].schedule != "unknown" else "fullDay"
            estimates["model"].append(raw.cell(schedule, level).p50)
            estimates["product"].append(model.settle(raw).cell(schedule, level).p50)
        out.append(
            {
                "field": f,
                "place": place,
                "experience": level,
                "n": len(members),
                "median": float(np.median(test.targets[members])),
                **{name: float(np.median(values)) for name, values in estimates.items()},
            }
        )
    return out


def _asked_as_the_bot_asks(model: SalaryModel, row: SalaryInput) -> SalaryGrid:
    query = as_query(row, city=True)
    area = None if query.city == "unknown" else query.city
    return model.salary_grid(query.text, area, skills=query.skills, settle=False)


ESTIMATE_NAMES = {
    "product": "product (settled grid, what every path shows)",
    "model": "model before settling (the grid of the previous round)",
    "field-level": "naive: the field's training median at the level, every city",
    "city-level": "naive: the city's training median at the level, every field",
}


def render_cell_check(check: CellCheck) -> list[str]:
    """The markdown section of the salary evaluation."""
    listed, thin = check.listed(), check.thin()
    lines = [
        "### The user's cell: field × city × level (issue 19, item 7)",
        "",
        f"{len(check.queries)} fixed queries (`recommender.salary.evaluation.COMMON_QUERIES`: the report's "
        "and students' queries and common one- or two-skill ones) × Russia, Москва, Санкт-Петербург × "
        "4 levels. A cell is the query's nearest hh field (as the product reads it from the skills) × "
        "the city × the level; its listed salaries are the held-out vacancies of that field, city and "
        "level (all of Russia for a query without a city), moved to the grid's money by the model's "
        "year effect (`SalaryModel.in_query_year`); the grid's cell is its full-day row. "
        f"{len(listed)} cells list at least {check.min_listed} held-out salaries; "
        f"{len(thin)} are thin for the product (fewer than {check.min_listed} training salaries of "
        f"the query's fields there) but list at least {THIN_HELD_OUT} held out.",
        "",
        f"| estimate | inside listed p10–p90 (≥ {check.min_listed} listed) | median abs. log error, "
        "same cells | thin cells: median abs. log error | thin cells above listed p90 |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in ESTIMATES:
        inside, total = check.inside(name)
        share = f"{inside} of {total} ({inside / total:.0%})" if total else "–"
        lines.append(
            f"| {ESTIMATE_NAMES[name]} | {share} | {check.median_log_error(name, listed):.3f} | "
            f"{check.median_log_error(name, thin):.3f} | {check.above_p90(name, thin)} of {len(thin)} |"
        )
    lines += [
        "",
        "Thin cells, the product against the model before settling (RUB, full day):",
        "",
        "| query | place | experience | field | held out | trained | listed median | model | product |",
        "|---|---|---|---|---:|---:|---:|---:|---:|",
        *(
            f"| {r.query} | {r.area or 'Russia'} | {r.experience} | {r.field} | {r.held_out} | "
            f"{r.trained:.1f} | {group_digits(r.p50)} | {group_digits(r.estimates['model'])} | "
            f"{group_digits(r.estimates['product'])} |"
            for r in thin
        ),
        "",
    ]
    return lines + render_2026(check)


def render_2026(check: CellCheck) -> list[str]:
    summaries = {name: check.summary_2026(name) for name in ("model", "product")}
    lines = [
        "#### The newest year's vacancies against the estimate (the students' 2026 check, on our split)",
        "",
        "The students compared hh's 2026 vacancies (11 professions × 3 cities × levels) with the "
        "estimate in today's money: 32 of 57 cells within ±25% (median ratio 0.90, range 0.41–2.09); "
        "their sample is not in this repository. The same measure on the held-out vacancies of the "
        "query year: cells of nearest field × Москва / Санкт-Петербург / other city × level with at "
        f"least {MIN_2026_ROWS} salaries; ratio = the cell's median salary ÷ the median of the "
        "estimates asked as the bot asks (each vacancy's skills, city, level and schedule; full day "
        "when unknown), in the grid's money (the query year: no conversion).",
        "",
        "| estimate | cells | within ±25% | median ratio | range |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {ESTIMATE_NAMES[name]} | {s['cells']} | {s['within']} | {s['median_ratio']:.2f} | "
            f"{s['low']:.2f}–{s['high']:.2f} |"
            for name, s in summaries.items()
        ),
        "",
    ]
    return lines
