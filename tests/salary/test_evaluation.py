"""Salary evaluation on the synthetic market and, bounded, on the real shared data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recommender.data.models import Vacancy
from recommender.data.split import train_test_split
from recommender.salary.evaluation import card_sector, evaluate_salary, main
from recommender.salary.features import SalaryInput
from recommender.salary.metrics import breakdown, interval_coverage, regression_metrics


def test_metrics_on_hand_computed_values() -> None:
    metrics = regression_metrics([100.0, 200.0, 300.0], [100.0, 200.0, 400.0])
    assert metrics["mae"] == pytest.approx(100 / 3)
    assert metrics["rmse"] == pytest.approx((10_000 / 3) ** 0.5)
    assert metrics["nrmse"] == pytest.approx((10_000 / 3) ** 0.5 / 200)
    assert metrics["r2"] == pytest.approx(1 - 10_000 / 20_000)
    assert metrics["mape"] == pytest.approx(100 / 300 / 3 * 100)
    assert interval_coverage([1.0, 5.0, 9.0, 3.0], [0, 0, 0, 4], [2, 6, 8, 6]) == 0.5


@pytest.mark.parametrize(
    ("ratios", "bias", "wide"),
    [
        ([1.1] * 40, 0.1, False),  # every row 10% over: no doubt at all
        ([0.9, 1.0, 1.1] * 300, 0.0, False),  # many rows: a narrow interval around 0
        ([0.8, 1.0, 1.5, 0.9, 1.2, 1.3, 0.95] * 4, 0.0, True),  # 28 scattered rows: wide
    ],
)
def test_bias_comes_with_a_bootstrap_interval_as_wide_as_the_rows_are_few(
    ratios: list[float], bias: float, wide: bool
) -> None:
    truth = [50_000.0] * len(ratios)
    cell = breakdown(truth, [t * r for t, r in zip(truth, ratios, strict=True)], ["x"] * len(ratios))["x"]
    assert cell["n"] == len(ratios) and cell["bias"] == pytest.approx(bias)
    assert cell["bias_low"] <= cell["bias"] <= cell["bias_high"]
    assert (cell["bias_high"] - cell["bias_low"] > 0.15) == wide
    again = breakdown(truth, [t * r for t, r in zip(truth, ratios, strict=True)], ["x"] * len(ratios))["x"]
    assert again == cell  # seeded: the document's interval is reproducible


@pytest.mark.parametrize(
    ("source", "fields", "experience", "group"),
    [
        ("list", ("1.221",), "between1And3", "list"),
        ("card", ("96",), "moreThan6", "it/moreThan6"),  # a 2023 IT professional role
        ("card", ("27.498", "1.221"), "between3And6", "it/between3And6"),  # any IT label makes it IT
        ("card", ("27.498",), "noExperience", "other/noExperience"),
        ("card", (), "moreThan6", "none/moreThan6"),
    ],
)
def test_cards_are_grouped_by_sector_and_level(
    source: str, fields: tuple[str, ...], experience: str, group: str
) -> None:
    row = SalaryInput(text="", experience=experience, schedule="fullDay", fields=fields, detail=source)
    assert card_sector(row) == group


def test_evaluation_compares_all_models_and_product_beats_the_baseline(market: list[Vacancy]) -> None:
    train, test = train_test_split(market)
    evaluation = evaluate_salary(train, test, None, iterations=40, thread_count=1)
    names = [score.name for score in evaluation.scores]
    assert names == ["median-by-experience", "tfidf-ridge", "report", "product", "product-running-max"]
    baseline, product = evaluation.score("median-by-experience"), evaluation.score("product")
    assert product.metrics["mae"] < 0.75 * baseline.metrics["mae"]
    assert product.coverage_p25_p75 is not None and 0.3 < product.coverage_p25_p75 < 0.7
    assert evaluation.monotonicity["product"]["violations_after_fix"] == 0
    assert evaluation.monotonicity["report"]["violations_after_fix"] == 0
    assert evaluation.n_test == product.metrics["n"]
    markdown = evaluation.to_markdown()
    assert "## Salary estimate" in markdown and "| product |" in markdown and "NRMSE" in markdown
    json.dumps(evaluation.to_dict())  # JSON-able for docs/evaluation.json
    assert product.skills_only_with_skills is not None and "with at least one skill" in markdown
    assert product.skills_city_with_skills is not None and "their skills and their city" in markdown
    assert product.skills_city_with_skills["n"] == product.skills_only_with_skills["n"]
    level = product.by_group["experience"]["noExperience"]
    assert level["bias_low"] <= level["bias"] <= level["bias_high"] and "[" in markdown
    assert "| card sector |" in markdown  # the synthetic cards have no hh labels: no-field rows


@pytest.mark.shared_data
@pytest.mark.slow
def test_module_entry_point_on_a_sample_of_the_real_cards(shared_data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "evaluation-salary.md"
    code = main(
        [
            "--data",
            str(shared_data_dir / "hh_cards_2021_2023.jsonl.gz"),
            "--out",
            str(out),
            "--vocabulary",
            "none",
            "--iterations",
            "30",
            "--no-ablation",
            "--thread-count",
            "1",
        ]
    )
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "| report |" in text and "Targets:" in text
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert data["n_test"] > 100 and "minimum wage" in data["salary_bounds"]
    assert "### By experience level and data source" in text and "Money of which year" in text


def test_evaluation_with_topics_measures_the_no_topic_ablation(market: list[Vacancy]) -> None:
    train, test = train_test_split(market)

    def topic_of(vacancies: list[Vacancy]) -> list[object]:
        return ["python" if "python" in v.text else "office" for v in vacancies]

    asked: list[str] = []

    def query_topic(query: str) -> str:
        asked.append(query)
        return "python" if "python" in query else "office"

    evaluation = evaluate_salary(
        train,
        test,
        None,
        train_topics=topic_of(train),
        test_topics=topic_of(test),
        query_topic=query_topic,
        iterations=40,
        thread_count=1,
        queries=("python, sql", "excel, 1c"),
    )
    names = [score.name for score in evaluation.scores]
    assert names[-1] == "product-no-topic" and "product" in names
    assert set(asked) == {"python, sql", "excel, 1c"}  # grids are asked within the query's topic
    with_topic, without = evaluation.score("product"), evaluation.score("product-no-topic")
    assert with_topic.metrics["n"] == without.metrics["n"] == evaluation.n_test
    markdown = evaluation.to_markdown()
    assert "Topic feature:" in markdown and "| product-no-topic |" in markdown
