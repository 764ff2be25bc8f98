"""The retraining child process: ``python -m bot.jobs.train_process --out DIR --data PATH...``.

It runs at a lower CPU priority so the bot's event loop keeps a core, writes its bundle
into a staging directory (never the serving one), scores the candidate and the serving
bundle on the same held-out cases (``gate.json`` in the candidate), prints the bundle path
as its last stdout line and exits non-zero on failure.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

logger = logging.getLogger(__name__)

GATE_FILE = "gate.json"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.jobs.train_process")
    parser.add_argument("--out", required=True, help="staging bundle directory")
    parser.add_argument("--data", nargs="+", required=True, help="vacancy files (base corpus + export)")
    parser.add_argument("--models", default="nmf,lda,cluster")
    parser.add_argument("--no-salary", action="store_true")
    parser.add_argument("--sample", type=int, default=None, help="train on the first N vacancies only")
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--compare-with", default=None, help="the serving bundle, scored on the same cases")
    parser.add_argument("--gate-cases", type=int, default=300)
    parser.add_argument("--nice", type=int, default=10, help="lower the CPU priority by this much")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.nice and hasattr(os, "nice"):
        os.nice(args.nice)
    from bot.jobs.gate_eval import gate_metrics
    from recommender.bundle import train_bundle
    from recommender.cli.train_cmd import parse_models
    from recommender.data import load_vacancies

    loaded = load_vacancies(args.data)
    vacancies = loaded.vacancies[: args.sample] if args.sample else loaded.vacancies
    if not vacancies:
        logger.error("training failed: no vacancies in %s", ", ".join(args.data))
        return 2
    path = train_bundle(
        vacancies,
        args.out,
        models=parse_models(args.models),
        salary=not args.no_salary,
        random_state=args.random_state,
        data_paths=args.data,
        load_summary={"read": loaded.summary.read, "kept": loaded.summary.kept},
    )
    current = Path(args.compare_with).resolve() if args.compare_with else None
    # Cases come from the whole loaded corpus, so a sample-trained bundle is judged on the same ones.
    metrics = gate_metrics(path, current, loaded.vacancies, max_cases=args.gate_cases)
    (path / GATE_FILE).write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
