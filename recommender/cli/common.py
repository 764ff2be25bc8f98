"""Arguments and helpers shared by several subcommands."""

from __future__ import annotations

import argparse

from recommender.cli.defaults import command_defaults


def add_data_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        nargs="+",
        metavar="PATH",
        default=None,
        help="vacancy files or folders (JSON Lines, .gz, JSON array, folder of .json); "
        "default: DATA_PATH (environment or .env), else every file in ../shared/data",
    )


def add_model_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model-dir",
        default=None,
        metavar="DIR",
        help="bundle directory (default: MODEL_DIR, environment or .env, else var/models)",
    )


def data_paths(args: argparse.Namespace) -> list[str]:
    return list(args.data) if getattr(args, "data", None) else list(command_defaults().data_paths)


def model_dir(args: argparse.Namespace) -> str:
    return getattr(args, "model_dir", None) or command_defaults().model_dir
