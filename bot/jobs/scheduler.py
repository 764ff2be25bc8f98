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

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from redis.asyncio import Redis

from bot.collector.clock import Clock, SystemClock
from bot.collector.run import CollectionRun, configured_sources
from bot.config import Settings
from bot.jobs.digest import DigestJob
from bot.jobs.retrain import RetrainConfig, Retrainer, RetrainOutcome, clean_staging
from bot.jobs.runner import SKIPPED, JobFailed, JobInterrupted, JobResult, JobRunner
from bot.services.index_follow import announce_vacancies
from bot.services.model_holder import ModelHolder
from bot.shared_state import SentMessages, publish_model_version
from bot.storage.digests import DigestRepository
from bot.storage.job_runs import JobRunRepository
from bot.storage.locks import JobLocks
from bot.storage.model_versions import ModelVersionRepository
from bot.storage.repository import Repository
from bot.storage.vacancies import VacancyRepository

logger = logging.getLogger(__name__)


def retrain_config(settings: Settings) -> RetrainConfig:
    return RetrainConfig(
        model_dir=Path(settings.model_dir),
        base_data=list(settings.data_paths),
        models=settings.retrain_models,
        salary=settings.retrain_salary,
        tolerance=settings.quality_tolerance,
        timeout=settings.retrain_timeout_seconds,
        allow_smaller=settings.retrain_allow_smaller,
        history_months=settings.training_history_months,
    )


class FreshDataJobs:
    """The job bodies, each run by ``self.runner``: only while this process holds the job's
    lock, recorded in ``job_runs``, with a ``JobResult`` (done, failed, skipped, interrupted)
    whatever happens, so the scheduler keeps running and `jobrec worker --once` exits honestly."""

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
        self.session_factory = session_factory
        self.runner = JobRunner(
            JobLocks(session_factory.kw["bind"]), JobRunRepository(session_factory), cooperative={"digest"}
        )
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

    def bodies(self) -> dict[str, tuple[str, Callable[[], Awaitable[tuple[str, Any]]]]]:
        """job name -> (its lock, its body)."""
        return {
            "collect": ("collect", self._collect),
            "retrain": ("retrain", self._retrain),
            "retrain-check": ("retrain", self._retrain_if_enough_new),
            "digest": ("digest", self._digest),
        }

    async def run(self, job: str) -> JobResult:
        lock, body = self.bodies()[job]
        return await self.runner.run(job, body, lock=lock)

    async def collect(self) -> JobResult:
        return await self.run("collect")

    async def retrain(self) -> JobResult:
        return await self.run("retrain")

    async def retrain_if_enough_new(self) -> JobResult:
        if self.retrainer.running:
            return JobResult("retrain-check", SKIPPED, "a retrain is running in this process")
        return await self.run("retrain-check")

    async def digest(self) -> JobResult:
        return await self.run("digest")

    async def resume_unfinished(self) -> list[JobResult]:
        """At start: clear what a dead retrain left in staging, then run every job whose last run
        did not finish (each under its lock, so never one still running elsewhere)."""
        async with self.runner.locks.hold("retrain") as mine:
            if mine:
                await asyncio.to_thread(clean_staging, self.retrainer.config.model_dir)
        results = []
        for job, (lock, body) in self.bodies().items():
            if job == "digest" and self.digest_job is None:
                continue  # a process without the bot leaves digests to one with it
            result = await self.runner.resume(job, body, lock=lock)
            if result.outcome != SKIPPED:
                results.append(result)
        return results

    async def _collect(self) -> tuple[str, Any]:
        """Every configured source in turn (bot/collector/run.py): one failing never stops the
        others; the job fails when any did, its line naming each source's outcome."""
        stored = 0

        def progress_of(source: str) -> Callable[[int], None]:
            def progress(count: int) -> None:
                nonlocal stored
                stored += count
                self.runner.note_progress("collect", f"{stored} seen ({source}); the next run resumes")

            return progress

        run = CollectionRun(self.settings, self.session_factory, clock=self.clock, progress_bar=progress_of)
        results = await run.run(configured_sources(self.settings))
        for stats in results:
            (logger.info if stats.ok else logger.error)("collect %s", stats.summary())
        await announce_vacancies(self.redis, self.settings.redis_prefix)  # every index catches up
        check = await self.retrain_if_enough_new()
        follow = f"; retrain-check: {check.outcome}: {check.summary}" if check.outcome != SKIPPED else ""
        summary = "; ".join(stats.summary() for stats in results) or "no source in COLLECT_SOURCES"
        if not results or not all(stats.ok for stats in results):
            raise JobFailed(summary + follow)
        return summary + follow, results

    async def _retrain(self) -> tuple[str, Any]:
        return _retrained(await self.retrainer.retrain("scheduled"))

    async def _retrain_if_enough_new(self) -> tuple[str, Any]:
        fresh = await self.retrainer.new_since_current()
        if fresh < self.settings.retrain_min_new:
            return f"not needed: {fresh} new vacancies (< {self.settings.retrain_min_new})", None
        return _retrained(await self.retrainer.retrain(f"{fresh} new vacancies"))

    async def _digest(self) -> tuple[str, Any]:
        if self.digest_job is None:
            raise JobFailed("BOT_TOKEN is not set: no digests from this process")
        stats = await self.digest_job.tick(stop=self.runner.stopping)
        if stats.stopped:
            raise JobInterrupted(stats.summary())
        return stats.summary(), stats


def _retrained(outcome: RetrainOutcome) -> tuple[str, Any]:
    if outcome.status == "failed":
        raise JobFailed(outcome.reason)
    return f"{outcome.status} {outcome.version}: {outcome.reason}", outcome


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
    Started, it first resumes the jobs whose last run did not finish (``resume_unfinished``).

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
        # Once, now: a job whose last run did not finish runs again instead of waiting for its time.
        scheduler.add_job(jobs.resume_unfinished, id="resume", next_run_time=datetime.now(UTC), **common)
        scheduler.start()
    logger.info("scheduler: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    return scheduler


async def stop_scheduler(scheduler: AsyncIOScheduler, grace: float) -> None:
    """No new runs; the running jobs stop at a safe point within ``grace`` seconds, recorded."""
    scheduler.shutdown(wait=False)
    await scheduler.fresh_data.runner.stop(grace)  # type: ignore[attr-defined]
