"""`jobrec collect` and `jobrec import`: fill ``collected_vacancies`` from hh.ru and Работа России,
or from files.

Exit codes of `jobrec collect`: 0 every source done, 1 some pages failed (the next run retries
them), 2 a setting is missing, 3 a source stopped the run (refused, or asked to wait too long).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

from bot.config import Settings, load_settings


def register_collect(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "collect", help="collect vacancies from hh.ru and Работа России into the database"
    )
    parser.add_argument(
        "--source",
        choices=("hh", "trudvsem", "all"),
        default="all",
        help="which source (default: all of $COLLECT_SOURCES)",
    )
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
    from bot.collector.run import configured_sources, refusal

    settings = load_settings()
    if settings is None:
        return 2
    sources = configured_sources(settings) if args.source == "all" else [args.source]
    if not sources:
        print("COLLECT_SOURCES names no source: set it to hh, trudvsem or both", file=sys.stderr)
        return 2
    for source in sources:
        refused = refusal(settings, source)
        if refused is not None:
            print(refused, file=sys.stderr)
            return 2
    return asyncio.run(_collect(settings, args, sources))


async def _collect(settings: Settings, args: argparse.Namespace, sources: list[str]) -> int:
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    from bot.collector.run import CollectionRun, collect_request, with_overrides
    from bot.collector.status import SOURCE_NAMES
    from bot.storage.db import create_engine, create_sessionmaker, upgrade_database

    await asyncio.to_thread(upgrade_database, settings.database_url)
    engine = create_engine(settings.database_url)
    request = with_overrides(
        collect_request(settings),
        text=args.query,
        areas=args.area,
        roles=args.role,
        period_days=args.period,
        limit=args.limit,
    )
    bars: list[tqdm[Any]] = []

    def progress_bar(source: str) -> Any:
        # disable=None: no bar when stderr is not a terminal (a log file gets log lines only)
        bar = tqdm(
            desc=SOURCE_NAMES[source], unit="vac", total=request.limit, position=len(bars), disable=None
        )
        bars.append(bar)
        return bar.update

    run = CollectionRun(
        settings,
        create_sessionmaker(engine),
        request=request,
        fetch_cards=not args.no_cards,
        progress_bar=progress_bar,
    )
    try:
        # Log lines go above the bars (tqdm.write), never glued onto a bar's line.
        with logging_redirect_tqdm():
            results = await run.run(sources)
    finally:
        for bar in bars:
            bar.close()
        await engine.dispose()
    for stats in results:
        print(stats.summary())
    if any(stats.error is not None for stats in results):
        return 3
    return 0 if all(stats.ok for stats in results) else 1


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
