"""Held-out evaluation of the salary models → a section of docs/evaluation.md.

Run on its own (no bundle, no topic models needed)::

    python -m recommender.salary.evaluation --out docs/evaluation-salary.md

Compares a median-by-experience baseline, a TF-IDF ridge, the report's CatBoost and the
product's CatBoost on the shared id-hash split, in roubles; checks the p25–p75 coverage,
"more experience does not pay less" on a set of student queries, and how well each model
does when it only sees what a student types (the skills), not the vacancy text.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from recommender.data.models import Vacancy
from recommender.salary.baselines import MedianByExperience, TfidfRidge
from recommender.salary.config import get_config
from recommender.salary.features import (
    DEFAULT_SALARY_BOUNDS,
    UNKNOWN,
    SalaryInput,
    SkillSource,
    TrainingRows,
    as_query,
    training_rows,
)
from recommender.salary.grid import THIN_SUPPORT, monotone_violations
from recommender.salary.metrics import interval_coverage, regression_metrics
from recommender.salary.model import SalaryModel

logger = logging.getLogger(__name__)

# The report's three queries (popular, less popular, rare) and typical student queries.
EVALUATION_QUERIES: tuple[str, ...] = (
    "python, nlp, algorithm, нейросети",
    "микроконтроллер, stm32, c",
    "design, photoshop, figma, 3d, ux-ui",
    "python, sql, нейросети",
    "java, spring, sql",
    "javascript, react, html, css",
    "1с, бухгалтерия",
    "excel, sql, power bi",
    "тестирование, sql, jira",
    "linux, docker, kubernetes",
    "продажи, переговоры, crm",
    "английский язык, коммуникабельность",
)

# Targets from the issue: MAE ≤ 0.75 × median baseline, R² ≥ 0.5, p25–p75 coverage in [0.4, 0.6].
MAE_RATIO_TARGET = 0.75
R2_TARGET = 0.5
COVERAGE_RANGE = (0.4, 0.6)


@dataclass
class ModelScore:
    name: str
    description: str
    metrics: dict[str, float]
    fit_seconds: float
    coverage_p25_p75: float | None = None
    skills_only: dict[str, float] | None = None  # metrics when the model sees only the skills


@dataclass
class SalaryEvaluation:
    salary_bounds: tuple[float, float]
    n_train: int
    n_test: int
    skipped_train: dict[str, int]
    scores: list[ModelScore]
    monotonicity: dict[str, dict[str, int]]
    targets: dict[str, dict[str, Any]]
    thin_cells: int
    queries: list[str] = field(default_factory=lambda: list(EVALUATION_QUERIES))
    example_grids: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def score(self, name: str) -> ModelScore:
        return next(s for s in self.scores if s.name == name)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_markdown(self) -> str:
        return render_markdown(self)


# -- building blocks ----------------------------------------------------------------------


def skills_only_inputs(rows: Sequence[SalaryInput]) -> list[SalaryInput]:
    """What a student's query looks like: only the skills, typed as text; no city, no vacancy text."""
    return [as_query(row) for row in rows]


def _timed_fit(estimator: Any, rows: TrainingRows) -> float:
    started = time.perf_counter()
    estimator.fit(rows.inputs, rows.targets)
    return time.perf_counter() - started


def _catboost_score(model: SalaryModel, test: TrainingRows, description: str) -> ModelScore:
    quantiles = model.predict_quantiles(test.inputs)
    skills_only = model.predict(skills_only_inputs(test.inputs))
    return ModelScore(
        name=model.config_.name,
        description=description,
        metrics=regression_metrics(test.targets, quantiles[:, 1]),
        fit_seconds=round(model.fit_seconds_, 1),
        coverage_p25_p75=(
            interval_coverage(test.targets, quantiles[:, 0], quantiles[:, 2])
            if model.config_.quantile
            else None
        ),
        skills_only=regression_metrics(test.targets, skills_only),
    )


QueryTopic = Callable[[str], object]


def without_topics(rows: TrainingRows) -> TrainingRows:
    """The same rows with the topic feature blanked (the no-topic ablation)."""
    blanked = [replace(row, topic=UNKNOWN) for row in rows.inputs]
    return TrainingRows(blanked, rows.targets, rows.ids, rows.skipped)


