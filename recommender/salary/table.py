"""The salary grid as text tables, the one place they are laid out: the full one `jobrec salary`
and `jobrec ask --salary` print (quartiles and support per cell), and the compact one the bot
sends (experience across, medians in thousands: it fits a phone).

Both show the chart's schedules (``SalaryGrid.schedules_shown``) and mark the cells the chart
draws hollow (``SalaryCell.extrapolated``: fewer than ``THIN_SUPPORT`` vacancies).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from recommender.data.models import EXPERIENCE_SHORT
from recommender.data.money import format_thousands, group_digits
from recommender.salary.grid import THIN_SUPPORT, SalaryCell, SalaryGrid

if TYPE_CHECKING:
    from recommender.salary.chart import ChartText

THIN_MARK = "≈"
COMPACT_WIDTH = 8  # narrow columns: about 40 characters, a phone's screen without wrapping


def format_table(grid: SalaryGrid, text: ChartText, highlight: tuple[str, str] | None = None) -> str:
    """The report's table 5 for the schedules the chart shows, with quartiles and support.

    Thin cells get "*", the user's own cell ">"; rare schedules are a note, as on the chart.
    """
    from recommender.salary.chart import period_line  # matplotlib: only to print a full table

    shown, rare = grid.schedules_shown()
    header = f"  {'':<15} {'':<13} {'p25':>9} {'p50':>9} {'p75':>9} {'n':>6}"
    lines = [text.title.format(query=grid.query, where=f", {grid.area}" if grid.area else ""), header]
    for cell in grid.cells:
        if cell.schedule not in shown:
            continue
        mark = "> " if highlight == (cell.schedule, cell.experience) else "  "
        thin = " *" if cell.extrapolated else ""
        lines.append(
            f"{mark}{text.schedules[cell.schedule]:<15} {text.experience[cell.experience]:<13} "
            + "".join(f"{group_digits(p):>9} " for p in (cell.p25, cell.p50, cell.p75))
            + f"{cell.support:>6}{thin}"
        )
    if any(cell.extrapolated for cell in grid.cells if cell.schedule in shown):
        lines.append("* " + text.thin.format(n=THIN_SUPPORT))
    if rare:
        lines.append(text.rare.format(names=", ".join(text.schedules[s] for s in rare)))
    if grid.calibrated_on:
        lines.append(text.calibrated.format(n=grid.calibrated_on))
    lines.append(period_line(grid, text))
    return "\n".join(lines)


def compact_rows(
    grid: SalaryGrid,
    shown: Sequence[str],
    *,
    schedules: Mapping[str, str],
    years: str,
    highlight: tuple[str, str] | None = None,
) -> list[str]:
    """The compact table's rows: a header of experience in years, then one row per shown schedule
    of medians in thousands, "≈" on thin cells and [ ] around the reader's own cell."""
    experiences = list(dict.fromkeys(c.experience for c in grid.cells))
    by_key = {(c.schedule, c.experience): c for c in grid.cells}
    first = max([len(schedules.get(s, s)) for s in shown] + [4])
    header = "".join(EXPERIENCE_SHORT.get(e, e[:5]).rjust(COMPACT_WIDTH) for e in experiences)
    rows = [years.ljust(first) + header]
    for schedule in shown:
        row = schedules.get(schedule, schedule).ljust(first)
        for experience in experiences:
            cell = by_key.get((schedule, experience))
            value = "—" if cell is None else compact_value(cell)
            if highlight == (schedule, experience):
                value = f"[{value}]"
            row += value.rjust(COMPACT_WIDTH)
        rows.append(row)
    return rows


def compact_value(cell: SalaryCell) -> str:
    """A cell's median as the compact table writes it: "118k", "≈95k" when thin."""
    return (THIN_MARK if cell.extrapolated else "") + format_thousands(cell.p50)
