"""Which salaries are trained on (report bounds vs the minimum-wage floor) and the wage index."""

from __future__ import annotations

from datetime import datetime

import pytest

from recommender.data.models import Salary, Vacancy
from recommender.salary import training_rows
from recommender.salary.config import PRODUCT, REPORT
from recommender.salary.outliers import MINIMUM_WAGE_RULE, REPORT_RULE, minimum_wage_net
from recommender.salary.wage_index import AVERAGE_NOMINAL_WAGE, convert, latest_year, wage_growth


@pytest.mark.parametrize(
    ("net", "year", "report", "product"),
    [
        (25_000, 2021, "out_of_bounds", None),  # a junior or regional salary: the product keeps it
        (39_999, 2021, "out_of_bounds", None),
        (40_000, 2021, None, None),
        (11_200, 2021, "out_of_bounds", None),  # just above 2021's net МРОТ (11 129)
        (11_000, 2021, "out_of_bounds", "below_minimum_wage"),
        (13_000, 2023, "out_of_bounds", "below_minimum_wage"),  # 2023's net МРОТ is 14 131
        (15_000, 2023, "out_of_bounds", None),
        (1_500, 2021, "out_of_bounds", "below_minimum_wage"),  # a shift rate typed as monthly pay
        (500_000, 2021, None, None),
        (600_000, 2021, "out_of_bounds", "above_ceiling"),
    ],
)
def test_outlier_rules(net: float, year: int, report: str | None, product: str | None) -> None:
    assert REPORT_RULE.reason(net, year) == report
    assert MINIMUM_WAGE_RULE.reason(net, year) == product


def test_minimum_wage_is_net_of_tax_and_clamped_to_the_table() -> None:
    assert minimum_wage_net(2021) == pytest.approx(12_792 * 0.87)
    assert minimum_wage_net(1990) == minimum_wage_net(2018) and minimum_wage_net(2100) == minimum_wage_net(
        2026
    )


def test_configs_choose_their_rule_and_rows_count_what_was_dropped() -> None:
    assert REPORT.outlier_rule == REPORT_RULE and PRODUCT.outlier_rule == MINIMUM_WAGE_RULE

    def vacancy(i: int, net: float) -> Vacancy:
        return Vacancy(
            id=str(i), title="t", experience="noExperience", schedule="fullDay",
            published_at=datetime(2021, 10, 1), salary=Salary(net, net, "RUR", False, net, False),
        )  # fmt: skip

    vacancies = [vacancy(1, 25_000), vacancy(2, 5_000), vacancy(3, 90_000), vacancy(4, 900_000)]
    product = training_rows(vacancies, rule=PRODUCT.outlier_rule)
    assert product.ids == ["1", "3"]
    assert product.skipped == {"below_minimum_wage": 1, "above_ceiling": 1}
    assert training_rows(vacancies, rule=REPORT.outlier_rule).skipped == {"out_of_bounds": 3}


def test_wage_index_converts_between_years() -> None:
    assert wage_growth(2021, 2021) == 1.0
    assert wage_growth(2021, 2024) == pytest.approx(87_952 / 57_244)
    assert convert(100_000, 2021, 2024) == pytest.approx(100_000 * 87_952 / 57_244)
    assert convert(convert(100_000, 2021, 2024), 2024, 2021) == pytest.approx(100_000)
    assert latest_year() == max(AVERAGE_NOMINAL_WAGE)
    assert wage_growth(2010, 2017) == 1.0  # outside the table: its first year


def test_grid_in_a_later_year_scales_every_quartile(product_model: object) -> None:
    grid = product_model.salary_grid("python")  # type: ignore[attr-defined]
    later = grid.in_year(2024)
    factor = wage_growth(grid.money_year, 2024)
    for before, after in zip(grid.cells, later.cells, strict=True):
        assert after.p50 == pytest.approx(before.p50 * factor, abs=100)
        assert after.p25 <= after.p50 <= after.p75
    assert later.estimate and not grid.estimate and grid.in_year(grid.money_year) is grid
