"""The salary model on a synthetic market with known structure."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from recommender.data.models import EXPERIENCE_NAMES, SCHEDULE_NAMES, Vacancy
from recommender.salary import THIN_SUPPORT, SalaryModel, fit_salary_model, monotone_violations, training_rows
from recommender.salary.config import PRODUCT
from recommender.salary.grid import enforce_monotone
from tests.salary.conftest import make_salary

LEVELS = list(EXPERIENCE_NAMES)


def test_product_model_recovers_experience_schedule_and_skill_effects(product_model: SalaryModel) -> None:
    python = product_model.salary_grid("python django sql")
    office = product_model.salary_grid("excel 1c отчеты")
    for level in LEVELS[:3]:  # the well-supported levels
        assert python.cell("remote", level).p50 > python.cell("fullDay", level).p50
        assert python.cell("fullDay", level).p50 > office.cell("fullDay", level).p50
    medians = [python.cell("fullDay", level).p50 for level in LEVELS]
    assert medians == sorted(medians) and medians[-1] > 1.8 * medians[0]


def test_product_median_is_close_to_the_true_market(product_model: SalaryModel) -> None:
    # True median for python, fullDay, between1And3: 80k × 1.4 = 112k (lognormal noise keeps the median).
    cell = product_model.salary_grid("python django sql").cell("fullDay", "between1And3")
    assert cell.p50 == pytest.approx(112_000, rel=0.12)
    assert cell.p25 < cell.p50 < cell.p75


def test_report_model_also_learns_the_ordering(report_model: SalaryModel) -> None:
    grid = report_model.salary_grid("python django sql")
    assert grid.cell("fullDay", "between3And6").p50 > grid.cell("fullDay", "noExperience").p50
    cell = grid.cell("remote", "between1And3")
    assert cell.p25 == cell.p50 == cell.p75  # a point model has no range


def test_grid_has_all_twenty_cells_with_hh_ids_and_names(product_model: SalaryModel) -> None:
    grid = product_model.salary_grid("python")
    assert len(grid.cells) == 20
    assert {(c.schedule, c.experience) for c in grid.cells} == {
        (s, e) for s in SCHEDULE_NAMES for e in LEVELS
    }
    for cell in grid.cells:
        assert cell.schedule_name == SCHEDULE_NAMES[cell.schedule]
        assert cell.experience_name == EXPERIENCE_NAMES[cell.experience]
        assert 0 < cell.p25 <= cell.p50 <= cell.p75


def test_support_counts_training_rows_and_thin_cells_are_marked(
    product_model: SalaryModel, market: list[Vacancy]
) -> None:
    counts = Counter(
        (row.schedule, row.experience) for row in training_rows(market, rule=PRODUCT.outlier_rule).inputs
    )
    grid = product_model.salary_grid("python")
    for cell in grid.cells:
        assert cell.support == counts.get((cell.schedule, cell.experience), 0)
        assert cell.extrapolated == (cell.support < THIN_SUPPORT)
    assert any(c.extrapolated for c in grid.cells) and not all(c.extrapolated for c in grid.cells)
    assert grid.cell("fullDay", "between1And3").support > 100


def test_product_grid_never_pays_less_for_more_experience(product_model: SalaryModel) -> None:
    for query in ("python", "excel", "", "дизайн figma", "водитель"):
        assert monotone_violations(product_model.salary_grid(query)) == 0


def test_running_maximum_fixes_violations() -> None:
    quantiles = np.tile(
        [[90.0, 100.0, 110.0], [80.0, 90.0, 100.0], [120.0, 130.0, 140.0], [100.0, 110.0, 120.0]], (5, 1)
    )
    fixed = enforce_monotone(quantiles)
    assert np.all(np.diff(fixed.reshape(5, 4, 3)[:, :, 1], axis=1) >= 0)
    assert fixed[0, 1] == 100.0 and fixed[2, 1] == 130.0  # untouched where already ordered


def test_save_load_round_trip_gives_identical_predictions(
    product_model: SalaryModel, saved_product_dir: Path
) -> None:
    loaded = SalaryModel.load(saved_product_dir)
    for query in ("python django", "excel"):
        assert (
            loaded.salary_grid(query, area="Москва").to_dict()
            == product_model.salary_grid(query, area="Москва").to_dict()
        )
    assert loaded.metrics_ == product_model.metrics_
    assert loaded.year_offsets_ == product_model.year_offsets_ != {}


def test_unusual_queries_and_areas_do_not_crash(product_model: SalaryModel) -> None:
    for query, area in (("", None), ("!!!", "Нигде"), ("x" * 5000, "москва"), ("питон\n\t", "")):
        grid = product_model.salary_grid(query, area=area)
        assert len(grid.cells) == 20 and all(np.isfinite(c.p50) for c in grid.cells)
    assert product_model.resolve_city("москва") == "Москва"


def test_holdout_metrics_and_topics(market: list[Vacancy]) -> None:
    topics = [0 if "python" in v.text else 1 for v in market]
    model = fit_salary_model(market, None, config="product", topics=topics, iterations=40, thread_count=1)
    rows = training_rows(market, rule=PRODUCT.outlier_rule)
    assert model.metrics_["n_train"] + model.metrics_["n_test"] == len(rows)
    assert model.metrics_["test_r2"] > 0.5  # the structure explains most of the variance
    assert 0.3 < model.metrics_["test_coverage_p25_p75"] < 0.7
    python_topic = model.salary_grid("python", topic=0)
    python_vacancies = Counter(
        (v.schedule, v.experience) for v, t in zip(market, topics, strict=True) if t == 0
    )
    cell = python_topic.cell("fullDay", "between1And3")
    assert 0 < cell.support <= python_vacancies[("fullDay", "between1And3")]


def test_thread_count_and_config_validation(market: list[Vacancy]) -> None:
    with pytest.raises(ValueError):
        SalaryModel("nonsense").fit(training_rows(market).inputs[:10], np.full(10, 50_000.0))
    with pytest.raises(ValueError):
        SalaryModel("product").fit([], np.zeros(0))


def test_every_vacancy_gets_a_query_copy_tied_to_it_an_empty_one_without_skills(
    market: list[Vacancy],
) -> None:
    from recommender.salary.model import _with_query_copies

    rows = training_rows(market[:50]).inputs
    rows = [*rows[:40], *(replace(row, skills=()) for row in rows[40:])]
    targets = np.arange(len(rows), dtype=float) + 50_000
    fit_rows, fit_targets, groups = _with_query_copies(rows, targets, 1.0, 0)
    assert len(fit_rows) == 2 * len(rows)
    copies = fit_rows[len(rows) :]
    assert all(copy.city == "unknown" and copy.text == ", ".join(copy.skills) for copy in copies)
    assert [copy.text for copy in copies[40:]] == [""] * 10  # what a query that says nothing is worth
    assert list(groups[len(rows) :]) == list(range(len(rows)))
    assert np.array_equal(fit_targets[len(rows) :], targets)
    half = _with_query_copies(rows, targets, 0.5, 0)[0]
    assert len(rows) + 15 < len(half) < len(rows) + 35


@pytest.mark.parametrize(
    ("query", "reads_text"),
    [
        ("python, django", True),
        ("бухгалтер excel", True),
        ("", False),  # nothing typed
        ("zzqx, qqwv", False),  # no word the scorer knows
    ],
)
def test_text_score_is_missing_rather_than_the_intercept_for_a_text_without_known_words(
    product_model: SalaryModel, query: str, reads_text: bool
) -> None:
    assert product_model.text_scorer_ is not None
    row = product_model.query_rows(query)[0]
    score = product_model.text_scorer_.transform([row])[0]
    assert np.isfinite(score) == reads_text
    # CatBoost takes the missing score as its own branch: a finite estimate either way
    assert np.all(np.isfinite(product_model.predict_quantiles(product_model.query_rows(query))))


def test_a_query_without_known_words_is_estimated_near_the_market_not_above_it(
    market: list[Vacancy], product_model: SalaryModel
) -> None:
    rows = training_rows(market)
    level = np.array([row.experience for row in rows.inputs])
    estimate = product_model.salary_grid("zzqx")
    for experience in ("noExperience", "between1And3"):
        median = float(np.median(rows.targets[level == experience]))
        assert 0.7 * median < estimate.cell("fullDay", experience).p50 < 1.3 * median


def test_a_skills_query_with_a_city_gets_that_city_pay(market: list[Vacancy]) -> None:
    # Moscow pays 1.6× what Tomsk pays for the same skills and level
    factor = {"Москва": 1.6, "Казань": 1.2, "Томск": 1.0}
    priced = [
        replace(v, salary=make_salary(round(v.salary.monthly_net_rub * factor[v.area], -2)))
        if v.salary
        else v
        for v in market
    ]
    model = fit_salary_model(priced, None, config="product", iterations=60, thread_count=1, holdout=False)

    def p50(area: str | None) -> float:
        return model.salary_grid("python, sql", area=area).cell("fullDay", "between1And3").p50

    assert p50("Москва") > 1.3 * p50("Томск")
    assert p50("Томск") < p50(None) < p50("Москва")  # Russia-wide lies between
