"""Roubles of the data's year → roubles of a later year, by the growth of the average wage.

The vacancies are from 2021 (some cards 2023); a student reads the grid today. Salaries on
offer move with wages, not with consumer prices, so the index is Rosstat's average monthly
nominal accrued wage for Russia ("Среднемесячная номинальная начисленная заработная плата
работников по полному кругу организаций"), annual figures.

Source and date: written down on 2026-12-01 from the published Rosstat series as the
developer remembers it; this machine has no internet access, so the figures were not
re-checked against rosstat.gov.ru. 2025 is an estimate (about +11% over 2024, in line with
the monthly figures published during 2025), not a published annual figure. A converted
salary is therefore always labelled an estimate. Update the table when Rosstat publishes.
The index only bridges years the data lacks: a year after the table counts as its last year (no
growth is assumed past the last figure), and money already of a later year than the target is
never deflated (``SalaryGrid.in_year``).
See docs/evaluation-salary.md ("Money of which year").
"""

from __future__ import annotations

# RUB per month, before tax; the ratio between two years is what matters.
AVERAGE_NOMINAL_WAGE: dict[int, float] = {
    2017: 39_167,
    2018: 43_724,
    2019: 47_867,
    2020: 51_344,
    2021: 57_244,
    2022: 65_338,
    2023: 74_854,
    2024: 87_952,
    2025: 97_600,  # estimate, see the module docstring
}
ESTIMATED_YEARS: frozenset[int] = frozenset({2025})
INDEX_SOURCE = "Rosstat, average monthly nominal accrued wage (annual); 2025 estimated; taken 2026-12-01"


def latest_year() -> int:
    """The latest year the index knows: what "today's roubles" means."""
    return max(AVERAGE_NOMINAL_WAGE)


def _clamped(year: int) -> int:
    known = sorted(AVERAGE_NOMINAL_WAGE)
    return min(max(year, known[0]), known[-1])


def wage_growth(from_year: int, to_year: int) -> float:
    """How many roubles of ``to_year`` one rouble of ``from_year``'s pay is worth."""
    return AVERAGE_NOMINAL_WAGE[_clamped(to_year)] / AVERAGE_NOMINAL_WAGE[_clamped(from_year)]


def convert(amount: float, from_year: int, to_year: int) -> float:
    return amount * wage_growth(from_year, to_year)
