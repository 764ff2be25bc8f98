"""APScheduler wiring: collect (cron), retrain (cron, or early when enough is new), digest (tick).

``setup_scheduler(settings, bot, holder, session_factory)`` is what ``jobrec worker`` runs
(and the bot, when ``JOBS_IN_BOT``). Each job has ``max_instances=1`` (a slow run is never
doubled in one process), ``coalesce=True`` (missed runs collapse into one) and a misfire grace
time; and each job body runs only under its deployment-wide lock (``bot.storage.locks``), so a
second worker, or a bot with JOBS_IN_BOT, skips a job another process is running: no digest
goes out twice, two retrains never share a model folder. Digests are sent by one process at
a time, so TELEGRAM_MESSAGES_PER_SECOND is the deployment's digest rate.

Models reach every process through ``bot.services.model_watch`` (not a job here).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from datetime import UTC
from pathlib import Path
from typing import Any, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from redis.asyncio import Redis

from bot.collector.clock import Clock, SystemClock
from bot.collector.collector import Collector, CollectRequest, CollectStats
from bot.collector.hh_client import HHAccessDenied, HHClient, HHClientConfig
from bot.collector.progress import ProgressStore
from bot.config import Settings
from bot.jobs.digest import DigestJob, DigestRunStats
from bot.jobs.retrain import RetrainConfig, Retrainer, RetrainOutcome
from bot.services.index_follow import announce_vacancies
from bot.services.model_holder import ModelHolder
from bot.shared_state import SentMessages, publish_model_version
from bot.storage.digests import DigestRepository
from bot.storage.locks import JobLocks
from bot.storage.model_versions import ModelVersionRepository
from bot.storage.repository import Repository
from bot.storage.vacancies import VacancyRepository

logger = logging.getLogger(__name__)

T = TypeVar("T")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def hh_config(settings: Settings) -> HHClientConfig:
    return HHClientConfig(
        user_agent=settings.hh_user_agent,
        base_url=settings.hh_api_base,
        token=settings.hh_token.get_secret_value() if settings.hh_token else None,
        rate_limit=settings.hh_rate_limit,
        concurrency=settings.hh_concurrency,
        timeout=settings.hh_timeout,
    )


def collect_request(settings: Settings) -> CollectRequest:
    return CollectRequest(
        text=settings.collect_text,
        areas=split_list(settings.collect_areas),
        roles=split_list(settings.collect_roles),
        period_days=settings.collect_period_days,
        limit=settings.collect_limit,
    )


def retrain_config(settings: Settings) -> RetrainConfig:
    return RetrainConfig(
        model_dir=Path(settings.model_dir),
        base_data=[p for p in settings.data_path.split(os.pathsep) if p],
        models=settings.retrain_models,
        salary=settings.retrain_salary,
        tolerance=settings.quality_tolerance,
        timeout=settings.retrain_timeout_seconds,
    )


class FreshDataJobs:
    """The job bodies; each logs and swallows its own failures so the scheduler keeps running,
    and each runs only while this process holds the job's lock (None when another one does)."""

    def __init__(
        self,
        settings: Settings,
        bot: Any | None,
        holder: ModelHolder,
        session_factory: Any,
        *,
        clock: Clock | None = None,
        redis: Redis | None = None,
        sent: SentMessages | None = None,
    ) -> None:
        self.settings = settings
        self.holder = holder
        self.redis = redis
        self.clock = clock or SystemClock()
        self.locks = JobLocks(session_factory.kw["bind"])
        self.vacancies = VacancyRepository(session_factory)
        self.versions = ModelVersionRepository(session_factory)

        async def announce(version: str) -> None:
            await publish_model_version(redis, settings.redis_prefix, version)

        self.retrainer = Retrainer(
            retrain_config(settings), self.vacancies, holder, versions=self.versions, announce=announce
        )
        self.digest_job = (
            DigestJob(
                bot,
                holder,
                DigestRepository(session_factory),
                self.vacancies,
                Repository(session_factory),
                messages_per_second=settings.telegram_messages_per_second,
                clock=self.clock,
                sent=sent,
            )
            if bot is not None
            else None
        )

    async def _locked(self, name: str, body: Callable[[], Awaitable[T]]) -> T | None:
        async with self.locks.hold(name) as mine:
            if not mine:
                logger.info("%s skipped: another process is running it", name)
                return None
            return await body()

    async def collect(self) -> CollectStats | None:
        return await self._locked("collect", self._collect)

    async def _collect(self) -> CollectStats | None:
        if not self.settings.hh_user_agent.strip():
            logger.error("collect skipped: set HH_USER_AGENT to 'AppName/1.0 (contact@example.com)'")
            return None
        try:
            async with HHClient(hh_config(self.settings), clock=self.clock) as client:
                progress = ProgressStore(self.settings.collect_state_path)
                stats = await Collector(client, self.vacancies, progress=progress).collect(
                    collect_request(self.settings)
                )
        except HHAccessDenied as exc:
            logger.error("collect stopped: %s", exc)
            return None
        await announce_vacancies(self.redis, self.settings.redis_prefix)  # every index catches up
        await self.retrain_if_enough_new()
        return stats

    async def retrain(self) -> RetrainOutcome | None:
        return await self._locked("retrain", lambda: self.retrainer.retrain("scheduled"))

    async def retrain_if_enough_new(self) -> RetrainOutcome | None:
        if self.retrainer.running:
            return None
        return await self._locked("retrain", self._retrain_if_enough_new)

    async def _retrain_if_enough_new(self) -> RetrainOutcome | None:
        fresh = await self.retrainer.new_since_current()
        if fresh < self.settings.retrain_min_new:
            logger.debug("retrain not needed: %d new vacancies (< %d)", fresh, self.settings.retrain_min_new)
            return None
        return await self.retrainer.retrain(f"{fresh} new vacancies")

    async def digest(self) -> DigestRunStats | None:
        digest_job = self.digest_job
        if digest_job is None:
            return None
        return await self._locked("digest", digest_job.tick)


