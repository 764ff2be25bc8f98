"""Assembling and running the bot: database, model, dispatcher, polling."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, methods
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramNetworkError,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods.base import Response, TelegramMethod
from aiogram.types import BotCommand
from redis.asyncio import Redis

from bot import webhook
from bot.config import Settings, require_token
from bot.errors import handle_error
from bot.handlers import build_root_router
from bot.jobs.scheduler import setup_scheduler, stop_scheduler
from bot.middlewares.context import CaptionAsTextMiddleware, ContextMiddleware, DiskWatch
from bot.middlewares.retry import RetryAfterMiddleware
from bot.middlewares.sent import CountSentMessages
from bot.middlewares.throttling import FloodStore, MemoryFloodStore, RedisFloodStore, ThrottlingMiddleware
from bot.polling import DEFAULT_PROBATION_SECONDS, AnotherPoller, Poller
from bot.redaction import install_redaction, redact
from bot.runtime import BotRuntime
from bot.services.advisor import Advisor
from bot.services.digests import DigestPreview
from bot.services.formatting import esc
from bot.services.index_follow import IndexFollower
from bot.services.model_holder import ModelHolder
from bot.services.model_watch import ModelWatcher
from bot.shared_state import SentMessages, UpdateDedupe, connect_redis, events_isolation, fsm_storage
from bot.shutdown import stop_on_signals
from bot.storage import (
    Repository,
    StorageFull,
    check_readable,
    check_writable,
    create_engine,
    create_sessionmaker,
    upgrade_database,
)
from bot.storage.digests import DigestRepository
from bot.storage.handled_updates import HandledUpdates
from bot.storage.model_versions import ModelVersionRepository
from bot.storage.sources import SourceStateRepository
from bot.storage.vacancies import VacancyRepository
from bot.texts import t
from recommender.bundle import Bundle, BundleError, has_bundle, load_bundle

logger = logging.getLogger(__name__)

# Waits between attempts to reach the Bot API at start-up: 1, 2, 4 … seconds, at most a minute.
FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 60.0


class StartupError(Exception):
    """The bot cannot start; the message is the one line an operator sees."""


COMMANDS = ("start", "skills", "jobs", "salary", "digest", "saved", "settings", "forget", "help", "cancel")


def load_bundle_or_none(model_dir: Path) -> Bundle | None:
    """The bundle in ``model_dir``, or None (logged) when there is none yet or it is broken."""
    if not has_bundle(model_dir):
        logger.warning(
            "no model bundle in %s yet: answers say it is training (run `jobrec train`)", model_dir
        )
        return None
    try:
        bundle = load_bundle(model_dir).warm()  # its titles read here, not in the first answers
    except BundleError as exc:  # damaged or incompatible: the model watcher says so, once
        logger.debug("model bundle in %s not loaded at start: %s", model_dir, exc)
        return None
    logger.info("model bundle %s loaded from %s", getattr(bundle, "version", "?"), model_dir)
    return bundle


# aiogram parses every Bot API reply as ``Response[<the method's result type>]``, a pydantic
# generic class that pydantic caches only weakly: once garbage-collected it is rebuilt, schema
# and all (~5 ms each time on this machine, several times a second under load). Holding one
# per result type for the process's lifetime makes each reply a cache hit.
_RESPONSE_MODELS: list[Any] = []


def keep_response_models() -> None:
    if _RESPONSE_MODELS:
        return
    results = {}
    for name in methods.__all__:
        method = getattr(methods, name)
        if isinstance(method, type) and issubclass(method, TelegramMethod) and method is not TelegramMethod:
            results[repr(method.__returning__)] = method.__returning__
    _RESPONSE_MODELS.extend(Response[result] for result in results.values())  # type: ignore[valid-type]


def create_bot(settings: Settings) -> Bot:
    keep_response_models()
    token = require_token(settings)
    install_redaction([token])  # aiogram and aiohttp write it in URLs and errors
    api = TelegramAPIServer.from_base(settings.telegram_api_base) if settings.telegram_api_base else None
    session = AiohttpSession(api=api) if api else AiohttpSession()
    session.middleware(RetryAfterMiddleware())
    return Bot(
        token=token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def count_sent_messages(bot: Bot, redis: Redis | None, prefix: str) -> SentMessages:
    """The deployment's count of sent messages, fed by every message this bot sends: digests
    leave room under Telegram's overall limit for the answers of every replica."""
    sent = SentMessages(redis, prefix)
    bot.session.middleware(CountSentMessages(sent))
    return sent


