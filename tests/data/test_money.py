"""Dated exchange rates and pay written in its own currency."""

from __future__ import annotations

import pytest

from recommender.data import format_pay, parse_salary, rub_per_unit
from recommender.data.money import LATEST_RATE_YEAR, RUB_PER_UNIT_BY_YEAR


def test_every_year_has_every_currency():
    currencies = set(RUB_PER_UNIT_BY_YEAR[2021])
    for year, rates in RUB_PER_UNIT_BY_YEAR.items():
        assert set(rates) == currencies, year
        assert all(rate > 0 for rate in rates.values())
    assert {"USD", "EUR", "BYR", "BYN", "KZT", "UAH", "UZS", "KGS", "AZN", "GEL", "AMD", "RSD"} <= currencies


def test_the_rate_follows_the_salarys_year():
    usd = {"from": 1000, "currency": "USD", "gross": False}
    for year in (2021, 2024):
        expected = 1000 * RUB_PER_UNIT_BY_YEAR[year]["USD"]
        assert parse_salary(usd, year=year).monthly_net_rub == pytest.approx(expected)


def test_years_outside_the_table_use_the_nearest():
    assert rub_per_unit("EUR", 2015) == RUB_PER_UNIT_BY_YEAR[2021]["EUR"]
    assert rub_per_unit("EUR", 2030) == RUB_PER_UNIT_BY_YEAR[LATEST_RATE_YEAR]["EUR"]
    assert rub_per_unit("eur") == RUB_PER_UNIT_BY_YEAR[LATEST_RATE_YEAR]["EUR"]
    assert rub_per_unit("XYZ", 2023) is None


def test_amd_and_rsd_have_rates():
    assert parse_salary({"from": 500_000, "currency": "AMD"}, year=2024) is not None
    assert parse_salary({"from": 200_000, "currency": "RSD"}, year=2025) is not None


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((4000, None, "USD"), "от 4 000 $"),
        ((1700, 2300, "BYR"), "1 700–2 300 Br"),
        ((None, 80_000, "RUR", True), "до 80 000 ₽ (до вычета налогов)"),
        ((1000, None, "RUR", False, "HOUR"), "от 1 000 ₽ в час"),
        ((None, 100_000, "EUR", True, "SERVICE"), "до 100 000 € за услугу (до вычета налогов)"),
        ((5000, 5000, "ABC"), "5 000 ABC"),
        ((None, None, "RUR"), ""),
    ],
)
def test_pay_is_written_in_its_own_currency_and_period(args, text):
    assert format_pay(*args) == text