def count_violations(
    model: SalaryModel, queries: Sequence[str], query_topic: QueryTopic | None = None
) -> dict[str, int]:
    """Grid cells where more experience pays less, before and after the running-maximum fix."""

    def grid(query: str, enforce: bool) -> Any:
        topic = query_topic(query) if query_topic is not None else None
        return model.salary_grid(query, topic=topic, enforce_monotone=enforce)

    raw = sum(monotone_violations(grid(q, False)) for q in queries)
    fixed = sum(monotone_violations(grid(q, True)) for q in queries)
    return {"steps_checked": len(queries) * 5 * 3, "violations_raw": raw, "violations_after_fix": fixed}


def _targets(scores: dict[str, ModelScore]) -> dict[str, dict[str, Any]]:
    baseline_mae = scores["median-by-experience"].metrics["mae"]
    product = scores["product"]
    ratio = product.metrics["mae"] / baseline_mae
    coverage = product.coverage_p25_p75 or float("nan")
    return {
        "product MAE / median-baseline MAE ≤ 0.75": {
            "value": round(ratio, 3),
            "met": ratio <= MAE_RATIO_TARGET,
        },
        "product R² ≥ 0.5": {
            "value": round(product.metrics["r2"], 3),
            "met": product.metrics["r2"] >= R2_TARGET,
        },
        "p25–p75 coverage in 40–60%": {
            "value": round(coverage, 3),
            "met": COVERAGE_RANGE[0] <= coverage <= COVERAGE_RANGE[1],
        },
    }


# -- the evaluation -----------------------------------------------------------------------


def evaluate_salary(
    train: Sequence[Vacancy],
    test: Sequence[Vacancy],
    vocabulary: SkillSource | None,
    *,
    train_topics: Sequence[object] | None = None,
    test_topics: Sequence[object] | None = None,
    salary_bounds: tuple[float, float] = DEFAULT_SALARY_BOUNDS,
    thread_count: int | None = None,
    random_state: int = 0,
    iterations: int | None = None,
    ablation: bool = True,
    queries: Sequence[str] = EVALUATION_QUERIES,
    query_topic: QueryTopic | None = None,
) -> SalaryEvaluation:
    """Train every salary model on ``train``, score on ``test`` (salaries inside the same bounds).

    ``ablation`` also trains the product model with CatBoost's monotone constraint on
    experience, to measure it against the running-maximum post-processing, and, when topics
    are given, the product model without them. ``query_topic`` maps a query to the topic its
    grid is asked in (the bundle's specialization). ``iterations`` overrides CatBoost's (for
    quick runs and tests).
    """
    train_rows = training_rows(train, vocabulary, topics=train_topics, salary_bounds=salary_bounds)
    test_rows = training_rows(test, vocabulary, topics=test_topics, salary_bounds=salary_bounds)
    if len(train_rows) == 0 or len(test_rows) == 0:
        raise ValueError(
            f"salary evaluation needs salaried rows: {len(train_rows)} train, {len(test_rows)} test"
        )
    scores: dict[str, ModelScore] = {}
    for name, estimator, description in (
        ("median-by-experience", MedianByExperience(), "median salary of the experience level"),
        (
            "tfidf-ridge",
            TfidfRidge(),
            "ridge on TF-IDF of title, skills, text + one-hot experience/schedule/city",
        ),
    ):
        seconds = _timed_fit(estimator, train_rows)
        scores[name] = ModelScore(
            name,
            description,
            regression_metrics(test_rows.targets, estimator.predict(test_rows.inputs)),
            round(seconds, 1),
            skills_only=regression_metrics(
                test_rows.targets, estimator.predict(skills_only_inputs(test_rows.inputs))
            ),
        )
    descriptions = {
        "report": "the report's CatBoost: description, experience, schedule; RMSE, lr 0.25, 200 it., depth 7",
        "product": "quartile CatBoost (log salary): stacked TF-IDF text score, ordinal experience, schedule, "
        "city, topic, year; trained also on query-like copies; running-maximum grid",
        "product-monotone": "product plus CatBoost monotone_constraints on experience (ablation)",
    }
    uses_topics = train_topics is not None and test_topics is not None
    if uses_topics:
        descriptions["product-no-topic"] = "product without the topic feature (ablation)"
    variants: list[tuple[str, str, bool]] = [("report", "report", False), ("product", "product", False)]
    if ablation:
        variants.append(("product-monotone", "product-monotone", False))
        if uses_topics:
            variants.append(("product-no-topic", "product", True))
    models: dict[str, SalaryModel] = {}
    for name, config, blank_topics in variants:
        fit_rows, eval_rows = (train_rows, test_rows)
        if blank_topics:
            fit_rows, eval_rows = without_topics(train_rows), without_topics(test_rows)
        model = SalaryModel(
            replace(get_config(config), name=name),
            thread_count=thread_count,
            random_state=random_state,
            iterations=iterations,
            vocabulary=vocabulary,
        )
        models[name] = model.fit(fit_rows.inputs, fit_rows.targets)
        scores[name] = _catboost_score(model, eval_rows, descriptions[name])
    topic_of = {
        name: (None if name == "product-no-topic" or not uses_topics else query_topic) for name in models
    }
    monotonicity = {name: count_violations(model, queries, topic_of[name]) for name, model in models.items()}
    first_topic = query_topic(queries[0]) if uses_topics and query_topic is not None else None
    product_grid = models["product"].salary_grid(queries[0], topic=first_topic)
    return SalaryEvaluation(
        salary_bounds=salary_bounds,
        n_train=len(train_rows),
        n_test=len(test_rows),
        skipped_train=train_rows.skipped,
        scores=list(scores.values()),
        monotonicity=monotonicity,
        targets=_targets(scores),
        thin_cells=sum(cell.extrapolated for cell in product_grid.cells),
        queries=list(queries),
        example_grids={
            name: [
                cell.to_dict()
                for cell in model.salary_grid(
                    queries[0], topic=first_topic if topic_of[name] is not None else None
                ).cells
            ]
            for name, model in models.items()
        },
    )


