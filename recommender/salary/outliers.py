"""Which salaries a model trains on: the report's fixed bounds, or the product's minimum-wage floor.

The report dropped everything outside 40 000–500 000 RUB net a month. On the shared data
that is 42% of the salaried rows, almost all of them below the floor: junior and
regional pay, what students earn first. The product rule keeps every salary a full-time
job may legally pay: nothing below the federal minimum wage (МРОТ) of the vacancy's year,
net of the 13% income tax. Below it sit hourly or per-shift rates typed as monthly pay
and typos ("15" for 15 000). The ceiling stays at 500 000: above it the shared data has
a few dozen rows, most of them yearly pay or test postings.
"""

from __future__ import annotations

from dataclasses import dataclass

from recommender.data.money import group_digits

INCOME_TAX = 0.13

# Federal minimum wage (МРОТ), RUB per month before tax, as set from 1 January of the year
# (Federal Law 82-FZ and its yearly amendments). 2018 and 2022 also had mid-year rises
# (11 163 from May 2018, 15 279 from June 2022); the January figure is the floor, so the
# rule never drops a lawful salary.
MINIMUM_WAGE_GROSS: dict[int, float] = {
    2018: 9_489,
    2019: 11_280,
    2020: 12_130,
    2021: 12_792,
    2022: 13_890,
    2023: 16_242,
    2024: 19_242,
    2025: 22_440,
    2026: 27_093,
}

REPORT_BOUNDS: tuple[float, float] = (40_000.0, 500_000.0)
PRODUCT_CEILING = 500_000.0


def minimum_wage_net(year: int) -> float:
    """The net monthly minimum wage of ``year`` (the nearest listed year outside the table)."""
    known = sorted(MINIMUM_WAGE_GROSS)
    nearest = min(max(year, known[0]), known[-1]) if year else known[0]
    return MINIMUM_WAGE_GROSS[nearest] * (1 - INCOME_TAX)


@dataclass(frozen=True, slots=True)
class OutlierRule:
    """Keep a salary when it is inside the rule's bounds.

    ``fixed`` bounds (low, high) apply to every year; with ``minimum_wage`` the floor is the
    vacancy year's net minimum wage and ``fixed[1]`` stays the ceiling.
    """

    fixed: tuple[float, float] = REPORT_BOUNDS
    minimum_wage: bool = False

    def bounds(self, year: int) -> tuple[float, float]:
        if self.minimum_wage:
            return minimum_wage_net(year), self.fixed[1]
        return self.fixed

    def reason(self, net_rub: float, year: int) -> str | None:
        """Why a salary is dropped, or None when it is kept.

        Fixed bounds say ``out_of_bounds``; the minimum-wage rule ``below_minimum_wage`` or
        ``above_ceiling``.
        """
        low, high = self.bounds(year)
        if low <= net_rub <= high:
            return None
        if not self.minimum_wage:
            return "out_of_bounds"
        return "below_minimum_wage" if net_rub < low else "above_ceiling"

    def describe(self) -> str:
        if self.minimum_wage:
            return f"net minimum wage of the vacancy's year – {group_digits(self.fixed[1])} RUB"
        low, high = self.fixed
        return f"{group_digits(low)}–{group_digits(high)} RUB"


REPORT_RULE = OutlierRule(REPORT_BOUNDS)
MINIMUM_WAGE_RULE = OutlierRule((0.0, PRODUCT_CEILING), minimum_wage=True)
