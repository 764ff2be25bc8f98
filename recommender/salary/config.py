"""The two salary model configurations: the report's reference and the product's."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from recommender.salary.outliers import MINIMUM_WAGE_RULE, REPORT_RULE, OutlierRule

QUANTILES: tuple[float, float, float] = (0.25, 0.5, 0.75)


@dataclass(frozen=True)
class SalaryConfig:
    """Which features a salary model uses and how CatBoost is trained."""

    name: str
    text_features: tuple[str, ...]
    cat_features: tuple[str, ...]
    numeric_features: tuple[str, ...]
    quantile: bool  # predict p25/p50/p75 (MultiQuantile) rather than a point (RMSE)
    log_target: bool
    monotone_experience: bool  # CatBoost monotone constraint on the ordinal experience
    enforce_monotone_grid: bool  # running-maximum post-processing of the grid
    text_score: bool  # stack a TF-IDF ridge's out-of-fold log-salary score (text_score.py)
    learning_rate: float
    iterations: int
    depth: int
    text_processing: dict[str, Any] | None = field(default=None, compare=False)
    text_score_folds: int = 5
    # Also train on a query-like copy (skills typed as text, no city) of every vacancy that
    # has skills: the grid is asked with a few skills, not with a vacancy's description.
    query_copies: float = 0.0  # share of vacancies that get a copy
    max_ctr_complexity: int | None = None  # 1: no combinations of categorical features (faster)
    outlier_rule: OutlierRule = REPORT_RULE  # which salaries are trained on (outliers.py)
    # Experience enters as a per-field pooled curve (experience.py) added to CatBoost's log
    # estimate, instead of as a CatBoost feature: monotone by construction.
    experience_effect: bool = False

    @property
    def feature_names(self) -> tuple[str, ...]:
        return self.text_features + self.cat_features + self.numeric_features

    def catboost_params(self) -> dict[str, Any]:
        loss = "MultiQuantile:alpha=" + ",".join(str(q) for q in QUANTILES) if self.quantile else "RMSE"
        params: dict[str, Any] = {
            "loss_function": loss,
            "learning_rate": self.learning_rate,
            "iterations": self.iterations,
            "depth": self.depth,
        }
        if self.monotone_experience:
            params["monotone_constraints"] = {"experience_level": 1}
        if self.max_ctr_complexity is not None:
            params["max_ctr_complexity"] = self.max_ctr_complexity
        if self.text_processing is not None:
            params["text_processing"] = self.text_processing
        return params


# Exactly the report's model: description as text, experience and schedule as categories,
# RMSE, learning rate 0.25, 200 iterations, depth 7, seed 0 (set by the caller).
REPORT = SalaryConfig(
    name="report",
    text_features=("text",),
    cat_features=("experience", "schedule"),
    numeric_features=(),
    quantile=False,
    log_target=False,
    monotone_experience=False,
    enforce_monotone_grid=False,
    text_score=False,
    learning_rate=0.25,
    iterations=200,
    depth=7,
)

# The product: more signal (title and text through a stacked TF-IDF score, skills, city,
# topic, year), quartiles on a log scale (quantiles commute with log, and errors on
# salaries are multiplicative), realistic low pay kept (the minimum-wage floor), and
# experience as a per-field curve learned from the cards that carry all four levels.
PRODUCT = SalaryConfig(
    name="product",
    text_features=(),  # CatBoost's own BoW on skills added 1% MAE for twice the training time
    # field: the nearest hh field read from title and skills (experience.py), which a query has too
    cat_features=("schedule", "city", "topic", "field"),
    numeric_features=("text_score", "year"),
    quantile=True,
    log_target=True,
    monotone_experience=False,
    enforce_monotone_grid=False,  # the experience curve is non-decreasing by construction
    text_score=True,
    query_copies=1.0,
    max_ctr_complexity=1,  # combinations of city × schedule × topic cost 2× time and gained nothing
    learning_rate=0.15,
    iterations=300,
    depth=6,
    outlier_rule=MINIMUM_WAGE_RULE,
    experience_effect=True,
)

# Round one's product, kept to measure the experience curve against: ordinal experience as a
# CatBoost feature, a running maximum along experience on the grid.
PRODUCT_RUNNING_MAX = replace(
    PRODUCT,
    name="product-running-max",
    cat_features=("schedule", "city", "topic"),
    numeric_features=("text_score", "experience_level", "year"),
    enforce_monotone_grid=True,
    experience_effect=False,
)

# CatBoost's monotone constraint on experience instead (measured worse in round one: with
# MultiQuantile it still left grid steps paying less for more experience, and cost R²).
PRODUCT_MONOTONE = replace(PRODUCT_RUNNING_MAX, name="product-monotone", monotone_experience=True)

CONFIGS: dict[str, SalaryConfig] = {
    c.name: c for c in (REPORT, PRODUCT, PRODUCT_RUNNING_MAX, PRODUCT_MONOTONE)
}


def get_config(config: str | SalaryConfig) -> SalaryConfig:
    if isinstance(config, SalaryConfig):
        return config
    try:
        return CONFIGS[config]
    except KeyError:
        raise ValueError(f"unknown salary config {config!r}; known: {', '.join(CONFIGS)}") from None
