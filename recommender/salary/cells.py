"""What the vacancies list for a field × city × experience level, and the grid kept near it.

A student checks the grid against the vacancies they can see for their field, city and level
(issue 19, item 7). The model is a smooth function of skills, city, schedule and year times a
per-field experience curve; where the data is thick it is near the listed pay, where it is thin
(a senior level in one city, a rare field) it extrapolates, and students saw it do so upward
("Java, Москва: ≈498k ≈640k"). So, per grid cell, after the model:

- **Listed cell** (the query's fields × its city × the cell's level; a Russia-wide query's
  cell is the field's level in every city) with at least ``MIN_LISTED`` training salaries:
  the p50 is kept inside their p10–p90 (moved to the nearer bound when outside).
- **Thin cell** (fewer): the p50 is shrunk toward the field's level, the field's listed median
  at that experience level in every city, by the empirical-Bayes weight of the model against
  it: ``w = n / (n + PRIOR_LISTED)`` with ``n`` the listed salaries of the cell, so a cell
  with nothing listed takes the field's level and one with nine keeps half its model value.
  The field's level is moved to the city by the city's effect at that level (``city_effects``).
  Where the field lists fewer than ``MIN_LISTED`` at that level in every city too (seniors,
  mostly), its nearest well-listed level is carried there by the grid's own step between the
  two levels; a field listed nowhere keeps the model.
- The grid is then made non-decreasing along experience again (a running maximum).

The bundle settles after calibrating the grid on the user's listing (one factor for the whole
grid): a factor scales both ends of a step, so a thin cell no longer rides it upward.

p25 and p75 move with the p50 (one factor per cell), so each cell's spread is the model's.
The listed salaries are in the query year's roubles: each training salary is moved to that
year by what the model itself says the year changes for that vacancy (its estimate asked in
the query year over its estimate in the vacancy's own year), the same money the grid is in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from recommender.salary.features import EXPERIENCE_LEVELS, UNKNOWN

MIN_LISTED = 10  # the "≥ 10 listed salaries": a cell a student can check
# Pseudo-salaries of the field's level a thin cell's model value is weighed against.
PRIOR_LISTED = 10.0
EVERY_CITY = UNKNOWN  # a Russia-wide query (no city) is asked with the city unknown

CellKey = tuple[str, str, str]  # (field, city, experience level)


@dataclass(frozen=True, slots=True)
class Listed:
    """Listed salaries of one cell: how many, and their p10/p50/p90 in log roubles."""

    count: float
    p10: float
    p50: float
    p90: float


def summarize(log_salaries: Sequence[float] | np.ndarray) -> Listed:
    p10, p50, p90 = np.percentile(np.asarray(log_salaries, dtype=float), [10, 50, 90])
    return Listed(float(len(log_salaries)), float(p10), float(p50), float(p90))


@dataclass(slots=True)
class FieldLevels:
    """Listed salaries per field × city × experience level (city ``EVERY_CITY``: all cities)."""

    cells: dict[CellKey, Listed]
    # log pay of a city (key "city/level", and "city" over levels) against every city (city_effects)
    city_effects: dict[str, float] = field(default_factory=dict)

    @classmethod
    def fit(
        cls,
        fields: Sequence[Sequence[str]],
        cities: Sequence[str],
        levels: Sequence[str],
        log_salaries: Sequence[float] | np.ndarray,
    ) -> FieldLevels:
        """From each row's fields, city, level and log salary (in the query year's money)."""
        grouped: dict[CellKey, list[float]] = defaultdict(list)
        for row_fields, city, level, value in zip(fields, cities, levels, log_salaries, strict=True):
            for f in row_fields:
                grouped[(f, EVERY_CITY, level)].append(float(value))
                if city != EVERY_CITY:
                    grouped[(f, city, level)].append(float(value))
        cells = {key: summarize(values) for key, values in grouped.items()}
        return cls(cells, city_effects(cells))

    def listed(self, weights: Mapping[str, float], city: str, level: str) -> Listed | None:
        """The cell of a query read as a mix of fields, as if their listings were pooled: the
        count is the weight-averaged count, the log quantiles are averaged by weight × count (a
        field listing one salary there says little); None when no field lists anything."""
        known = [
            (self.cells[(f, city, level)], w) for f, w in weights.items() if (f, city, level) in self.cells
        ]
        mass = sum(cell.count * w for cell, w in known)
        if mass <= 0:
            return None

        def pooled(attr: str) -> float:
            return sum(getattr(cell, attr) * cell.count * w for cell, w in known) / mass

        count = mass / sum(weights.values())
        return Listed(count, pooled("p10"), pooled("p50"), pooled("p90"))

    def settled_p50(
        self, log_row: Mapping[str, float], weights: Mapping[str, float], city: str, level: str
    ) -> float:
        """The log p50 of one cell after the rule of the module docstring; ``log_row``: the
        grid's log p50 at every level of the cell's schedule (level → value)."""
        log_p50 = log_row[level]
        cell = self.listed(weights, city, level)
        if cell is not None and cell.count >= MIN_LISTED:
            return min(max(log_p50, cell.p10), cell.p90)
        prior = self.field_level(log_row, weights, city, level)
        if prior is None:
            return log_p50
        n = cell.count if cell is not None else 0.0
        weight = n / (n + PRIOR_LISTED)
        return weight * log_p50 + (1.0 - weight) * prior

    def field_level(
        self, log_row: Mapping[str, float], weights: Mapping[str, float], city: str, level: str
    ) -> float | None:
        """What a thin cell is shrunk toward: the field's listed median at ``level`` in every city,
        moved to ``city`` (``city_effect``). Where the field lists fewer than ``MIN_LISTED`` at that
        level (seniors, mostly), the nearest level where it lists enough, carried to ``level`` by
        the grid's own step between the two (the model's curve, not a calibration factor: a factor
        scales both ends of the step); None when no level of the field is well listed."""
        supported = {
            lv: listed
            for lv in EXPERIENCE_LEVELS
            if (listed := self.listed(weights, EVERY_CITY, lv)) is not None and listed.count >= MIN_LISTED
        }
        if not supported:
            return None
        rank = EXPERIENCE_LEVELS.index(level)
        anchor = min(supported, key=lambda lv: (abs(EXPERIENCE_LEVELS.index(lv) - rank), lv != level))
        return supported[anchor].p50 + self.city_effect(city, anchor) + log_row[level] - log_row[anchor]

    def city_effect(self, city: str, level: str) -> float:
        return self.city_effects.get(f"{city}/{level}", self.city_effects.get(city, 0.0))

    def settle(
        self, quantiles: np.ndarray, keys: Sequence[tuple[str, str]], weights: Mapping[str, float], city: str
    ) -> np.ndarray:
        """``quantiles`` (p25/p50/p75 rows in roubles, one per (schedule, level) of ``keys``)
        with each row scaled by its cell's factor."""
        rows: dict[str, dict[str, float]] = defaultdict(dict)
        for (schedule, level), q in zip(keys, quantiles, strict=True):
            rows[schedule][level] = float(np.log(q[1]))
        out = np.array(quantiles, dtype=float)
        for i, (schedule, level) in enumerate(keys):
            log_row = rows[schedule]
            out[i] *= float(np.exp(self.settled_p50(log_row, weights, city, level) - log_row[level]))
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "cells": [[*key, c.count, c.p10, c.p50, c.p90] for key, c in self.cells.items()],
            "city_effects": dict(self.city_effects),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FieldLevels:
        cells = {
            (str(f), str(city), str(level)): Listed(float(n), float(p10), float(p50), float(p90))
            for f, city, level, n, p10, p50, p90 in data["cells"]
        }
        return cls(cells, {str(city): float(v) for city, v in data["city_effects"].items()})


def city_effects(cells: Mapping[CellKey, Listed]) -> dict[str, float]:
    """Log pay of a city against every city, within one field and level: per ``city/level``,
    the count-weighted mean of (the cell's median − the field's level there) over fields, shrunk
    by ``PRIOR_LISTED`` toward the city's mean over levels (key ``city``). Per level, because the
    every-city level is the regions' at no experience but Moscow's at six years and more: a thin
    Петербург cell is shrunk toward the field's level moved to Петербург at that level."""
    total: dict[str, float] = defaultdict(float)
    weight: dict[str, float] = defaultdict(float)
    for (f, city, level), cell in cells.items():
        whole = cells.get((f, EVERY_CITY, level))
        if city == EVERY_CITY or whole is None:
            continue
        for key in (city, f"{city}/{level}"):
            total[key] += cell.count * (cell.p50 - whole.p50)
            weight[key] += cell.count
    effects = {city: total[city] / weight[city] for city in total if "/" not in city}
    for key in [k for k in total if "/" in k]:
        city_mean = effects[key.split("/", 1)[0]]
        effects[key] = (total[key] + PRIOR_LISTED * city_mean) / (weight[key] + PRIOR_LISTED)
    return effects
