"""One comparable salary figure: monthly net pay in roubles.

hh.ru publishes from/to bounds in many currencies, before or after income tax, and since 2025
per period (``salary_range.mode``: MONTH, HOUR, SHIFT, SERVICE, FLY_IN_FLY_OUT). To compare
vacancies we take the midpoint (or the one bound given), convert the currency with the rate of
the salary's year (recommender.data.money), and turn gross pay into net pay.

Only a MONTH figure is a monthly salary. Hourly and per-shift pay is *not* converted to a month:
hh's ``working_hours`` gives hours per day as a list of choices ("4 or 6 or 8", "FLEXIBLE") and
``work_schedule_by_days`` is often "OTHER", so hours × days would be a guess presented as a
figure. Such pay is kept with its period (``Salary.period``) for the reader, never shown,
filtered or trained as monthly.
"""

from __future__ import annotations

from typing import Any

from recommender.data.models import Salary
from recommender.data.money import LATEST_RATE_YEAR, RATES_DATE, RUB_PER_UNIT_BY_YEAR, rub_per_unit

# The newest year's rates: what a salary of unknown date is converted with.
RUB_PER_UNIT: dict[str, float] = RUB_PER_UNIT_BY_YEAR[LATEST_RATE_YEAR]
__all__ = ["DEFAULT_BOUNDS", "RATES_DATE", "RUB_PER_UNIT", "SalaryError", "parse_salary"]

# Russian personal income tax (НДФЛ); hh marks gross salaries with gross=true.
INCOME_TAX = 0.13
DEFAULT_BOUNDS: tuple[float, float] = (40_000.0, 500_000.0)
# Beyond these no monthly pay is real (a typo, a yearly figure, 10^30): such a salary is
# a bad value, dropped and counted, never an outlier to keep in quantiles. Under 5,000 ₽ a month
# (a third of any year's minimum wage) it is an hourly or per-task rate whose period the source
# lost (the 2025 table rows: "1 000–2 800 ₽" for a Python developer), not a month's pay.
PLAUSIBLE_MONTHLY_RUB: tuple[float, float] = (5_000.0, 10_000_000.0)
PERIODS = ("MONTH", "HOUR", "SHIFT", "SERVICE", "FLY_IN_FLY_OUT")


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


def _period(obj: dict) -> str:
    """``salary_range.mode.id``; the old ``salary`` object has no mode and was always monthly."""
    mode = obj.get("mode")
    if mode is None:
        return "MONTH"
    mode_id = mode.get("id") if isinstance(mode, dict) else None
    if not isinstance(mode_id, str) or mode_id.upper() not in PERIODS:
        raise SalaryError("unknown_period")
    return mode_id.upper()


def parse_salary(
    obj: Any, bounds: tuple[float, float] = DEFAULT_BOUNDS, *, year: int | None = None
) -> Salary | None:
    """hh's ``salary`` or ``salary_range`` object → ``Salary``; None when no amount is given.

    ``year`` (the publication year) picks the exchange rate; None uses the newest. For a period
    other than MONTH ``monthly_net_rub`` is the net rouble amount per that period."""
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
    period = _period(obj)
    rate = rub_per_unit(currency, year)
    if rate is None:
        raise SalaryError("unknown_currency")
    gross = obj.get("gross")
    amount = (low + high) / 2 if low is not None and high is not None else (low or high or 0.0)
    net = amount * rate * ((1 - INCOME_TAX) if gross is True else 1.0)
    monthly = period == "MONTH"
    if monthly and not PLAUSIBLE_MONTHLY_RUB[0] <= net <= PLAUSIBLE_MONTHLY_RUB[1]:
        raise SalaryError("implausible_salary")
    return Salary(
        salary_from=low,
        salary_to=high,
        currency=currency.upper(),
        gross=gross if isinstance(gross, bool) else None,
        monthly_net_rub=round(net, 2),
        is_outlier=monthly and not bounds[0] <= net <= bounds[1],
        period=period,
    )
