"""The retraining child process: ``python -m bot.jobs.train_process --out DIR --data PATH...``.

It runs at a lower CPU priority so the bot's event loop keeps a core, writes its bundle
into a staging directory (never the serving one), scores the candidate and the serving
bundle on the same held-out cases (``gate.json`` in the candidate), prints the bundle path
as its last stdout line and exits non-zero on failure.

It dies with the worker that started it (``--parent-pid``): on Linux the kernel sends it
SIGKILL when its parent goes (prctl PR_SET_PDEATHSIG), and everywhere a watcher thread ends it
within a second once its parent pid changes. Otherwise a kill -9 of the worker left it training
at full CPU beside the restarted worker's run, and writing a staging folder after promotion.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

logger = logging.getLogger(__name__)

GATE_FILE = "gate.json"
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_CHECK_SECONDS = 1.0
EXIT_ORPHANED = 3


def exit_with_parent(parent_pid: int, staging: Path | None = None) -> None:
    """End this process when ``parent_pid`` is no longer its parent (it died; we were re-parented),
    or when its ``staging`` folder is removed (a restarted worker cleaned a dead run's)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            logger.warning("prctl(PR_SET_PDEATHSIG) failed: errno %d", ctypes.get_errno())
    if os.getppid() != parent_pid:  # it died before the line above took effect
        logger.error("the worker that started this training is gone; exiting")
        os._exit(EXIT_ORPHANED)
    args = (parent_pid, staging)
    threading.Thread(target=_watch_parent, args=args, name="parent-watch", daemon=True).start()


def _watch_parent(parent_pid: int, staging: Path | None) -> None:
    while os.getppid() == parent_pid and (staging is None or staging.is_dir()):
        time.sleep(PARENT_CHECK_SECONDS)
    logger.error("the worker that started this training, or its staging folder, is gone; exiting")
    os._exit(EXIT_ORPHANED)  # no clean-up: whatever is half-written is staging, cleaned by the next run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.jobs.train_process")
    parser.add_argument("--out", required=True, help="staging bundle directory")
    parser.add_argument("--data", nargs="+", required=True, help="vacancy files (base corpus + export)")
    parser.add_argument("--models", default="nmf,lda,cluster")
    parser.add_argument("--no-salary", action="store_true")
    parser.add_argument("--sample", type=int, default=None, help="train on the first N vacancies only")
    parser.add_argument(
        "--history-months", type=int, default=None, help="train on the N months before the newest publication"
    )
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--compare-with", default=None, help="the serving bundle, scored on the same cases")
    parser.add_argument("--gate-cases", type=int, default=300)
    parser.add_argument("--nice", type=int, default=10, help="lower the CPU priority by this much")
    parser.add_argument("--parent-pid", type=int, default=None, help="exit when this process dies")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.parent_pid is not None:
        # The staging run folder (the parent of --out) was made by the worker before starting us.
        exit_with_parent(args.parent_pid, Path(args.out).resolve().parent)
    if args.nice and hasattr(os, "nice"):
        os.nice(args.nice)
    from bot.jobs.gate_eval import gate_metrics
    from bot.jobs.vacancy_file import is_vacancy_file, merge_by_key, read_vacancies
    from recommender.cli.train_cmd import parse_models
    from recommender.data import LoadResult, LoadSummary, load_vacancies
    from recommender.retention import training_history
    from recommender.train import train_bundle

    files = [path for path in args.data if not is_vacancy_file(path)]
    loaded = load_vacancies(files) if files else LoadResult([], LoadSummary())
    # the database's vacancies (collected, closed flags and all) win over the files' copies
    corpus = merge_by_key(loaded.vacancies, *(read_vacancies(p) for p in args.data if is_vacancy_file(p)))
    vacancies = corpus[: args.sample] if args.sample else corpus
    if args.history_months:
        vacancies = training_history(vacancies, args.history_months)
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
        load_summary={"read": loaded.summary.read, "kept": loaded.summary.kept, "corpus": len(corpus)},
    )
    current = Path(args.compare_with).resolve() if args.compare_with else None
    # Cases come from the whole loaded corpus, so a sample-trained bundle is judged on the same ones.
    metrics = gate_metrics(path, current, corpus, max_cases=args.gate_cases)
    (path / GATE_FILE).write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
