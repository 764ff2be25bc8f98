"""Does the salary grid agree with the vacancies listed on the same screen?

A student asks for their skills in their city with their experience and schedule; the bot
lists matching vacancies and, a tap later, the salary grid. When the user's cell has at least
``MIN_MATCHED`` listed vacancies with a salary, its p50 should sit inside their interquartile
range. This measures how often it does over common queries, cities and cells::

    python -m recommender.salary.agreement --model-dir var/models --out docs/evaluation-salary-screen.md

Like with like: each listed salary is converted from its publication year's roubles to the
grid's (the data's median year) by the wage index. Four figures per cell:

- ``inside_data_year``: the old measure, listed salaries taken as published (mixed years);
- ``inside``: the model's grid against the converted listing;
- ``calibrated_inside``: the grid the bot shows (recommender.salary.calibration), against the
  same listing it was calibrated on (in-sample: what the student sees on one screen);
- held out: the listing split in two by position (even / odd), the grid calibrated on the even
  half and both grids scored against the odd half, which calibration never saw.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from itertools import permutations
from pathlib import Path
from typing import Any

import numpy as np

from recommender.data.money import group_digits
from recommender.salary.calibration import (
    LISTED_LOOKED_AT,
    MIN_MATCHED,
    calibrate,
    in_money_of,
)
from recommender.salary.evaluation import COMMON_QUERIES

logger = logging.getLogger(__name__)

AREAS: tuple[str | None, ...] = (None, "Москва", "Санкт-Петербург")
SCHEDULES: tuple[str, ...] = ("fullDay", "remote")
LEVELS: tuple[str, ...] = ("noExperience", "between1And3", "between3And6", "moreThan6")
FLAGS: tuple[str, ...] = (
    "inside_data_year",
    "inside",
    "calibrated_inside",
    "holdout_model_inside",
    "holdout_calibrated_inside",
)


def _within(value: float, p25: float, p75: float) -> bool:
    return p25 <= value <= p75


def _log_error(value: float, median: float) -> float:
    return abs(math.log(value / median))


@dataclass
class CellCheck:
    query: str
    area: str | None
    schedule: str
    experience: str
    matched: int  # listed vacancies with a salary in the user's cell
    p25: float  # listed p25–p75 in the grid's money (each salary from its own year)
    p75: float
    grid_p50: float  # the model's grid, uncalibrated
    inside: bool
    money_year: int
    p25_data_year: float  # listed p25–p75 as published (roubles of mixed years)
    p75_data_year: float
    inside_data_year: bool
    calibrated_p50: float  # the grid the bot shows, calibrated on this listing
    calibration_factor: float
    calibrated_inside: bool
    # Held out: calibrated on the even listing positions, scored on the odd ones.
    holdout_matched: int
    holdout_median: float
    holdout_model_inside: bool
    holdout_calibrated_p50: float
    holdout_calibrated_inside: bool
    holdout_model_log_error: float  # |ln(p50 / held-out median)|
    holdout_calibrated_log_error: float
    # the listed p10–p90 (grid's money): where the bot's (calibrated) p50 must stay (issue 19 item 7)
    p10: float = 0.0
    p90: float = 0.0
    calibrated_inside_p10_p90: bool = False


@dataclass
class Agreement:
    checks: list[CellCheck]
    asked: int  # query × city × cell combinations asked
    min_matched: int = MIN_MATCHED
    queries: list[str] = field(default_factory=list)

    def share(self, flag: str = "inside") -> float:
        return float(np.mean([getattr(c, flag) for c in self.checks])) if self.checks else float("nan")

    def agreeing(self, flag: str = "inside") -> int:
        return sum(bool(getattr(c, flag)) for c in self.checks)

    @property
    def share_inside(self) -> float:
        return self.share("inside")

    def by(self, key: str, flag: str = "inside") -> dict[str, tuple[int, int]]:
        """(agreeing, checked) per value of a CellCheck field."""
        out: dict[str, tuple[int, int]] = {}
        for check in self.checks:
            value = str(getattr(check, key))
            inside, total = out.get(value, (0, 0))
            out[value] = (inside + bool(getattr(check, flag)), total + 1)
        return out

    def count(self, *, experience: str, side: str, p50: str = "grid_p50") -> int:
        """Checked cells of a level whose ``p50`` is ``above`` the listed p75 or ``below`` the p25."""
        return sum(
            1
            for c in self.checks
            if c.experience == experience
            and (getattr(c, p50) > c.p75 if side == "above" else getattr(c, p50) < c.p25)
        )

    def median_log_error(self, which: str) -> float:
        errors = [getattr(c, f"holdout_{which}_log_error") for c in self.checks]
        return float(np.median(errors)) if errors else float("nan")

    def cross_cell(self) -> tuple[int, int, int]:
        """(pairs, model inside, calibrated inside): the factor calibrated on one checked cell of a
        query and place, applied to another checked cell of the same query and place (one factor
        for the whole grid) and scored against that other cell's listing."""
        by_screen: dict[tuple[str, str | None], list[CellCheck]] = {}
        for check in self.checks:
            by_screen.setdefault((check.query, check.area), []).append(check)
        pairs = model = calibrated = 0
        for cells in by_screen.values():
            for source, target in permutations(cells, 2):
                pairs += 1
                model += _within(target.grid_p50, target.p25, target.p75)
                calibrated += _within(target.grid_p50 * source.calibration_factor, target.p25, target.p75)
        return pairs, model, calibrated

    def to_dict(self) -> dict[str, Any]:
        pairs, model, calibrated = self.cross_cell()
        return {
            **asdict(self),
            "cross_cell": {"pairs": pairs, "model_inside": model, "calibrated_inside": calibrated},
            "share_inside": self.share_inside,
            **{f"share_{flag}": self.share(flag) for flag in FLAGS},
            "holdout_median_log_error": {w: self.median_log_error(w) for w in ("model", "calibrated")},
        }


