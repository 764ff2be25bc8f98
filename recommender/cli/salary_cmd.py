"""``jobrec salary "skills"``: the schedule × experience salary grid as a table, JSON or chart."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recommender.cli.common import add_data_argument, add_model_dir_argument, data_paths, model_dir

logger = logging.getLogger(__name__)

# Where a salary model trained by this command (no bundle yet) is kept, inside the model dir.
CACHE_DIR = "salary-cache"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "salary",
        help="salary estimate for every schedule × experience pair",
        description="Estimate net monthly pay (p25/p50/p75, RUB) for every hh schedule × experience "
        "pair from a few skills. Uses the bundle's salary model, or trains one on first use.",
    )
    parser.add_argument("skills", nargs="+", help='skills, e.g. "python, sql, нейросети"')
    parser.add_argument(
        "--area", default=None, metavar="CITY", help="city, e.g. Москва (default: all Russia)"
    )
    parser.add_argument(
        "--money",
        choices=("today", "data"),
        default="today",
        help="roubles of the latest year of the wage index (an estimate, default) or of the data's year",
    )
    parser.add_argument("--lang", choices=("ru", "en"), default="ru", help="language of table and chart")
    parser.add_argument(
        "--experience", default=None, help="your hh experience id: highlighted, and with --schedule the grid "
        "is calibrated on the vacancies listed for your cell (as the bot does)"
    )
    parser.add_argument("--schedule", default=None, help="your hh schedule id, highlighted")
    parser.add_argument("--json", action="store_true", help="print the grid as JSON")
    parser.add_argument("--chart", default=None, metavar="FILE.png", help="also draw the grid to a PNG")
    parser.add_argument(
        "--config",
        default="product",
        choices=("product", "report"),
        help="model to train when there is no bundle (default product)",
    )
    parser.add_argument(
        "--iterations",
        type=int,
        default=None,
        metavar="N",
        help="CatBoost iterations when training (default: the config's)",
    )
    add_model_dir_argument(parser)
    add_data_argument(parser)
    parser.set_defaults(func=run)


def _bundle_with_salary(directory: Path) -> Any | None:
    """The current bundle when it has a salary model, or None."""
    from recommender.bundle import BundleError, load_bundle

    try:
        bundle = load_bundle(directory)
    except BundleError as exc:  # includes incompatible bundles
        logger.debug("no usable bundle in %s: %s", directory, exc)
        return None
    return bundle if bundle.salary_model is not None else None


def _train_and_cache(args: argparse.Namespace, cache: Path) -> Any:
    from recommender.data import load_vacancies
    from recommender.salary import fit_salary_model

    paths = data_paths(args)
    print(
        f"no salary model in {cache.parent}: training one on {', '.join(paths)} (takes a few minutes)…",
        file=sys.stderr,
    )
    loaded = load_vacancies(paths)
    model = fit_salary_model(
        loaded.vacancies, _default_vocabulary(), config=args.config, iterations=args.iterations
    )
    model.save(cache)
    print(f"salary model cached in {cache}", file=sys.stderr)
    return model


def _default_vocabulary() -> Any:
    """The curated skill vocabulary (cheap, no corpus)."""
    from recommender.skills import SkillVocabulary

    return SkillVocabulary.default()


# query, area, the user's (schedule, experience) or None → grid
GridSource = Callable[[str, "str | None", "tuple[str, str] | None"], Any]


def load_grid_source(args: argparse.Namespace) -> GridSource:
    """The bundle's grid (its parsed query, its specialization topic and, given the user's cell,
    calibrated on the vacancies listed for it: what the bot shows), else a cached or freshly
    trained salary model's (uncalibrated: a bare model lists no vacancies)."""
    from recommender.salary import SalaryModel

    directory = Path(model_dir(args))
    bundle = _bundle_with_salary(directory)
    if bundle is not None:

        def from_bundle(query: str, area: str | None, cell: tuple[str, str] | None) -> Any:
            schedule, experience = cell if cell is not None else (None, None)
            parsed = bundle.understand(query).query
            return bundle.salary_grid(parsed, area=area, schedule=schedule, experience=experience)

        return from_bundle
    cache = directory / CACHE_DIR
    model = SalaryModel.load(cache) if SalaryModel.exists(cache) else _train_and_cache(args, cache)
    return lambda query, area, cell: model.salary_grid(query, area=area)


def run(args: argparse.Namespace) -> int:
    query = " ".join(args.skills).strip()
    if not query:
        print('give a few skills, e.g. jobrec salary "python, sql"', file=sys.stderr)
        return 2
    if args.chart and not Path(args.chart).resolve().parent.is_dir():
        # Before the work, not after it: the folder is the user's typo to fix.
        print(f"jobrec salary: --chart {args.chart}: no folder {Path(args.chart).parent}", file=sys.stderr)
        return 2
    try:
        grid_of = load_grid_source(args)
    except FileNotFoundError as exc:  # no bundle, no cached model, and no data to train one
        print(f"cannot estimate salaries: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # data without any usable salary
        print(f"cannot train a salary model: {exc}", file=sys.stderr)
        return 2
    from recommender.salary.chart import chart_text
    from recommender.salary.wage_index import latest_year

    highlight = (args.schedule, args.experience) if args.schedule and args.experience else None
    grid = grid_of(query, args.area, highlight)
    if args.money == "today":
        grid = grid.in_year(latest_year())
    text = chart_text(args.lang)
    if args.chart:
        from recommender.salary import salary_chart

        salary_chart(grid, args.chart, text=text, highlight=highlight)
        print(f"chart written to {args.chart}", file=sys.stderr)
    if args.json:
        print(json.dumps(grid.to_dict(), ensure_ascii=False, indent=1))
    else:
        from recommender.salary.table import format_table

        print(format_table(grid, text, highlight))
    return 0
