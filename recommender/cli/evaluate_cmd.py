"""`jobrec evaluate`: offline evaluation on the fixed held-out split → docs/evaluation.md/json."""

from __future__ import annotations

import argparse
import logging
import shlex
import sys
from pathlib import Path

from recommender.cli.common import add_data_argument, data_paths

logger = logging.getLogger(__name__)

FULL_OUT = "docs/evaluation.md"
QUICK_OUT = "var/evaluation-quick.md"
FULL_QUERIES = 2000
QUICK_QUERIES = 300


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("evaluate", help="offline evaluation → docs/evaluation.md and .json")
    add_data_argument(parser)
    parser.add_argument(
        "--out",
        default=None,
        help=f"markdown report, JSON written beside it (default {FULL_OUT}; with --quick {QUICK_OUT})",
    )
    parser.add_argument(
        "--models", default=None, help="comma-separated topic models (default nmf,lda,cluster)"
    )
    parser.add_argument(
        "--queries",
        "--sample",
        dest="queries",
        type=int,
        default=None,
        help=f"held-out queries per measure, a fixed sample ({FULL_QUERIES}; --quick {QUICK_QUERIES})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a few minutes: nmf only, {QUICK_QUERIES} queries, no salary, topic quality or ablation,"
        f" written to {QUICK_OUT}",
    )
    parser.add_argument("--no-ablation", action="store_true", help="skip the no-topic ablation")
    parser.add_argument("--no-topic-quality", action="store_true", help="skip coherence and perplexity")
    parser.add_argument(
        "--lda-topics", type=int, default=None, help="fix the LDA topic count (default: coherence search)"
    )
    parser.add_argument("--no-salary", action="store_true", help="skip the salary section")
    parser.add_argument(
        "--fit-sample",
        type=int,
        default=None,
        metavar="N",
        help="fit the vocabulary and topic models on a seeded sample of N train vacancies, index "
        "all (jobrec train --fit-sample): what the sample costs",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from recommender.cli.train_cmd import parse_models
    from recommender.evaluation.report import run_evaluation, write_report

    paths = data_paths(args)
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"data not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    invoked_as_jobrec = bool(sys.argv) and Path(sys.argv[0]).name == "jobrec"
    command = "jobrec " + shlex.join(sys.argv[1:]) if invoked_as_jobrec else "jobrec evaluate"
    quick = bool(args.quick)
    results = run_evaluation(
        paths,
        models=parse_models(args.models or ("nmf" if quick else "nmf,lda,cluster")),
        max_queries=args.queries or (QUICK_QUERIES if quick else FULL_QUERIES),
        lda_topics=args.lda_topics,
        salary=not (args.no_salary or quick),
        topic_quality=not (args.no_topic_quality or quick),
        ablation=not (args.no_ablation or quick),
        command=command,
        fit_sample=args.fit_sample,
    )
    md, js = write_report(results, args.out or (QUICK_OUT if quick else FULL_OUT))
    targets = results["targets"]
    print(f"wrote {md} and {js}")
    for name, target in targets.items():
        if isinstance(target, dict):
            print(f"  {name}: {_short(target['value'])} ({'met' if target['met'] else 'MISSED'})")
    return 0


def _short(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)