def build_dispatcher(
    settings: Settings,
    repo: Repository,
    holder: ModelHolder,
    digest_preview: DigestPreview | None = None,
    redis: Redis | None = None,
) -> Dispatcher:
    # Event isolation handles one update per user at a time: a button pressed twice fast is
    # seen the second time in the state the first press left. With Redis, on every replica.
    storage = fsm_storage(redis, prefix=settings.redis_prefix, ttl_seconds=settings.fsm_ttl_seconds)
    isolation = events_isolation(storage, lease=settings.update_lease_seconds)
    dp = Dispatcher(storage=storage, events_isolation=isolation)
    # App-wide objects are the dispatcher's workflow data (handlers, filters and the error
    # handler all receive them); middlewares add only per-update values (profile, lang).
    dp["holder"] = holder
    throttle = ThrottlingMiddleware(
        settings.rate_limit_count, settings.rate_limit_window, store=flood_store(settings, redis)
    )
    dp["flood_store"] = throttle.store
    dp["disk"] = disk = DiskWatch()
    advisor = Advisor(holder, salary_money=settings.salary_money)
    context = ContextMiddleware(repo, disk)
    for observer in (dp.message, dp.callback_query):
        observer.outer_middleware(throttle)
        observer.outer_middleware(context)
    dp.message.outer_middleware(CaptionAsTextMiddleware())
    dp.errors.register(handle_error)
    dp["repo"] = repo
    dp["advisor"] = advisor
    dp["digest_preview"] = digest_preview
    dp.include_router(build_root_router(settings.admin_ids))
    return dp


def flood_store(settings: Settings, redis: Redis | None) -> FloodStore:
    """Redis when replicas share users (REDIS_URL), else this process's memory."""
    if redis is not None:
        return RedisFloodStore(redis, prefix=f"{settings.redis_prefix}:flood:")
    return MemoryFloodStore()


async def set_commands(bot: Bot) -> None:
    """The command menu: English by default, Russian for Russian-language clients."""
    for lang, code in (("en", None), ("ru", "ru")):
        commands = [BotCommand(command=c, description=t(lang, f"cmd_{c}")) for c in COMMANDS]
        await bot.set_my_commands(commands, language_code=code)


async def create_runtime(settings: Settings, *, holder: ModelHolder | None = None) -> BotRuntime:
    await asyncio.to_thread(upgrade_database, settings.database_url)
    engine = create_engine(settings.database_url, pool_size=settings.database_pool_size)
    full_at_start = await writable_or_full(engine)
    sessions = create_sessionmaker(engine)
    repo = Repository(sessions)
    holder = holder or ModelHolder()
    if holder.current is None:
        bundle = await asyncio.to_thread(load_bundle_or_none, settings.model_dir)
        if bundle is not None:
            holder.swap(bundle)
    bot = create_bot(settings)
    redis = connect_redis(settings.redis_url) if settings.redis_url else None
    dedupe = UpdateDedupe(
        redis, prefix=settings.redis_prefix, bot_id=bot.id, lease=settings.update_claim_seconds
    )
    tick = timedelta(seconds=settings.digest_tick_seconds)
    preview = DigestPreview(holder, DigestRepository(sessions), VacancyRepository(sessions), repo, tick)
    dispatcher = build_dispatcher(settings, repo, holder, preview, redis)
    dispatcher["versions"] = ModelVersionRepository(sessions)  # /stats: the gate's decision
    dispatcher["sources"] = SourceStateRepository(sessions)  # /stats: each source's last collection
    sent = count_sent_messages(bot, redis, settings.redis_prefix)
    runtime = BotRuntime(settings, bot, dispatcher, repo, holder, engine, sessions, redis, dedupe, sent)
    runtime.full_at_start = full_at_start
    return runtime


async def writable_or_full(engine: Any) -> StorageFull | None:
    """Fail at start on a database that cannot take writes (read-only file or replica), except
    for a full disk: a running bot answers read-only then, so a starting one does too."""
    try:
        await check_writable(engine)
        return None
    except StorageFull as error:
        full = error
    except BaseException:
        await engine.dispose()
        raise
    try:
        await check_readable(engine)  # unreadable as well: nothing could be answered truthfully
    except BaseException:
        await engine.dispose()
        raise
    logger.warning("%s; starting read-only: answers go on, writes wait for space", full)
    return full


async def wait_for_api(
    bot: Bot, *, first_delay: float = FIRST_RETRY_SECONDS, attempts: int | None = None
) -> None:
    """Reach the Bot API, retrying with backoff while it is down; a rejected token is fatal."""
    delay, attempt = first_delay, 0
    while True:
        attempt += 1
        try:
            me = await bot.get_me()
        except TelegramUnauthorizedError as exc:
            raise StartupError("BOT_TOKEN was rejected by Telegram (revoked or mistyped?)") from exc
        except (TelegramNetworkError, TelegramServerError) as exc:
            if attempts is not None and attempt >= attempts:
                raise StartupError(redact(f"the Telegram Bot API is unreachable: {exc}")) from exc
            logger.warning(
                "Telegram Bot API unreachable (attempt %d: %s); retrying in %.0f s", attempt, exc, delay
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)
            continue
        logger.info("connected to the Bot API as @%s", me.username)
        return