def check_cell(bundle: Any, query: str, area: str | None, schedule: str, experience: str) -> CellCheck | None:
    """The user's cell against the vacancies listed for the same query and filters (None: < 10)."""
    parsed = bundle.understand(query).query  # read once for the listing and the grid, as the bot does
    listed = bundle.listed_salaries(parsed, area, schedule, experience)
    if len(listed) < MIN_MATCHED:
        return None
    grid = bundle.salary_grid(parsed, area=area)
    if grid is None:
        return None
    money = in_money_of(listed, grid.money_year)
    p25, p75 = (float(x) for x in np.percentile(money, [25, 75]))
    p10, p90 = (float(x) for x in np.percentile(money, [10, 90]))
    raw_p25, raw_p75 = (float(x) for x in np.percentile([s for s, _ in listed], [25, 75]))
    p50 = grid.cell(schedule, experience).p50
    # What the bot shows for the user's cell: calibrated on this listing, then settled
    calibrated = bundle.salary_grid(parsed, area=area, schedule=schedule, experience=experience)
    calibrated_p50 = calibrated.cell(schedule, experience).p50
    fit_half, held_half = listed[0::2], listed[1::2]
    held = in_money_of(held_half, grid.money_year)
    h25, h50, h75 = (float(x) for x in np.percentile(held, [25, 50, 75]))
    # the half is calibrated on the settled grid (the bundle takes no listing from outside)
    half = calibrate(grid, schedule, experience, fit_half, min_matched=1).cell(schedule, experience).p50
    return CellCheck(
        query,
        area,
        schedule,
        experience,
        matched=len(listed),
        p25=p25,
        p75=p75,
        grid_p50=p50,
        inside=_within(p50, p25, p75),
        money_year=grid.money_year,
        p25_data_year=raw_p25,
        p75_data_year=raw_p75,
        inside_data_year=_within(p50, raw_p25, raw_p75),
        calibrated_p50=calibrated_p50,
        calibration_factor=calibrated.calibration_factor,
        calibrated_inside=_within(calibrated_p50, p25, p75),
        holdout_matched=len(held_half),
        holdout_median=h50,
        holdout_model_inside=_within(p50, h25, h75),
        holdout_calibrated_p50=half,
        holdout_calibrated_inside=_within(half, h25, h75),
        holdout_model_log_error=_log_error(p50, h50),
        holdout_calibrated_log_error=_log_error(half, h50),
        p10=p10,
        p90=p90,
        calibrated_inside_p10_p90=_within(calibrated_p50, p10, p90),
    )


def screen_agreement(bundle: Any, queries: Sequence[str] = COMMON_QUERIES) -> Agreement:
    checks = []
    asked = 0
    for query in queries:
        for area in AREAS:
            for schedule in SCHEDULES:
                for experience in LEVELS:
                    asked += 1
                    check = check_cell(bundle, query, area, schedule, experience)
                    if check is not None:
                        checks.append(check)
    return Agreement(checks, asked, queries=list(queries))


def _share(result: Agreement, flag: str) -> str:
    return f"{result.agreeing(flag)} of {len(result.checks)} ({result.share(flag):.0%})"


