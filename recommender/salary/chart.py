"""A PNG of the salary grid that reads at a glance in a chat."""

from __future__ import annotations

import io
import logging
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from recommender.data.models import EXPERIENCE_LABELS, SCHEDULE_LABELS
from recommender.data.money import format_rub
from recommender.salary.features import EXPERIENCE_LEVELS
from recommender.salary.grid import THIN_SUPPORT, SalaryGrid

logger = logging.getLogger(__name__)

COLORS = ("#1f77b4", "#e4572e", "#2a9d8f", "#8e6c8a", "#f4a261")
TITLE_CHARS = 60


@dataclass(frozen=True)
class ChartText:
    """Every word on the chart, in one language. Schedule and experience names are the library's
    (``recommender.data.models.SCHEDULE_LABELS`` / ``EXPERIENCE_LABELS``), which the bot's table
    uses too, so the chart and the table beside it say the same ("Удалённо" in both)."""

    schedules: Mapping[str, str]
    experience: Mapping[str, str]
    title: str
    x_label: str
    y_label: str
    thin: str  # legend of hollow points; {n} is the support threshold
    band: str
    yours: str
    rare: str  # note under the chart; {names} lists the folded schedules
    period: str  # {period} data years, {money} the money's year
    period_estimate: str
    thousand: str  # "тыс." / "k"
    calibrated: str = ""  # the table's note on a calibrated grid; {n} listed vacancies
    place: str | None = None  # the grid's area as the reader's language names it ("Moscow"); else grid.area


CHART_TEXT: dict[str, ChartText] = {
    "ru": ChartText(
        schedules=SCHEDULE_LABELS["ru"],
        experience=EXPERIENCE_LABELS["ru"],
        title="Зарплата по навыкам: «{query}»{where}",
        x_label="Опыт работы",
        y_label="На руки в месяц",
        thin="мало данных (< {n} вакансий)",
        band="полоса: 25–75% вакансий",
        yours="ваш опыт и график",
        rare="Редко в этой области, не показаны: {names}",
        period="По вакансиям hh.ru ({period}), в рублях {money} г.",
        period_estimate="По вакансиям hh.ru ({period}), пересчёт в рубли {money} г. по росту средней "
        "зарплаты (оценка)",
        thousand="тыс.",
        calibrated="Уровень сверен с {n} вакансиями из списка с вашими опытом и графиком",
    ),
    "en": ChartText(
        schedules=SCHEDULE_LABELS["en"],
        experience=EXPERIENCE_LABELS["en"],
        title="Salary for: “{query}”{where}",
        x_label="Experience",
        y_label="After tax, per month",
        thin="thin data (< {n} vacancies)",
        band="bar: middle 50% of vacancies",
        yours="your experience and schedule",
        rare="Rare in this field, not shown: {names}",
        period="From hh.ru vacancies ({period}), in {money} roubles",
        period_estimate="From hh.ru vacancies ({period}), converted to {money} roubles by average wage "
        "growth (an estimate)",
        thousand="k",
        calibrated="Level calibrated on {n} listed vacancies with your experience and schedule",
    ),
}


def chart_text(lang: str, **overrides: Any) -> ChartText:
    """The chart's words in ``lang`` (Russian when unknown), with e.g. the caller's schedule names."""
    return replace(CHART_TEXT.get(lang, CHART_TEXT["ru"]), **overrides)


def period_line(grid: SalaryGrid, text: ChartText) -> str:
    """Which year's money the figures are, and where from: said on every salary answer."""
    if not grid.money_year:
        return ""
    template = text.period_estimate if grid.estimate else text.period
    return template.format(period=grid.period() or grid.money_year, money=grid.money_year)


def rub(value: float, _position: object = None) -> str:
    """120000 → "120 000 ₽" (a narrow no-break space groups thousands, as Russian text does)."""
    return format_rub(value, separator="\u202f")


def _draw_schedule(
    ax: plt.Axes,
    grid: SalaryGrid,
    schedule: str,
    index: int,
    n_series: int,
    text: ChartText,
) -> None:
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
                f"{cell.p50 / 1000:.0f} {text.thousand}",
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


