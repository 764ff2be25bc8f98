"""A PNG of the salary grid that reads at a glance in a chat."""

from __future__ import annotations

import io
import logging
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from recommender.data.models import EXPERIENCE_NAMES, SCHEDULE_NAMES
from recommender.salary.features import EXPERIENCE_LEVELS, SCHEDULES
from recommender.salary.grid import THIN_SUPPORT, SalaryGrid

logger = logging.getLogger(__name__)

MAX_SERIES = 3  # more lines than this turn into spaghetti on a phone screen
COLORS = ("#1f77b4", "#e4572e", "#2a9d8f", "#8e6c8a", "#f4a261")
TITLE_CHARS = 60


def rub(value: float, _position: object = None) -> str:
    """120000 → "120 000 ₽" (a narrow no-break space groups thousands, as Russian text does)."""
    return f"{value:,.0f}".replace(",", "\u202f") + " ₽"


def thousands(value: float) -> str:
    """120000 → "120 тыс." for labels next to points."""
    return f"{value / 1000:.0f} тыс."


def relevant_schedules(grid: SalaryGrid, limit: int = MAX_SERIES) -> list[str]:
    """The schedules with the most training vacancies behind them, in hh's order."""
    totals = {s: sum(c.support for c in grid.cells if c.schedule == s) for s in SCHEDULES}
    chosen = sorted(SCHEDULES, key=lambda s: -totals[s])[:limit]
    return [s for s in SCHEDULES if s in chosen]


def _draw_schedule(ax: plt.Axes, grid: SalaryGrid, schedule: str, index: int, n_series: int) -> None:
    color = COLORS[index % len(COLORS)]
    cells = [grid.cell(schedule, level) for level in EXPERIENCE_LEVELS]
    # Shift series sideways a little so their p25–p75 bars do not hide each other.
    offset = (index - (n_series - 1) / 2) * 0.08
    xs = [i + offset for i in range(len(cells))]
    for i in range(len(cells) - 1):
        thin_step = cells[i].extrapolated or cells[i + 1].extrapolated
        ax.plot(
            xs[i : i + 2],
            [cells[i].p50, cells[i + 1].p50],
            color=color,
            linewidth=2.2,
            linestyle="--" if thin_step else "-",
            alpha=0.6 if thin_step else 1.0,
        )
    for x, cell in zip(xs, cells, strict=True):
        ax.vlines(x, cell.p25, cell.p75, color=color, linewidth=6, alpha=0.18 if cell.extrapolated else 0.35)
        if index == 0:  # figures for the main schedule only, so the numbers stay readable
            ax.annotate(
                thousands(cell.p50),
                (x, cell.p25),  # under the bar: lines and other series stay clear
                textcoords="offset points",
                xytext=(0, -6),
                ha="center",
                va="top",
                fontsize=9,
                color=color,
                fontweight="bold",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
            )
        ax.plot(
            x,
            cell.p50,
            marker="o",
            markersize=9,
            color=color,
            markeredgewidth=2,
            markerfacecolor="white" if cell.extrapolated else color,
        )


def _legend(ax: plt.Axes, schedules: list[str]) -> None:
    handles = [
        Line2D([], [], color=COLORS[i % len(COLORS)], marker="o", linewidth=2.2, label=SCHEDULE_NAMES[s])
        for i, s in enumerate(schedules)
    ]
    handles.append(
        Line2D(
            [],
            [],
            color="grey",
            marker="o",
            markerfacecolor="white",
            linestyle="--",
            label=f"мало данных (< {THIN_SUPPORT} вакансий)",
        )
    )
    handles.append(Line2D([], [], color="grey", linewidth=6, alpha=0.35, label="полоса: 25–75% вакансий"))
    # Below the axes: inside, it would cover the high-experience points students look for.
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=9, frameon=False
    )


def draw_salary_chart(grid: SalaryGrid) -> Figure:
    """The figure: median per experience level with its p25–p75 bar, one series per schedule."""
    schedules = relevant_schedules(grid)
    fig, ax = plt.subplots(figsize=(8, 5.4), dpi=120)
    for index, schedule in enumerate(schedules):
        _draw_schedule(ax, grid, schedule, index, len(schedules))
    ax.set_xticks(range(len(EXPERIENCE_LEVELS)))
    ax.set_xticklabels([textwrap.fill(EXPERIENCE_NAMES[level], 20) for level in EXPERIENCE_LEVELS])
    ax.yaxis.set_major_formatter(FuncFormatter(rub))
    ax.set_xlabel("Опыт работы")
    ax.set_ylabel("Зарплата на руки в месяц")
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylim(bottom=0)
    ax.set_xlim(-0.6, len(EXPERIENCE_LEVELS) - 0.5)
    query = grid.query if len(grid.query) <= TITLE_CHARS else grid.query[: TITLE_CHARS - 1] + "…"
    where = f", {grid.area}" if grid.area else ""
    ax.set_title(f"Зарплата по навыкам: «{query}»{where}", fontsize=12, loc="left")
    _legend(ax, schedules)
    fig.tight_layout()
    return fig


def salary_chart(grid: SalaryGrid, path: str | Path | None = None) -> bytes:
    """Render the grid as PNG bytes; also write them to ``path`` when given."""
    fig = draw_salary_chart(grid)
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)  # figures otherwise pile up in a long-running bot
    data = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
