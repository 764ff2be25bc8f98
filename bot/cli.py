"""The bot's `jobrec` subcommands: `bot` and `db` here; `collect` and `import` are the
collector's (bot/collector/cli.py), `worker` the scheduled jobs' (bot/jobs/cli.py), `model`
the model versions' (bot/jobs/model_cli.py)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
from typing import Any

from aiogram.exceptions import TelegramAPIError

from bot.collector.cli import register_collect, register_import
from bot.config import MissingToken, Settings, load_settings, require_token
from bot.jobs.cli import register_worker
from bot.jobs.model_cli import register_model
from bot.redaction import install_redaction, redact

__all__ = [
    "register_bot",
    "register_collect",
    "register_db",
    "register_import",
    "register_model",
    "register_webhook",
    "register_worker",
]

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
    parser.add_argument(
        "--webhook",
        action="store_true",
        help="serve Telegram's webhook POSTs on WEBHOOK_LISTEN (a replica; see docs/deploy.md)",
    )
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
    if args.webhook and not settings.webhook_url:
        print("bad settings: WEBHOOK_URL is missing (needed by --webhook)", file=sys.stderr)
        return EXIT_BAD_SETTINGS
    configure_logging(settings.log_level)
    from bot.app import StartupError, run_bot
    from bot.storage import StorageError

    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_bot(settings, use_webhook=args.webhook))
    except (StartupError, StorageError) as exc:
        print(f"jobrec bot: {redact(str(exc))}", file=sys.stderr)
        return EXIT_BAD_SETTINGS
    return 0


# jobrec webhook -----------------------------------------------------------------


def register_webhook(subparsers: Any) -> None:
    parser = subparsers.add_parser("webhook", help="register the webhook with Telegram (once per deploy)")
    parser.add_argument("action", choices=("set", "delete", "info"))
    parser.add_argument("--drop-pending", action="store_true", help="delete: drop updates not yet delivered")
    parser.set_defaults(func=webhook_command)


def webhook_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings is None:
        return EXIT_BAD_SETTINGS
    try:
        require_token(settings)
    except MissingToken as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_SETTINGS
    if args.action == "set" and not settings.webhook_url:
        print("bad settings: WEBHOOK_URL is missing", file=sys.stderr)
        return EXIT_BAD_SETTINGS
    return asyncio.run(_webhook(settings, args.action, args.drop_pending))


async def _webhook(settings: Settings, action: str, drop_pending: bool) -> int:
    from bot.app import create_bot
    from bot.webhook import set_webhook, used_update_types, webhook_info

    bot = create_bot(settings)
    try:
        if action == "set":
            assert settings.webhook_url is not None
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
            updates = used_update_types(settings.admin_ids)
            await set_webhook(bot, settings.webhook_url, secret, updates)
            print(f"webhook set to {settings.webhook_url} for {', '.join(updates)}")
        elif action == "delete":
            await bot.delete_webhook(drop_pending_updates=drop_pending)
            print("webhook deleted; long polling works again")
        else:
            print(json.dumps(await webhook_info(bot), ensure_ascii=False, indent=2))
    except TelegramAPIError as exc:
        print(f"Telegram refused: {exc}", file=sys.stderr)
        return 1
    finally:
        await bot.session.close()
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