# -- markdown -----------------------------------------------------------------------------


def _rub(value: float | None) -> str:
    return "–" if value is None or not np.isfinite(value) else f"{value:,.0f}".replace(",", " ")


def _score_row(score: ModelScore) -> str:
    m = score.metrics
    coverage = "–" if score.coverage_p25_p75 is None else f"{score.coverage_p25_p75:.1%}"
    only = score.skills_only or {}
    return (
        f"| {score.name} | {_rub(m['mae'])} | {_rub(m['rmse'])} | {m['mape']:.1f}% | {m['r2']:.3f} | "
        f"{m['nrmse']:.3f} | {coverage} | {_rub(only.get('mae'))} | {only.get('r2', float('nan')):.3f} | "
        f"{score.fit_seconds:.0f} |"
    )


def _example_table(evaluation: SalaryEvaluation) -> list[str]:
    names = list(evaluation.example_grids)
    lines = [
        f"p50 (RUB) for «{evaluation.queries[0]}», full day (Полный день) and remote (Удаленная работа); "
        f"* = fewer than {THIN_SUPPORT} training vacancies in the cell:",
        "",
        "| schedule | experience | " + " | ".join(names) + " |",
        "|---|---|" + "---:|" * len(names),
    ]
    cells = {
        name: {(c["schedule"], c["experience"]): c for c in grid}
        for name, grid in evaluation.example_grids.items()
    }
    first = evaluation.example_grids[names[0]]
    for cell in first:
        if cell["schedule"] not in ("fullDay", "remote"):
            continue
        key = (cell["schedule"], cell["experience"])
        mark = " *" if cell["extrapolated"] else ""
        values = " | ".join(_rub(cells[name][key]["p50"]) for name in names)
        lines.append(f"| {cell['schedule_name']} | {cell['experience_name']}{mark} | {values} |")
    return lines


def _topic_note(evaluation: SalaryEvaluation) -> list[str]:
    names = {score.name for score in evaluation.scores}
    if "product-no-topic" not in names:
        return ["The topic feature was not given (no topic model): every row's topic is `unknown`.", ""]
    with_topic, without = evaluation.score("product"), evaluation.score("product-no-topic")
    delta = with_topic.metrics["mae"] - without.metrics["mae"]
    return [
        "Topic feature: each vacancy's dominant topic of the default topic model (as `jobrec train` "
        "does); grids are asked in the query's specialization topic. Held-out MAE with the topic "
        f"{_rub(with_topic.metrics['mae'])} vs {_rub(without.metrics['mae'])} without "
        f"({'+' if delta >= 0 else '−'}{_rub(abs(delta))} RUB), R² {with_topic.metrics['r2']:.3f} vs "
        f"{without.metrics['r2']:.3f}.",
        "",
    ]


