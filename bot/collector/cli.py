"""`jobrec collect` and `jobrec import`: fill ``collected_vacancies`` from hh.ru or from files."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

from bot.config import Settings, load_settings


def register_collect(subparsers: Any) -> None:
    parser = subparsers.add_parser("collect", help="collect vacancies from the hh.ru API into the database")
    parser.add_argument("--query", default=None, help="search text (default $COLLECT_TEXT)")
    parser.add_argument("--area", action="append", default=None, help="hh area id; repeat for several")
    parser.add_argument("--role", action="append", default=None, help="hh professional_role id; repeatable")
    parser.add_argument("--period", type=int, default=None, help="days back (default $COLLECT_PERIOD_DAYS)")
    parser.add_argument("--limit", type=int, default=None, help="stop after N vacancies (resumable)")
    parser.add_argument("--no-cards", action="store_true", help="store search items only, no card fetches")
    parser.set_defaults(func=collect_command)


def register_import(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import", help="import vacancy files (JSON Lines, .gz, JSON) into the database"
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.set_defaults(func=import_command)


def collect_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings is None:
        return 2
    if not settings.hh_user_agent.strip():
        print("set HH_USER_AGENT to a descriptive 'AppName/1.0 (contact@example.com)': hh.ru requires it",
              file=sys.stderr)  # fmt: skip
        return 2
    return asyncio.run(_collect(settings, args))


async def _collect(settings: Settings, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from tqdm import tqdm

    from bot.collector.collector import Collector
    from bot.collector.hh_client import HHAccessDenied, HHClient
    from bot.collector.progress import ProgressStore
    from bot.jobs.scheduler import collect_request, hh_config
    from bot.storage.db import create_engine, create_sessionmaker, upgrade_database
    from bot.storage.vacancies import VacancyRepository

    await asyncio.to_thread(upgrade_database, settings.database_url)
    engine = create_engine(settings.database_url)
    request = collect_request(settings)
    request = replace(
        request,
        text=args.query if args.query is not None else request.text,
        areas=args.area or request.areas,
        roles=args.role or request.roles,
        period_days=args.period or request.period_days,
        limit=args.limit if args.limit is not None else request.limit,
    )
    try:
        with tqdm(desc="vacancies", unit="vac", total=request.limit) as bar:
            async with HHClient(hh_config(settings)) as client:
                collector = Collector(
                    client,
                    VacancyRepository(create_sessionmaker(engine)),
                    progress=ProgressStore(settings.collect_state_path),
                    fetch_cards=not args.no_cards,
                    on_progress=bar.update,
                )
                stats = await collector.collect(request)
    except HHAccessDenied as exc:
        print(str(exc), file=sys.stderr)
        return 3
    finally:
        await engine.dispose()
    print(stats.summary())
    return 0 if stats.failed_pages == 0 else 1


def import_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings is None:
        return 2
    return asyncio.run(_import(settings, args.files))


async def _import(settings: Settings, files: list[str]) -> int:
    from tqdm import tqdm

    from bot.collector.importer import import_files
    from bot.storage.db import create_engine, create_sessionmaker, upgrade_database
    from bot.storage.vacancies import VacancyRepository

    await asyncio.to_thread(upgrade_database, settings.database_url)
    engine = create_engine(settings.database_url)
    started = time.perf_counter()
    try:
        with tqdm(desc="vacancies", unit="vac") as bar:
            stats = await import_files(
                files, VacancyRepository(create_sessionmaker(engine)), on_progress=bar.update
            )
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    print(f"{stats.summary()} in {time.perf_counter() - started:.1f}s")
    return 0
