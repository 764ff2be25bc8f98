"""The bot's `jobrec` subcommands: `bot` and `db` here; `collect`, `import` and `worker`
are the collector's and scheduled jobs' (bot/collector/cli.py, bot/jobs/cli.py) and are
delegated to them."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import logging
import os
import sys
from typing import Any

from pydantic import ValidationError

from bot.config import Settings, settings_error_line
from bot.redaction import install_redaction, redact

logger = logging.getLogger(__name__)

EXIT_BAD_SETTINGS = 2


def load_settings() -> Settings | None:
    """Settings from the environment and .env; None after printing one clear line."""
    try:
        return Settings()  # type: ignore[call-arg]  # values come from the environment
    except ValidationError as exc:
        print(settings_error_line(exc), file=sys.stderr)
        return None


def configure_logging(level: str) -> None:
    logging.getLogger().setLevel(level.upper())
    # aiogram logs every handled update at INFO; keep that at the chosen level only when debugging.
    if level.upper() != "DEBUG":
        logging.getLogger("aiogram.event").setLevel(logging.WARNING)


# jobrec bot -------------------------------------------------------------------


def register_bot(subparsers: Any) -> None:
    parser = subparsers.add_parser("bot", help="run the Telegram bot (long polling)")
    parser.set_defaults(func=run_bot_command)


def run_bot_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings is None:
        return EXIT_BAD_SETTINGS
    install_redaction([settings.bot_token.get_secret_value()])
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
    upgrade.add_argument("--url", help="database URL (default: $DATABASE_URL or sqlite var/jobrec.db)")
    upgrade.set_defaults(func=db_upgrade_command)


def database_url_from_env() -> str:
    # The database needs no bot token, so read just this key rather than the full Settings.
    return os.environ.get("DATABASE_URL") or str(Settings.model_fields["database_url"].default)


def db_upgrade_command(args: argparse.Namespace) -> int:
    from bot.storage import StorageError, upgrade_database

    url = args.url or database_url_from_env()
    try:
        upgrade_database(url, args.revision)
    except StorageError as exc:
        print(f"jobrec db upgrade: {exc}", file=sys.stderr)
        return EXIT_BAD_SETTINGS
    print(f"database upgraded to {args.revision}")
    return 0


# collector and scheduled jobs (owned by the fresh-data engineer) ---------------


def _delegate(module: str, name: str, subparsers: Any) -> None:
    """Register a subcommand that lives in another part of the bot, if that part exists."""
    try:
        register = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        logger.debug("%s.%s unavailable: %s", module, name, exc)
        return
    register(subparsers)


def register_collect(subparsers: Any) -> None:
    _delegate("bot.collector.cli", "register_collect", subparsers)


def register_import(subparsers: Any) -> None:
    _delegate("bot.collector.cli", "register_import", subparsers)


def register_worker(subparsers: Any) -> None:
    _delegate("bot.jobs.cli", "register_worker", subparsers)
