"""`jobrec train`: fit the vocabulary, topic models and salary model into a new bundle."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from recommender.cli.common import add_data_argument, data_paths
from recommender.cli.defaults import command_defaults

logger = logging.getLogger(__name__)

DEFAULT_MODELS = "nmf,lda,cluster"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("train", help="fit skill vocabulary, topic models and salary model")
    add_data_argument(parser)
    parser.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help="bundle directory (default: MODEL_DIR, environment or .env, else var/models)",
    )
    parser.add_argument(
        "--models", default=DEFAULT_MODELS, help=f"comma-separated topic models (default {DEFAULT_MODELS})"
    )
    parser.add_argument("--no-salary", action="store_true", help="do not train the salary model")
    parser.add_argument(
        "--no-salary-topics",
        action="store_true",
        help="train the salary model without the specialization (topic) feature",
    )
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--sample", type=int, default=None, help="train on the first N vacancies only")
    parser.add_argument(
        "--history-months",
        type=int,
        default=None,
        metavar="N",
        help="train on the N months before the newest publication only (the worker's retrain "
        "keeps TRAINING_HISTORY_MONTHS, default 18; files: all, unless given)",
    )
    parser.set_defaults(func=run)


def parse_models(text: str) -> list[str]:
    return [m.strip().lower() for m in text.split(",") if m.strip()]


def train_from_paths(
    paths: Sequence[str],
    out_dir: str | Path,
    *,
    models: Sequence[str],
    salary: bool = True,
    salary_topics: bool = True,
    random_state: int = 0,
    sample: int | None = None,
    history_months: int | None = None,
) -> Path:
    """Load vacancies from ``paths`` and train a bundle into ``out_dir``; the shared path of train and ask."""
    from recommender.data import load_vacancies
    from recommender.train import train_bundle

    started = time.perf_counter()
    loaded = load_vacancies(paths)
    vacancies = loaded.vacancies[:sample] if sample else loaded.vacancies
    if history_months:
        from recommender.retention import training_history

        vacancies = training_history(vacancies, history_months)
    summary = loaded.summary
    print(
        f"{summary.describe()} ({len(paths)} path(s), {time.perf_counter() - started:.0f}s)",
        file=sys.stderr,
    )
    if not vacancies:
        raise ValueError(f"no vacancies in {', '.join(paths)}")
    return train_bundle(
        vacancies,
        out_dir,
        models=models,
        salary=salary,
        salary_topics=salary_topics,
        random_state=random_state,
        data_paths=paths,
        load_summary={
            "read": summary.read,
            "kept": summary.kept,
            "duplicates": summary.duplicates,
            "skipped": dict(summary.skipped),
        },
        progress=True,
    )


def run(args: argparse.Namespace) -> int:
    from recommender.bundle import load_bundle

    out = args.out or command_defaults().model_dir
    paths = data_paths(args)
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"data not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        models = parse_models(args.models)
        started = time.perf_counter()
        path = train_from_paths(
            paths,
            out,
            models=models,
            salary=not args.no_salary,
            salary_topics=not args.no_salary_topics,
            random_state=args.random_state,
            sample=args.sample,
            history_months=args.history_months,
        )
    except ValueError as exc:
        print(f"training failed: {exc}", file=sys.stderr)
        return 2
    bundle = load_bundle(path)
    print(f"bundle {bundle.version} written to {path} in {time.perf_counter() - started:.0f}s")
    for name, seconds in bundle.manifest.get("timings_s", {}).items():
        print(f"  {name:<12}{seconds:8.1f}s")
    return 0
