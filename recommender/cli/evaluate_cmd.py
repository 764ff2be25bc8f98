"""`jobrec evaluate`: offline evaluation on the fixed held-out split → docs/evaluation.md/json."""

from __future__ import annotations

import argparse
import logging
import shlex
import sys
from pathlib import Path

from recommender.cli.common import add_data_argument, data_paths

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("evaluate", help="offline evaluation → docs/evaluation.md and .json")
    add_data_argument(parser)
    parser.add_argument(
        "--out", default="docs/evaluation.md", help="markdown report (JSON written beside it)"
    )
    parser.add_argument("--models", default="nmf,lda,cluster", help="comma-separated topic models")
    parser.add_argument(
        "--queries", type=int, default=2000, help="held-out queries per measure (default 2000)"
    )
    parser.add_argument(
        "--lda-topics", type=int, default=None, help="fix the LDA topic count (default: coherence search)"
    )
    parser.add_argument("--no-salary", action="store_true", help="skip the salary section")
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
    results = run_evaluation(
        paths,
        models=parse_models(args.models),
        max_queries=args.queries,
        lda_topics=args.lda_topics,
        salary=not args.no_salary,
        command=command,
    )
    md, js = write_report(results, args.out)
    targets = results["targets"]
    print(f"wrote {md} and {js}")
    for name, target in targets.items():
        if isinstance(target, dict):
            print(f"  {name}: {target['value']} ({'met' if target['met'] else 'MISSED'})")
    return 0
