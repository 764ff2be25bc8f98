"""Currencies: roubles per unit by year, and pay written honestly in its own currency.

The rate table holds yearly averages of the Bank of Russia's official rates (roubles per one
unit; the bank quotes some currencies per 10 or 100 units, divided out here), rounded to three
significant figures. Where the bank's own yearly average was not at hand the figure is the
cross rate through the US dollar, marked "cross". Compiled on 2026-12-07 from the published
figures without network access, so treat them as approximate (a few percent): small against
the spread of salaries, and far better than one 2021 rate for pay of 2023–2026.
2026 has no completed year: its row repeats 2025 until the table is refreshed.

A salary is converted with the rate of its own year (the vacancy's publication year); a year
outside the table uses the nearest year in it. A currency not in the table has no rate: the
salary is dropped (counted as ``unknown_currency``), never the vacancy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

RATES_SOURCE = "Bank of Russia official rates, yearly averages (approximate, compiled 2026-12-07)"
RATES_DATE = "2026-12-07"

_RUB = {"RUR": 1.0, "RUB": 1.0}
# roubles per unit, by year
RUB_PER_UNIT_BY_YEAR: dict[int, dict[str, float]] = {
    2021: _RUB | {
        "USD": 73.7, "EUR": 87.2, "BYN": 28.9, "KZT": 0.173, "UAH": 2.70, "UZS": 0.00693,
        "KGS": 0.870, "AZN": 43.4, "GEL": 23.0, "AMD": 0.146, "RSD": 0.742,  # RSD: cross
    },
    2022: _RUB | {
        "USD": 68.5, "EUR": 72.5, "BYN": 26.5, "KZT": 0.149, "UAH": 2.05, "UZS": 0.00620,
        "KGS": 0.820, "AZN": 40.3, "GEL": 23.4, "AMD": 0.157, "RSD": 0.618,
    },
    2023: _RUB | {
        "USD": 85.2, "EUR": 92.2, "BYN": 29.5, "KZT": 0.187, "UAH": 2.31, "UZS": 0.00728,
        "KGS": 0.963, "AZN": 50.1, "GEL": 32.5, "AMD": 0.219, "RSD": 0.786,
    },
    2024: _RUB | {
        "USD": 92.6, "EUR": 100.3, "BYN": 28.5, "KZT": 0.196, "UAH": 2.29, "UZS": 0.00732,
        "KGS": 1.05, "AZN": 54.5, "GEL": 34.3, "AMD": 0.235, "RSD": 0.855,
    },
    2025: _RUB | {
        "USD": 83.5, "EUR": 94.0, "BYN": 27.4, "KZT": 0.162, "UAH": 2.02, "UZS": 0.00652,
        "KGS": 0.956, "AZN": 49.1, "GEL": 30.5, "AMD": 0.215, "RSD": 0.802,  # KZT…RSD: cross
    },
}
RUB_PER_UNIT_BY_YEAR[2026] = dict(RUB_PER_UNIT_BY_YEAR[2025])  # no completed year yet
for _rates in RUB_PER_UNIT_BY_YEAR.values():
    _rates["BYR"] = _rates["BYN"]  # hh's code for the Belarusian rouble
LATEST_RATE_YEAR = max(RUB_PER_UNIT_BY_YEAR)

# hh's currency codes → the sign a reader expects; an unlisted code is shown as it is.
CURRENCY_SYMBOLS = {
    "RUR": "₽", "RUB": "₽", "USD": "$", "EUR": "€", "KZT": "₸", "UAH": "₴", "BYR": "Br", "BYN": "Br",
    "UZS": "сум", "KGS": "сом", "AZN": "₼", "GEL": "₾", "AMD": "֏", "RSD": "дин.",
}
# Symbols that are Russian words: a reader of another language is shown the code instead
# ("сум" reads as nothing to an English reader; "UZS" does).
RUSSIAN_WORD_SYMBOLS = frozenset({"UZS", "KGS", "RSD"})


@dataclass(frozen=True, slots=True)
class PayWords:
    """The words pay is written with in one language (``format_pay``): Russian by default; the
    bot gives each of its languages one (``bot.texts.PAY_WORDS``)."""

    from_amount: str = "от {amount}"
    up_to_amount: str = "до {amount}"
    gross: str = "(до вычета налогов)"
    # hh's salary_range.mode → what follows the amount (none for a month: the default reading)
    periods: Mapping[str, str] = field(
        default_factory=lambda: {
            "HOUR": "в час", "SHIFT": "за смену", "SERVICE": "за услугу", "FLY_IN_FLY_OUT": "за вахту"
        }
    )  # fmt: skip
    thousands: str = " "
    russian_symbols: bool = True


RUSSIAN_PAY = PayWords()


@dataclass(frozen=True, slots=True)
class PublishedPay:
    """Pay as the source published it, as values: the callers write it in their reader's language
    (``format_pay``, with the ``PayWords`` of the language)."""

    low: float | None  # "from"; None when only an upper bound is given
    high: float | None  # "up to"
    currency: str  # hh's code: RUR, USD, BYR, ...
    gross: bool | None = None  # True: before tax; None: not said
    period: str = "MONTH"  # hh's salary_range.mode (PayWords.periods' keys)


def rate_year(year: int | None) -> int:
    """The table's year for a salary of ``year`` (the nearest one; the latest when unknown)."""
    if year is None:
        return LATEST_RATE_YEAR
    return min(max(year, min(RUB_PER_UNIT_BY_YEAR)), LATEST_RATE_YEAR)