def render_markdown(evaluation: SalaryEvaluation) -> str:
    low, high = evaluation.salary_bounds
    lines = [
        "## Salary estimate",
        "",
        f"Held-out split: vacancy id hash (`recommender.data.split.is_test`, 1 in 5 held out). Salaries are "
        f"net RUB per month (midpoint of from/to, currency converted, gross → net at 13%), kept inside "
        f"{_rub(low)}–{_rub(high)} as in the report: {evaluation.n_train} training and {evaluation.n_test} "
        f"test vacancies (training rows dropped: {evaluation.skipped_train}).",
        "",
        "NRMSE is the report's normalized RMSE: RMSE / (max − min) of the held-out salaries "
        "(the report: 0.08). "
        "Skills-only columns: the same held-out vacancies, but the model sees only their skills typed as a "
        "query (no title, text or city), as in the bot.",
        "",
        "| model | MAE | RMSE | MAPE | R² | NRMSE | p25–p75 coverage | skills-only MAE | skills-only R² "
        "| fit, s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(_score_row(score) for score in evaluation.scores),
        "",
        *(f"- `{s.name}`: {s.description}" for s in evaluation.scores),
        "",
        *_topic_note(evaluation),
        "Targets:",
        "",
        *(
            f"- {name}: {t['value']} — {'met' if t['met'] else '**missed**'}"
            for name, t in evaluation.targets.items()
        ),
        "",
        f'"More experience does not pay less": adjacent experience steps where the median drops, over '
        f"{len(evaluation.queries)} queries × 5 schedules × 3 steps (raw model output, then after the "
        "running-maximum post-processing):",
        "",
        "| model | steps checked | violations, raw | after post-processing |",
        "|---|---:|---:|---:|",
        *(
            f"| {name} | {m['steps_checked']} | {m['violations_raw']} | {m['violations_after_fix']} |"
            for name, m in evaluation.monotonicity.items()
        ),
        "",
        *_example_table(evaluation),
        "",
        f"The product grid marks {evaluation.thin_cells} of 20 cells as extrapolated "
        f"(support < {THIN_SUPPORT}).",
        "",
    ]
    return "\n".join(lines)


# -- command line -------------------------------------------------------------------------


def _vocabulary(kind: str, train: Sequence[Vacancy]) -> SkillSource | None:
    if kind == "none":
        return None
    from recommender.skills import SkillVocabulary

    return SkillVocabulary.default() if kind == "default" else SkillVocabulary.build(train)


def main(argv: Sequence[str] | None = None) -> int:
    from recommender.cli.common import default_data_paths
    from recommender.data import load_vacancies
    from recommender.data.split import train_test_split

    parser = argparse.ArgumentParser(
        prog="python -m recommender.salary.evaluation",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data", nargs="+", default=None, help="vacancy files (default: the shared data)")
    parser.add_argument("--out", default="docs/evaluation-salary.md", help="markdown file (JSON beside it)")
    parser.add_argument(
        "--vocabulary",
        choices=("build", "default", "none"),
        default="build",
        help="skills: vocabulary built on the train split (as jobrec evaluate), curated only, none",
    )
    parser.add_argument("--thread-count", type=int, default=None)
    parser.add_argument(
        "--iterations", type=int, default=None, help="override CatBoost iterations (quick runs)"
    )
    parser.add_argument("--no-ablation", action="store_true", help="skip the unconstrained product model")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    loaded = load_vacancies(args.data or default_data_paths())
    train, test = train_test_split(loaded.vacancies)
    evaluation = evaluate_salary(
        train,
        test,
        _vocabulary(args.vocabulary, train),
        thread_count=args.thread_count,
        iterations=args.iterations,
        ablation=not args.no_ablation,
    )
    command = "python -m recommender.salary.evaluation " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"{evaluation.to_markdown()}\nCommand: `{command.strip()}`\n", encoding="utf-8")
    out.with_suffix(".json").write_text(
        json.dumps(evaluation.to_dict(), ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    print(f"wrote {out} and {out.with_suffix('.json')}")
    for name, target in evaluation.targets.items():
        print(f"  {name}: {target['value']} ({'met' if target['met'] else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
