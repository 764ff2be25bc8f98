"""Salary model speed: training time of the product model, and one grid query batched vs naive.

Trains the product salary model on the shared data (or loads one with --model-dir), then
times ``salary_grid`` (one batched CatBoost call for the 20 cells) against a naive grid
(20 single-row predictions) over the same queries, and prints the ratio.

    .venv/bin/python bench/bench_salary.py [--data FILE...] [--threads 2]
        [--min-salary 40000 --max-salary 500000] [--model-dir DIR | --save DIR] [--repeat 20]

Without --min-salary/--max-salary the product's own outlier rule applies (the net minimum
wage of the vacancy's year up to 500 000 RUB).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from recommender.data import load_vacancies  # noqa: E402
from recommender.salary import SalaryModel, fit_salary_model  # noqa: E402
from recommender.salary.evaluation import EVALUATION_QUERIES  # noqa: E402
from recommender.salary.grid import build_grid, enforce_monotone  # noqa: E402

DATA = [
    ROOT.parent / "shared" / "data" / name for name in ("hh_it_2021.jsonl.gz", "hh_cards_2021_2023.jsonl.gz")
]


def naive_grid(model: SalaryModel, query: str) -> object:
    """The same grid with one predict call per cell: what a straightforward loop would do."""
    rows = model.query_rows(query)
    quantiles = np.vstack([model.predict_quantiles([row]) for row in rows])
    if model.config_.enforce_monotone_grid:
        quantiles = enforce_monotone(quantiles)
    return build_grid(query, quantiles, model.support_)


def time_ms(func: object, queries: list[str], repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            func(query)  # type: ignore[operator]
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def summary(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median {statistics.median(ordered):6.2f} ms, p95 {p95:6.2f} ms"


def train(args: argparse.Namespace) -> SalaryModel:
    from recommender.skills import SkillVocabulary

    loaded = load_vacancies(args.data)
    started = time.perf_counter()
    vocabulary = SkillVocabulary.default()
    bounds = None if args.min_salary is None else (args.min_salary, args.max_salary)
    model = fit_salary_model(
        loaded.vacancies,
        vocabulary,
        config="product",
        thread_count=args.threads,
        salary_bounds=bounds,
        holdout=False,
    )
    total = time.perf_counter() - started
    kept = model.metrics_["outlier_rule"]
    print(
        f"product model: {model.n_train_} salaried vacancies ({kept}), "
        f"{args.threads} threads: fit {model.fit_seconds_:.1f} s (with feature extraction {total:.1f} s)"
    )
    return model


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", nargs="+", default=[str(p) for p in DATA])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--min-salary", type=float, default=None, help="fixed bounds instead of the rule")
    parser.add_argument("--max-salary", type=float, default=500_000)
    parser.add_argument("--model-dir", default=None, help="load this salary model instead of training")
    parser.add_argument("--save", default=None, metavar="DIR", help="save the trained model here")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    model = SalaryModel.load(args.model_dir) if args.model_dir else train(args)
    if args.save:
        model.save(args.save)
    queries = list(EVALUATION_QUERIES)
    model.salary_grid(queries[0])  # warm-up: first call builds CatBoost's lazy state
    batched = time_ms(model.salary_grid, queries, args.repeat)
    naive = time_ms(lambda q: naive_grid(model, q), queries, max(1, args.repeat // 4))
    print(f"salary_grid, batched (1 call for 20 cells): {summary(batched)}  over {len(batched)} queries")
    print(f"salary_grid, naive (20 single-row calls):   {summary(naive)}  over {len(naive)} queries")
    print(f"speed-up of batching: {statistics.median(naive) / statistics.median(batched):.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