def rub_per_unit(currency: str, year: int | None = None) -> float | None:
    """Roubles per one unit of ``currency`` in ``year``; None for a currency not in the table."""
    return RUB_PER_UNIT_BY_YEAR[rate_year(year)].get(currency.upper())


def currency_symbol(code: str) -> str:
    return CURRENCY_SYMBOLS.get((code or "").upper(), code or "")


def group_digits(value: float, separator: str = " ") -> str:
    """120000.4 → "120 000": rounded to the unit, thousands grouped (the one way money is written)."""
    return f"{value:,.0f}".replace(",", separator)


def format_thousands(value: float | None) -> str:
    """120400 → "120k": a short figure for a phone-sized table; "—" for no figure."""
    return "—" if value is None else f"{round(float(value) / 1000)}k"


def format_rub(value: float | None, separator: str = " ") -> str:
    """120000 → "120 000 ₽"; "—" for no figure."""
    return "—" if value is None else f"{group_digits(value, separator)} ₽"


def format_pay(
    low: float | None,
    high: float | None,
    currency: str,
    gross: bool | None = None,
    period: str = "MONTH",
    *,
    words: PayWords = RUSSIAN_PAY,
) -> str:
    """Pay as published, in its own currency and period: "от 4 000 $", "80 000–120 000 ₽",
    "от 1 000 ₽ в час", "до 100 000 € за услугу (до вычета налогов)"; "" without an amount.
    Foreign pay is never labelled roubles: a conversion is the caller's separate, dated note.
    The one pay formatter: ``words`` for another language ("up to 80,000 ₽ (before tax)")."""

    def amount(value: float) -> str:
        return group_digits(int(value), words.thousands)  # the published figure, never rounded up

    if low is not None and high is not None:
        figure = amount(low) if low == high else f"{amount(low)}–{amount(high)}"
    elif low is not None:
        figure = words.from_amount.format(amount=amount(low))
    elif high is not None:
        figure = words.up_to_amount.format(amount=amount(high))
    else:
        return ""
    symbol = currency_symbol(currency)
    if not words.russian_symbols and currency in RUSSIAN_WORD_SYMBOLS:
        symbol = currency
    parts = (figure, symbol, words.periods.get(period, ""), words.gross if gross is True else "")
    return " ".join(part for part in parts if part)
