"""The salary grid as a plain-text table: what `jobrec salary` and `jobrec ask --salary` print.

The same words as the chart (``ChartText``) and the same schedules (``SalaryGrid.schedules_shown``).
"""

from __future__ import annotations

from recommender.data.money import group_digits
from recommender.salary.chart import ChartText, period_line
from recommender.salary.grid import THIN_SUPPORT, SalaryGrid


def format_table(grid: SalaryGrid, text: ChartText, highlight: tuple[str, str] | None = None) -> str:
    """The report's table 5 for the schedules the chart shows, with quartiles and support.

    Thin cells get "*", the user's own cell ">"; rare schedules are a note, as on the chart.
    """
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