def _highlight(ax: plt.Axes, grid: SalaryGrid, schedules: list[str], highlight: tuple[str, str]) -> bool:
    """A ring around the user's own cell, with its figure; False when it is not on the chart."""
    schedule, level = highlight
    if schedule not in schedules or level not in EXPERIENCE_LEVELS:
        return False
    index = schedules.index(schedule)
    x = EXPERIENCE_LEVELS.index(level) + (index - (len(schedules) - 1) / 2) * 0.08
    cell = grid.cell(schedule, level)
    ax.plot(x, cell.p50, marker="o", markersize=20, markerfacecolor="none", markeredgecolor="black",
            markeredgewidth=2.2, zorder=5)  # fmt: skip
    return True


def _legend(ax: plt.Axes, schedules: list[str], text: ChartText, highlighted: bool) -> None:
    handles = [
        Line2D([], [], color=COLORS[i % len(COLORS)], marker="o", linewidth=2.2, label=text.schedules[s])
        for i, s in enumerate(schedules)
    ]
    handles.append(
        Line2D(
            [], [], color="grey", marker="o", markerfacecolor="white", linestyle="--",
            label=text.thin.format(n=THIN_SUPPORT),
        )
    )  # fmt: skip
    handles.append(Line2D([], [], color="grey", linewidth=6, alpha=0.35, label=text.band))
    if highlighted:
        handles.append(
            Line2D([], [], color="black", marker="o", markersize=12, markerfacecolor="none",
                   linestyle="none", label=text.yours)
        )  # fmt: skip
    # Below the axes: inside, it would cover the high-experience points students look for.
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=9, frameon=False
    )


def draw_salary_chart(
    grid: SalaryGrid, *, text: ChartText | None = None, highlight: tuple[str, str] | None = None
) -> Figure:
    """The figure: median per experience level with its p25–p75 bar, one series per shown schedule."""
    text = text or CHART_TEXT["ru"]
    schedules, rare = grid.schedules_shown()
    fig, ax = plt.subplots(figsize=(8, 5.8), dpi=120)
    for index, schedule in enumerate(schedules):
        _draw_schedule(ax, grid, schedule, index, len(schedules), text)
    highlighted = highlight is not None and _highlight(ax, grid, schedules, highlight)
    ax.set_xticks(range(len(EXPERIENCE_LEVELS)))
    ax.set_xticklabels([textwrap.fill(text.experience[level], 20) for level in EXPERIENCE_LEVELS])
    ax.yaxis.set_major_formatter(FuncFormatter(rub))
    ax.set_xlabel(text.x_label)
    ax.set_ylabel(text.y_label)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylim(bottom=0)
    ax.set_xlim(-0.6, len(EXPERIENCE_LEVELS) - 0.5)
    query = grid.query if len(grid.query) <= TITLE_CHARS else grid.query[: TITLE_CHARS - 1] + "…"
    place = text.place or grid.area
    where = f", {place}" if place else ""
    ax.set_title(text.title.format(query=query, where=where), fontsize=12, loc="left")
    _legend(ax, schedules, text, highlighted)
    notes = [period_line(grid, text)]
    if rare:
        notes.append(text.rare.format(names=", ".join(text.schedules[s] for s in rare)))
    note = "\n".join(textwrap.fill(n, 110) for n in notes if n)
    fig.text(0.01, 0.01, note, fontsize=8.5, color="#444")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def salary_chart(
    grid: SalaryGrid,
    path: str | Path | None = None,
    *,
    text: ChartText | None = None,
    highlight: tuple[str, str] | None = None,
) -> bytes:
    """Render the grid as PNG bytes; also write them to ``path`` when given.

    ``text`` sets the language and names (``chart_text(lang, schedules=...)``); ``highlight``
    is the user's own (schedule, experience) cell.
    """
    fig = draw_salary_chart(grid, text=text, highlight=highlight)
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)  # figures otherwise pile up in a long-running bot
    data = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
