"""Does the salary grid agree with the vacancies listed on the same screen?

A student asks for their skills in their city with their experience and schedule; the bot
lists matching vacancies and, a tap later, the salary grid. When the user's cell has at least
``MIN_MATCHED`` listed vacancies with a salary, its p50 should sit inside their interquartile
range. This measures how often it does over common queries, cities and cells::

    python -m recommender.salary.agreement --model-dir var/models --out docs/evaluation-salary-screen.md

Both sides are in the data year's roubles: the listed vacancies show what they offered then.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from recommender.salary.evaluation import EVALUATION_QUERIES

logger = logging.getLogger(__name__)

MIN_MATCHED = 10
MATCHES_LOOKED_AT = 50  # ten pages of five: as far as a student pages
COMMON_QUERIES: tuple[str, ...] = (
    *EVALUATION_QUERIES,
    "python",
    "sql",
    "java",
    "javascript",
    "php, mysql",
    "c#, .net",
    "1с",
    "тестирование",
    "excel",
    "linux",
    "android, kotlin",
    "системное администрирование",
    "техническая поддержка",
    "аналитика данных, sql, python",
    "продажи",
)
AREAS: tuple[str | None, ...] = (None, "Москва", "Санкт-Петербург")
SCHEDULES: tuple[str, ...] = ("fullDay", "remote")
LEVELS: tuple[str, ...] = ("noExperience", "between1And3", "between3And6", "moreThan6")


@dataclass
class CellCheck:
    query: str
    area: str | None
    schedule: str
    experience: str
    matched: int  # listed vacancies with a salary in the user's cell
    p25: float
    p75: float
    grid_p50: float
    inside: bool


@dataclass
class Agreement:
    checks: list[CellCheck]
    asked: int  # query × city × cell combinations asked
    min_matched: int = MIN_MATCHED
    queries: list[str] = field(default_factory=list)

    @property
    def share_inside(self) -> float:
        return float(np.mean([c.inside for c in self.checks])) if self.checks else float("nan")

    def by(self, key: str) -> dict[str, tuple[int, int]]:
        """(inside, checked) per value of a CellCheck field."""
        out: dict[str, tuple[int, int]] = {}
        for check in self.checks:
            value = str(getattr(check, key))
            inside, total = out.get(value, (0, 0))
            out[value] = (inside + check.inside, total + 1)
        return out

    def count(self, *, experience: str, side: str) -> int:
        """Checked cells of a level whose grid p50 is ``above`` the listed p75 or ``below`` the p25."""
        return sum(
            1
            for c in self.checks
            if c.experience == experience and (c.grid_p50 > c.p75 if side == "above" else c.grid_p50 < c.p25)
        )

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "share_inside": self.share_inside}


def check_cell(bundle: Any, query: str, area: str | None, schedule: str, experience: str) -> CellCheck | None:
    """The user's cell against the vacancies listed for the same query and filters (None: < 10)."""
    parsed = bundle.parse(query)  # one parse for the listing and the grid, as the bot does
    rec = bundle.recommend(parsed, MATCHES_LOOKED_AT, area=area, schedule=schedule, experience=experience)
    # Matched: in the user's cell and sharing at least one skill with the query (the listing
    # fills pages with weaker matches too; those are not "vacancies like mine").
    salaries = [
        v.salary
        for v in rec.vacancies
        if v.salary is not None and v.schedule == schedule and v.experience == experience and v.matched_skills
    ]
    if len(salaries) < MIN_MATCHED:
        return None
    grid = bundle.salary_grid(parsed, area=area)
    if grid is None:
        return None
    p25, p75 = (float(x) for x in np.percentile(salaries, [25, 75]))
    p50 = grid.cell(schedule, experience).p50
    return CellCheck(query, area, schedule, experience, len(salaries), p25, p75, p50, p25 <= p50 <= p75)


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


def _rub(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def render_markdown(result: Agreement, command: str) -> str:
    inside = sum(c.inside for c in result.checks)
    lines = [
        "## Salary grid vs the vacancies on the same screen",
        "",
        f"{len(result.queries)} common queries × {len(AREAS)} places (all Russia, Москва, Санкт-Петербург) × "
        f"{len(SCHEDULES)} schedules × {len(LEVELS)} experience levels = {result.asked} user cells. "
        f"A cell is checked when the bot's first {MATCHES_LOOKED_AT} listed vacancies for that query and "
        f"those filters include at least {result.min_matched} with a salary in the cell and at least one "
        "of the query's skills; then the grid's p50 for the cell should lie inside their p25–p75 "
        "(data-year roubles on both sides).",
        "",
        f"**{inside} of {len(result.checks)} checked cells ({result.share_inside:.0%}) agree.** "
        f"{result.asked - len(result.checks)} cells had fewer than {result.min_matched} listed salaries.",
        "",
        "| experience | agree / checked | grid above p75 | grid below p25 |",
        "|---|---:|---:|---:|",
        *(
            f"| {level} | {a} / {n} | {result.count(experience=level, side='above')} | "
            f"{result.count(experience=level, side='below')} |"
            for level, (a, n) in sorted(result.by("experience").items())
        ),
        "",
        "| place | agree / checked |",
        "|---|---:|",
        *(f"| {place} | {a} / {n} |" for place, (a, n) in sorted(result.by("area").items())),
        "",
        "Cells that disagree (grid p50 outside the listed p25–p75):",
        "",
        "| query | place | schedule | experience | listed | listed p25–p75 | grid p50 |",
        "|---|---|---|---|---:|---:|---:|",
        *(
            f"| {c.query} | {c.area or 'Russia'} | {c.schedule} | {c.experience} | {c.matched} | "
            f"{_rub(c.p25)}–{_rub(c.p75)} | {_rub(c.grid_p50)} |"
            for c in result.checks
            if not c.inside
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
    print(f"wrote {out}: {sum(c.inside for c in result.checks)} of {len(result.checks)} cells agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