def render_markdown(result: Agreement, command: str) -> str:
    money = sorted({c.money_year for c in result.checks})
    money_text = ", ".join(str(y) for y in money) or "the data year"
    lines = [
        "## Salary grid vs the vacancies on the same screen",
        "",
        f"{len(result.queries)} common queries × {len(AREAS)} places (all Russia, Москва, Санкт-Петербург) × "
        f"{len(SCHEDULES)} schedules × {len(LEVELS)} experience levels = {result.asked} user cells. "
        f"A cell is checked when the bot's first {LISTED_LOOKED_AT} listed vacancies for that query and "
        f"those filters include at least {result.min_matched} with a salary in the cell and at least one "
        "of the query's skills; then the grid's p50 for the cell should lie inside their p25–p75. "
        f"{result.asked - len(result.checks)} cells had fewer than {result.min_matched} listed salaries; "
        f"{len(result.checks)} were checked.",
        "",
        f"Money: the grid is in {money_text} roubles (the data's median year). Each listed salary is "
        "converted from its publication year to the grid's year by the average-wage index "
        "(recommender/salary/wage_index.py) before the quartiles are taken, except in the first row.",
        "",
        "| grid | scored against | agree |",
        "|---|---|---:|",
        f"| model (before) | listed salaries as published (mixed 2021/2023 roubles) | "
        f"{_share(result, 'inside_data_year')} |",
        f"| model | listed salaries in the grid's money | {_share(result, 'inside')} |",
        f"| calibrated on the listing (what the bot shows) | the same listing (in-sample) | "
        f"{_share(result, 'calibrated_inside')} |",
        f"| calibrated on the listing (what the bot shows) | the listing's p10–p90 (issue 19 item 7) | "
        f"{_share(result, 'calibrated_inside_p10_p90')} |",
        "| model | held-out half of the listing (odd positions) | "
        f"{_share(result, 'holdout_model_inside')} |",
        f"| calibrated on the even half | held-out half (odd positions) | "
        f"{_share(result, 'holdout_calibrated_inside')} |",
        "",
        "The in-sample row is what a student sees on one screen, but it is scored on the vacancies the "
        "grid was calibrated on, so it flatters. The held-out rows are the honest test: the grid is "
        "calibrated on every other listed vacancy (half the evidence the bot uses, so a weaker "
        "calibration) and scored on the others' p25–p75. Median |ln(grid p50 ÷ held-out median)|: "
        f"model {result.median_log_error('model'):.3f}, "
        f"calibrated {result.median_log_error('calibrated'):.3f}.",
        "",
        "One factor scales the whole grid. Calibrated on one checked cell of a query and place and "
        "scored on another checked cell of the same query and place (its own listing): "
        "{1} of {0} cell pairs agree for the model, {2} for the calibrated grid.".format(
            *result.cross_cell()
        ),
        "",
        "| experience | model agree / checked | calibrated (in-sample) | held out: model | "
        "held out: calibrated | model above p75 | model below p25 | calibrated above p75 | "
        "calibrated below p25 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {level} | {a} / {n} | {result.by('experience', 'calibrated_inside')[level][0]} | "
            f"{result.by('experience', 'holdout_model_inside')[level][0]} | "
            f"{result.by('experience', 'holdout_calibrated_inside')[level][0]} | "
            f"{result.count(experience=level, side='above')} | "
            f"{result.count(experience=level, side='below')} | "
            f"{result.count(experience=level, side='above', p50='calibrated_p50')} | "
            f"{result.count(experience=level, side='below', p50='calibrated_p50')} |"
            for level, (a, n) in sorted(result.by("experience").items())
        ),
        "",
        "| place | model agree / checked | calibrated (in-sample) | held out: model | held out: calibrated |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {place} | {a} / {n} | {result.by('area', 'calibrated_inside')[place][0]} | "
            f"{result.by('area', 'holdout_model_inside')[place][0]} | "
            f"{result.by('area', 'holdout_calibrated_inside')[place][0]} |"
            for place, (a, n) in sorted(result.by("area").items())
        ),
        "",
        "Cells where the calibrated grid still disagrees (p50 outside the listed p25–p75, grid's money):",
        "",
        "| query | place | schedule | experience | listed | listed p25–p75 | model p50 | factor | "
        "calibrated p50 |",
        "|---|---|---|---|---:|---:|---:|---:|---:|",
        *(
            f"| {c.query} | {c.area or 'Russia'} | {c.schedule} | {c.experience} | {c.matched} | "
            f"{group_digits(c.p25)}–{group_digits(c.p75)} | {group_digits(c.grid_p50)} | "
            f"{c.calibration_factor:.2f} | "
            f"{group_digits(c.calibrated_p50)} |"
            for c in result.checks
            if not c.calibrated_inside
        ),
        "",
        f"Command: `{command}`",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    from recommender.bundle import load_bundle

    parser = argparse.ArgumentParser(prog="python -m recommender.salary.agreement", description=__doc__)
    parser.add_argument("--model-dir", default="var/models", help="bundle directory (jobrec train --out)")
    parser.add_argument("--out", default="docs/evaluation-salary-screen.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    result = screen_agreement(load_bundle(args.model_dir))
    command = "python -m recommender.salary.agreement " + " ".join(argv if argv is not None else sys.argv[1:])
    out = Path(args.out)
    out.write_text(render_markdown(result, command.strip()), encoding="utf-8")
    out.with_suffix(".json").write_text(
        json.dumps(result.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(
        f"wrote {out}: model {result.agreeing('inside')}, calibrated {result.agreeing('calibrated_inside')} "
        f"(held out: {result.agreeing('holdout_model_inside')} → "
        f"{result.agreeing('holdout_calibrated_inside')}) "
        f"of {len(result.checks)} cells agree"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