def setup_scheduler(
    settings: Settings,
    bot: Any | None,
    holder: ModelHolder,
    session_factory: Any,
    *,
    start: bool = True,
    clock: Clock | None = None,
    redis: Redis | None = None,
    sent: SentMessages | None = None,
) -> AsyncIOScheduler:
    """Build (and by default start) the scheduler; the jobs object is ``scheduler.fresh_data``.

    ``bot`` is an aiogram Bot (or anything with ``send_message``); None disables digests.
    Call from inside the running event loop.
    """
    jobs = FreshDataJobs(settings, bot, holder, session_factory, clock=clock, redis=redis, sent=sent)
    scheduler = AsyncIOScheduler(timezone=UTC)
    common: dict[str, Any] = {
        "max_instances": 1,
        "coalesce": True,
        "misfire_grace_time": settings.job_misfire_grace_seconds,
        "replace_existing": True,
    }
    scheduler.add_job(
        jobs.collect, CronTrigger.from_crontab(settings.collect_cron, timezone=UTC), id="collect", **common
    )
    scheduler.add_job(
        jobs.retrain, CronTrigger.from_crontab(settings.retrain_cron, timezone=UTC), id="retrain", **common
    )
    scheduler.add_job(
        jobs.retrain_if_enough_new,
        IntervalTrigger(minutes=settings.retrain_check_minutes, timezone=UTC),
        id="retrain_check",
        **common,
    )
    if bot is not None:
        tick = IntervalTrigger(seconds=settings.digest_tick_seconds, timezone=UTC)
        scheduler.add_job(jobs.digest, tick, id="digest", **common)
    scheduler.fresh_data = jobs  # type: ignore[attr-defined]
    if start:
        scheduler.start()
    logger.info("scheduler: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    return scheduler
