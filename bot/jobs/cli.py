"""`jobrec worker`: the scheduled jobs without the bot, for deployments running several bot copies.

``jobrec worker --once collect|retrain|digest|retrain-check`` runs one job now and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import Any

from bot.config import Settings, load_settings

logger = logging.getLogger(__name__)

JOBS = ("collect", "retrain", "retrain-check", "digest")


def register_worker(subparsers: Any) -> None:
    parser = subparsers.add_parser("worker", help="run the scheduled jobs (collect, retrain, digests) alone")
    parser.add_argument("--once", choices=JOBS, default=None, help="run one job now and exit")
    parser.set_defaults(func=worker_command)


def worker_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings is None:
        return 2
    if settings.bot_token is None:
        logger.warning("BOT_TOKEN is not set: digests are disabled in this worker")
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(_run(settings, args.once))
    return 0


async def _run(settings: Settings, once: str | None) -> int:
    from bot.jobs.scheduler import setup_scheduler
    from bot.services.index_follow import IndexFollower
    from bot.services.model_holder import ModelHolder
    from bot.services.model_watch import ModelWatcher
    from bot.shared_state import connect_redis
    from bot.storage.db import create_engine, create_sessionmaker, upgrade_database

    await asyncio.to_thread(upgrade_database, settings.database_url)
    engine = create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    redis = connect_redis(settings.redis_url) if settings.redis_url else None
    holder = ModelHolder()
    # Digests rank with the model; a retrain elsewhere reaches this worker as it reaches the bots.
    watcher = ModelWatcher.for_settings(settings, holder, sessions, redis)
    await watcher.check()
    bot, sent = _bot(settings, redis)
    watching: asyncio.Task[None] | None = None
    following: asyncio.Task[None] | None = None
    try:
        scheduler = setup_scheduler(
            settings, bot, holder, sessions, start=once is None, redis=redis, sent=sent
        )
        jobs = scheduler.fresh_data  # type: ignore[attr-defined]
        if once is not None:
            run = {"collect": jobs.collect, "retrain": jobs.retrain,
                   "retrain-check": jobs.retrain_if_enough_new, "digest": jobs.digest}[once]  # fmt: skip
            result = await run()
            print(result)
            return 0
        watching = asyncio.create_task(watcher.run())
        # digests rank with the served index: it follows the collections as the bots' do
        following = asyncio.create_task(IndexFollower.for_settings(settings, holder, sessions, redis).run())
        await _wait_for_signal()
        scheduler.shutdown(wait=False)
        return 0
    finally:
        for task in (watching, following):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if bot is not None:
            await bot.session.close()
        if redis is not None:
            await redis.aclose()
        await engine.dispose()


def _bot(settings: Settings, redis: Any | None) -> tuple[Any | None, Any | None]:
    """The worker's bot (None without a token: no digests) and the deployment's sent-message
    count its digests are paced by."""
    if settings.bot_token is None:
        return None, None
    from bot.app import count_sent_messages, create_bot

    bot = create_bot(settings)
    return bot, count_sent_messages(bot, redis, settings.redis_prefix)


async def _wait_for_signal() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    print("worker running; Ctrl+C stops it", file=sys.stderr)
    await stop.wait()
