"""`jobrec worker`: the scheduled jobs without the bot, for deployments running several bot copies.

``jobrec worker --once collect|retrain|digest|retrain-check`` runs one job now and exits:
0 when it did its work, 1 when it failed (its one-line reason on stderr), 75 when it did not run
to the end (another process holds its lock, or a SIGTERM stopped it: run it again later).
``--allow-smaller`` lets a retrain replace the serving bundle with one lacking some of its parts.

A running worker first resumes any job whose last run did not finish (its process died), then
follows the schedule. SIGTERM or SIGINT: one INFO line, the running jobs stop at a safe point
within SHUTDOWN_GRACE_SECONDS and are recorded as interrupted with what they finished.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import sys
from typing import Any

from bot.config import Settings, load_settings
from bot.shutdown import stop_on_signals

logger = logging.getLogger(__name__)

JOBS = ("collect", "retrain", "retrain-check", "digest")
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_SETTINGS = 2
EXIT_NOT_RUN = 75  # EX_TEMPFAIL: skipped or stopped, try again later


def register_worker(subparsers: Any) -> None:
    parser = subparsers.add_parser("worker", help="run the scheduled jobs (collect, retrain, digests) alone")
    parser.add_argument("--once", choices=JOBS, default=None, help="run one job now and exit")
    parser.add_argument(
        "--allow-smaller",
        action="store_true",
        help="retrain: accept a bundle lacking a topic model or the salary model the serving one has",
    )
    parser.set_defaults(func=worker_command)


def worker_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings is None:
        return EXIT_BAD_SETTINGS
    if args.allow_smaller:
        settings = settings.model_copy(update={"retrain_allow_smaller": True})
    if settings.bot_token is None:
        logger.warning("BOT_TOKEN is not set: digests are disabled in this worker")
    code = asyncio.run(_run(settings, args.once))
    # As the bot does (bot/app.py): the interpreter's last collection would walk every object of
    # the loaded model, seconds on a busy machine, inside the shutdown grace period.
    gc.freeze()
    return code


def exit_code(outcome: str) -> int:
    from bot.jobs.runner import DONE, FAILED

    return {DONE: EXIT_OK, FAILED: EXIT_FAILED}.get(outcome, EXIT_NOT_RUN)


async def _run(settings: Settings, once: str | None) -> int:
    from bot.jobs.scheduler import setup_scheduler, stop_scheduler
    from bot.services.index_follow import IndexFollower
    from bot.services.model_holder import ModelHolder
    from bot.services.model_watch import ModelWatcher
    from bot.shared_state import connect_redis
    from bot.storage.db import create_engine, create_sessionmaker, upgrade_database

    stop = stop_on_signals()  # one INFO line: a normal stop is no error
    await asyncio.to_thread(upgrade_database, settings.database_url)
    engine = create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    redis = connect_redis(settings.redis_url) if settings.redis_url else None
    holder = ModelHolder()
    # Digests rank with the model; a retrain elsewhere reaches this worker as it reaches the bots.
    watcher = ModelWatcher.for_settings(settings, holder, sessions, redis)
    await watcher.check()
    bot, sent = _bot(settings, redis)
    background: list[asyncio.Task[Any]] = []
    try:
        scheduler = setup_scheduler(
            settings, bot, holder, sessions, start=once is None, redis=redis, sent=sent
        )
        jobs = scheduler.fresh_data  # type: ignore[attr-defined]
        if once is not None:
            job = asyncio.create_task(jobs.run(once))
            await _first(job, stop)
            if not job.done():
                await jobs.runner.stop(settings.shutdown_grace_seconds)
            result = await job
            print(result.line(), file=sys.stdout if result.ok else sys.stderr)
            return exit_code(result.outcome)
        background.append(asyncio.create_task(watcher.run()))
        # digests rank with the served index: it follows the collections as the bots' do
        follower = IndexFollower.for_settings(settings, holder, sessions, redis)
        watcher.prepare = follower.level
        background.append(asyncio.create_task(follower.run()))
        print("worker running; Ctrl+C stops it", file=sys.stderr)
        await stop.wait()
        await stop_scheduler(scheduler, settings.shutdown_grace_seconds)
        return EXIT_OK
    finally:
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        if bot is not None:
            await bot.session.close()
        if redis is not None:
            await redis.aclose()
        await engine.dispose()


async def _first(job: asyncio.Task[Any], stop: asyncio.Event) -> None:
    """Until the job ends or a stop signal comes."""
    waiting = asyncio.create_task(stop.wait())
    await asyncio.wait({job, waiting}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await waiting


def _bot(settings: Settings, redis: Any | None) -> tuple[Any | None, Any | None]:
    """The worker's bot (None without a token: no digests) and the deployment's sent-message
    count its digests are paced by."""
    if settings.bot_token is None:
        return None, None
    from bot.app import count_sent_messages, create_bot

    bot = create_bot(settings)
    return bot, count_sent_messages(bot, redis, settings.redis_prefix)
