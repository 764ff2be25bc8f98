from __future__ import annotations

import pytest

from recommender.data import RUB_PER_UNIT, parse_salary


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        ({"from": 100_000, "to": 140_000, "currency": "RUR", "gross": False}, 120_000),
        ({"from": 100_000, "to": None, "currency": "RUR", "gross": False}, 100_000),
        ({"from": None, "to": 90_000, "currency": "RUR", "gross": None}, 90_000),
        ({"from": 100_000, "to": None, "currency": "RUR", "gross": True}, 87_000),
        ({"from": 1_000, "to": 2_000, "currency": "USD", "gross": False}, 1_500 * RUB_PER_UNIT["USD"]),
        ({"from": 2_000, "to": None, "currency": "EUR", "gross": True}, 2_000 * RUB_PER_UNIT["EUR"] * 0.87),
        ({"from": 1_500, "to": None, "currency": "BYR", "gross": False}, 1_500 * RUB_PER_UNIT["BYR"]),
        ({"from": 300_000, "to": None, "currency": "KZT", "gross": False}, 300_000 * RUB_PER_UNIT["KZT"]),
        ({"from": 20_000, "to": None, "currency": "UAH", "gross": False}, 20_000 * RUB_PER_UNIT["UAH"]),
    ],
)
def test_monthly_net_rub(salary, expected):
    assert parse_salary(salary).monthly_net_rub == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("code", ["RUR", "USD", "EUR", "UAH", "BYR"])
def test_every_currency_in_the_shared_data_is_known(code):
    assert code in RUB_PER_UNIT


def test_no_amount_means_no_salary():
    assert parse_salary(None) is None
    assert parse_salary({"from": None, "to": None, "currency": "RUR"}) is None


@pytest.mark.parametrize(
    ("amount", "outlier"),
    [(39_999, True), (40_000, False), (250_000, False), (500_000, False), (500_001, True)],
)
def test_outlier_bounds_default_to_the_reports(amount, outlier):
    assert parse_salary({"from": amount, "currency": "RUR", "gross": False}).is_outlier is outlier


def test_outlier_bounds_are_configurable():
    salary = {"from": 30_000, "currency": "RUR", "gross": False}
    assert parse_salary(salary, bounds=(20_000, 60_000)).is_outlier is False
