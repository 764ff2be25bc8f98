"""Arguments and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from recommender.cli import DEFAULT_DATA_DIR, DEFAULT_MODEL_DIR

# Every file of ../shared/data (its README says what each holds), oldest first: a vacancy found
# in two files keeps the later copy. samples/ is left out: edited fixtures, not a corpus.
DATA_FILES = (
    "hh_it_2021.jsonl.gz",
    "hh_cards_2021_2023.jsonl.gz",
    "hh_2024_2025_tables.jsonl.gz",
    "hh_2025_2026.jsonl.gz",
)


def default_data_paths() -> list[str]:
    """The product's default corpus: every shared file (JOBREC_DATA_PATH overrides).

    JOBREC_DATA_PATH may name several paths separated by os.pathsep.
    """
    env = os.environ.get("JOBREC_DATA_PATH") or os.environ.get("DATA_PATH")
    if env:
        return [p for p in env.split(os.pathsep) if p]
    base = Path(DEFAULT_DATA_DIR)
    return [str(base / name) for name in DATA_FILES]


def default_model_dir() -> str:
    return os.environ.get("JOBREC_MODEL_DIR") or os.environ.get("MODEL_DIR") or DEFAULT_MODEL_DIR


def add_data_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        nargs="+",
        metavar="PATH",
        default=None,
        help="vacancy files or folders (JSON Lines, .gz, JSON array, folder of .json); "
        "default: both files in ../shared/data or $JOBREC_DATA_PATH",
    )


def add_model_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model-dir",
        default=None,
        metavar="DIR",
        help="bundle directory (default var/models or $JOBREC_MODEL_DIR)",
    )


def data_paths(args: argparse.Namespace) -> list[str]:
    return list(args.data) if getattr(args, "data", None) else default_data_paths()


def model_dir(args: argparse.Namespace) -> str:
    return getattr(args, "model_dir", None) or default_model_dir()
