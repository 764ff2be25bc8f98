"""One comparable salary figure: monthly net pay in roubles.

hh.ru publishes from/to bounds in many currencies, before or after income tax.
To compare vacancies we take the midpoint (or the one bound given), convert the
currency with a fixed table, and turn gross pay into net pay.
"""

from __future__ import annotations

from typing import Any

from recommender.data.models import Salary

# Approximate Bank of Russia rates, roubles per unit, on 2021-11-01 (the month of
# the main corpus). A fixed table keeps training reproducible; the error it adds
# for 2023 cards (BYR mostly) is a few percent, small against salary spread.
RUB_PER_UNIT: dict[str, float] = {
    "RUR": 1.0,
    "RUB": 1.0,
    "USD": 71.0,
    "EUR": 82.4,
    "BYR": 29.2,  # hh's code for the Belarusian rouble (BYN)
    "BYN": 29.2,
    "KZT": 0.167,
    "UAH": 2.71,
    "UZS": 0.0066,
    "KGS": 0.84,
    "AZN": 41.8,
    "GEL": 22.6,
}
RATES_DATE = "2021-11-01"

# Russian personal income tax (НДФЛ); hh marks gross salaries with gross=true.
INCOME_TAX = 0.13
DEFAULT_BOUNDS: tuple[float, float] = (40_000.0, 500_000.0)
# Beyond these no monthly pay is real (a typo, a yearly figure, 10^30): such a salary is
# a bad value, dropped and counted, never an outlier to keep in quantiles.
PLAUSIBLE_MONTHLY_RUB: tuple[float, float] = (1_000.0, 10_000_000.0)


class SalaryError(ValueError):
    """The salary object cannot be read; ``reason`` is a short counter key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _bound(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SalaryError("wrong_type")
    return float(value) if value > 0 else None


def parse_salary(obj: Any, bounds: tuple[float, float] = DEFAULT_BOUNDS) -> Salary | None:
    """hh's ``salary`` object → ``Salary``; None when no amount is given."""
    if obj is None:
        return None
    if not isinstance(obj, dict):
        raise SalaryError("wrong_type")
    low, high = _bound(obj.get("from")), _bound(obj.get("to"))
    if low is None and high is None:
        return None
    currency = obj.get("currency") or "RUR"
    if not isinstance(currency, str):
        raise SalaryError("wrong_type")
    rate = RUB_PER_UNIT.get(currency.upper())
    if rate is None:
        raise SalaryError("unknown_currency")
    gross = obj.get("gross")
    amount = (low + high) / 2 if low is not None and high is not None else (low or high or 0.0)
    net = amount * rate * ((1 - INCOME_TAX) if gross is True else 1.0)
    if not PLAUSIBLE_MONTHLY_RUB[0] <= net <= PLAUSIBLE_MONTHLY_RUB[1]:
        raise SalaryError("implausible_salary")
    return Salary(
        salary_from=low,
        salary_to=high,
        currency=currency.upper(),
        gross=gross if isinstance(gross, bool) else None,
        monthly_net_rub=round(net, 2),
        is_outlier=not bounds[0] <= net <= bounds[1],
    )
