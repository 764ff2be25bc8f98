"""``fit_salary_model``: vacancies in, a fitted ``SalaryModel`` with held-out metrics out."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from recommender.data.models import Vacancy
from recommender.data.split import is_test
from recommender.salary.config import SalaryConfig, get_config
from recommender.salary.features import SkillSource, TrainingRows, training_rows
from recommender.salary.metrics import interval_coverage, regression_metrics
from recommender.salary.model import SalaryModel

logger = logging.getLogger(__name__)


def split_rows(rows: TrainingRows) -> tuple[TrainingRows, TrainingRows]:
    """(train, test) by the shared id-hash split."""
    test_mask = np.array([is_test(vacancy_id) for vacancy_id in rows.ids], dtype=bool)

    def pick(mask: np.ndarray) -> TrainingRows:
        index = np.flatnonzero(mask)
        return TrainingRows(
            [rows.inputs[i] for i in index], rows.targets[index], [rows.ids[i] for i in index]
        )

    return pick(~test_mask), pick(test_mask)


def holdout_metrics(model: SalaryModel, test: TrainingRows) -> dict[str, float]:
    """Median-error metrics in RUB and the p25–p75 coverage on held-out rows."""
    if len(test) == 0:
        return {}
    quantiles = model.predict_quantiles(test.inputs)
    metrics = {f"test_{k}": v for k, v in regression_metrics(test.targets, quantiles[:, 1]).items()}
    if model.config_.quantile:
        metrics["test_coverage_p25_p75"] = interval_coverage(test.targets, quantiles[:, 0], quantiles[:, 2])
    return metrics


def fit_salary_model(
    vacancies: Sequence[Vacancy],
    vocabulary: SkillSource | None,
    *,
    config: str | SalaryConfig = "product",
    topics: Sequence[object] | None = None,
    thread_count: int | None = None,
    random_state: int = 0,
    salary_bounds: tuple[float, float] | None = None,
    iterations: int | None = None,
    holdout: bool = True,
) -> SalaryModel:
    """Train a salary model on every vacancy whose salary the config's outlier rule keeps.

    ``salary_bounds`` replaces the rule by fixed bounds (net RUB/month).

    With ``holdout`` (the default) the model is trained on the shared train split and
    ``model.metrics_`` carries its held-out MAE/RMSE/MAPE/R²/NRMSE (and p25–p75 coverage),
    so a bundle's manifest records honest figures; without it, it trains on all rows.
    ``topics`` is one topic id per vacancy (same order) when a topic model is available.
    """
    rule = get_config(config).outlier_rule
    rows = training_rows(vacancies, vocabulary, topics=topics, salary_bounds=salary_bounds, rule=rule)
    train, test = split_rows(rows) if holdout else (rows, TrainingRows([], np.zeros(0), []))
    model = SalaryModel(
        config,
        thread_count=thread_count,
        random_state=random_state,
        iterations=iterations,
        vocabulary=vocabulary,
    )
    model.fit(train.inputs, train.targets)
    model.metrics_.update(
        {
            "outlier_rule": rule.describe() if salary_bounds is None else list(salary_bounds),
            "skipped": rows.skipped,
            "n_test": len(test),
            "uses_topics": topics is not None,
            **holdout_metrics(model, test),
        }
    )
    logger.info("salary model metrics: %s", model.metrics_)
    return model