async def serve(
    runtime: BotRuntime,
    *,
    handle_signals: bool = True,
    polling_timeout: int = 30,
    probation: float = DEFAULT_PROBATION_SECONDS,
) -> None:
    """Long polling until stopped (SIGINT/SIGTERM, or ``runtime.stop()``): the updates in hand
    finish within SHUTDOWN_GRACE_SECONDS or go back to Telegram (``bot.polling``)."""
    if handle_signals:
        stop_on_signals(runtime.stopping)
    await start_background(runtime)
    poller = Poller(
        runtime.dispatcher,
        runtime.bot,
        grace=runtime.settings.shutdown_grace_seconds,
        polling_timeout=polling_timeout,
        probation=probation,
        dedupe=runtime.dedupe if runtime.redis is not None else None,
        # without Redis, handled updates a restart would see again are recorded in the database
        handled=HandledUpdates(runtime.sessions, runtime.bot.id) if runtime.redis is None else None,
        allowed_updates=runtime.dispatcher.resolve_used_update_types(),
    )
    dispatcher = runtime.dispatcher
    try:
        await dispatcher.emit_startup(bot=runtime.bot, **dispatcher.workflow_data)
        try:
            await poller.run(runtime.stopping)
        except AnotherPoller as exc:
            raise StartupError(str(exc)) from None
        except TelegramUnauthorizedError as exc:
            raise StartupError("BOT_TOKEN was rejected by Telegram while polling (revoked?)") from exc
    finally:
        await close(runtime)
    logger.info("long polling stopped")


async def serve_webhook(runtime: BotRuntime, stop: asyncio.Event | None = None) -> None:
    """Webhook replica until stopped (SIGINT/SIGTERM, or ``stop``)."""
    if stop is None:
        stop = stop_on_signals(runtime.stopping)
    await start_background(runtime)
    try:
        await webhook.serve_webhook(runtime, stop)
    finally:
        await close(runtime)


async def start_background(runtime: BotRuntime) -> None:
    """Reach the Bot API (closing the runtime if it cannot), set the menu, follow the model."""
    try:
        await wait_for_api(runtime.bot)
        await set_commands(runtime.bot)
    except BaseException:
        await close(runtime)
        raise
    watcher = ModelWatcher.for_settings(runtime.settings, runtime.holder, runtime.sessions, runtime.redis)
    watcher.on_problem = lambda problem: notify_admins(runtime, "admin_model_broken", problem)
    runtime.dispatcher["disk"].on_full = lambda problem: notify_admins(runtime, "admin_disk_full", problem)
    if runtime.full_at_start is not None:  # the admins are told now, once, as for a disk filling later
        await runtime.dispatcher["disk"].failed(runtime.full_at_start)
    # Answers never show a vacancy closed since the bundle's training: the index is level with
    # the database before the first answer, and every new model is levelled before it is served.
    follower = IndexFollower.for_settings(runtime.settings, runtime.holder, runtime.sessions, runtime.redis)
    watcher.prepare = follower.level
    await follower.catch_up_or_log()
    # a model that will not load is known before the first update: answers say it is unavailable,
    # not "still training"
    await watcher.check_logged()
    runtime.tasks.append(asyncio.create_task(watcher.run()))
    runtime.tasks.append(asyncio.create_task(follower.run()))


async def notify_admins(runtime: BotRuntime, key: str, problem: str) -> None:
    """Tell the admins (once per problem: the callers call this when it changes)."""
    text = t("ru", key, problem=esc(problem))
    for admin_id in sorted(runtime.settings.admin_ids):
        try:
            await runtime.bot.send_message(admin_id, text)
        except TelegramAPIError as exc:  # an admin who never started the bot, or blocked it
            logger.warning("could not notify admin %s: %s", admin_id, exc)


async def close(runtime: BotRuntime) -> None:
    """After the updates in hand: the background tasks first (the model listener uses Redis),
    then the dispatcher's shutdown (it closes the FSM storage, and with it the Redis client)."""
    for task in runtime.tasks:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    runtime.tasks.clear()
    await runtime.dispatcher.emit_shutdown(bot=runtime.bot, **runtime.dispatcher.workflow_data)
    await runtime.dispatcher["flood_store"].close()
    await runtime.dispatcher.storage.close()
    await runtime.dispatcher.fsm.events_isolation.close()
    if runtime.redis is not None:
        await runtime.redis.aclose()
    await runtime.bot.session.close()
    await runtime.engine.dispose()


def start_jobs(runtime: BotRuntime) -> Any:
    """The collector, retraining and digests in this process (JOBS_IN_BOT)."""
    return setup_scheduler(
        runtime.settings,
        runtime.bot,
        runtime.holder,
        runtime.sessions,
        redis=runtime.redis,
        sent=runtime.sent,
    )


async def run_bot(settings: Settings, *, use_webhook: bool = False) -> None:
    """`jobrec bot [--webhook]`: migrations, model, scheduled jobs (unless JOBS_IN_BOT=false),
    then long polling or the webhook server."""
    runtime = await create_runtime(settings)
    scheduler = start_jobs(runtime) if settings.jobs_in_bot else None
    try:
        if use_webhook:
            await serve_webhook(runtime)
        else:
            await serve(runtime)
    finally:
        if scheduler is not None:
            await stop_scheduler(scheduler, settings.shutdown_grace_seconds)
        # The interpreter's last garbage collection walks every object of sklearn, scipy, pandas
        # and the bundle: seconds on a busy machine, all of them inside the shutdown grace
        # period. Frozen objects are skipped; the process is ending, nothing leaks.
        gc.freeze()
