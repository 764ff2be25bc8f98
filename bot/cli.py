"""The bot's `jobrec` subcommands: `bot` and `db` here; `collect` and `import` are the
collector's (bot/collector/cli.py), `worker` the scheduled jobs' (bot/jobs/cli.py)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from typing import Any

from bot.collector.cli import register_collect, register_import
from bot.config import MissingToken, load_settings, require_token
from bot.jobs.cli import register_worker
from bot.redaction import install_redaction, redact

__all__ = ["register_bot", "register_collect", "register_db", "register_import", "register_worker"]

logger = logging.getLogger(__name__)

EXIT_BAD_SETTINGS = 2


def configure_logging(level: str) -> None:
    logging.getLogger().setLevel(level.upper())
    # aiogram logs every handled update at INFO; keep that at the chosen level only when debugging.
    if level.upper() != "DEBUG":
        logging.getLogger("aiogram.event").setLevel(logging.WARNING)


# jobrec bot -------------------------------------------------------------------


def register_bot(subparsers: Any) -> None:
    parser = subparsers.add_parser("bot", help="run the Telegram bot (long polling, or --webhook)")
    parser.set_defaults(func=run_bot_command)


def run_bot_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings is None:
        return EXIT_BAD_SETTINGS
    try:
        install_redaction([require_token(settings)])
    except MissingToken as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_SETTINGS
    configure_logging(settings.log_level)
    from bot.app import StartupError, run_bot
    from bot.storage import StorageError

    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_bot(settings))
    except (StartupError, StorageError) as exc:
        print(f"jobrec bot: {redact(str(exc))}", file=sys.stderr)
        return EXIT_BAD_SETTINGS
    return 0


# jobrec db --------------------------------------------------------------------


def register_db(subparsers: Any) -> None:
    parser = subparsers.add_parser("db", help="the bot's database")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="apply migrations (default: up to head)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.add_argument("--url", help="database URL (default: DATABASE_URL from the environment or .env)")
    upgrade.set_defaults(func=db_upgrade_command)


def db_upgrade_command(args: argparse.Namespace) -> int:
    from bot.storage import StorageError, upgrade_database

    if args.url:
        url = args.url
    else:
        settings = load_settings()
        if settings is None:
            return EXIT_BAD_SETTINGS
        url = settings.database_url
    try:
        upgrade_database(url, args.revision)
    except StorageError as exc:
        print(f"jobrec db upgrade: {exc}", file=sys.stderr)
        return EXIT_BAD_SETTINGS
    print(f"database upgraded to {args.revision}")
    return 0
