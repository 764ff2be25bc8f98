"""One way to run a scheduled job: under its deployment-wide lock, recorded in ``job_runs``,
with an honest outcome, and stopped at a safe point when the process shuts down.

- ``JobRunner.run(job, body)``: skips at once when another process holds the job's lock;
  otherwise records the run's start, runs ``body`` and records how it ended. ``body`` returns
  ``(summary, value)``, or raises ``JobFailed`` with its one-line reason. The outcome is a
  ``JobResult``: done, failed, skipped or interrupted. ``jobrec worker --once`` turns it into
  the exit code.
- ``JobRunner.stop(grace)``: at SIGTERM. Cooperative jobs (the digest, which checks
  ``stopping`` between two users, so its sent log stays exact) get ``grace`` seconds to reach
  their next safe point; the others are cancelled at once, where cancelling is safe (a collect
  keeps what it stored and its saved progress; a retrain kills its child and drops its staging
  folder). Each run is recorded as interrupted with what it finished; no traceback.
- ``JobRunner.resume(job, body)``: at the worker's start, runs the job now if its last run did
  not finish (its process died or was stopped), instead of waiting for the next scheduled time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any

from bot.storage.job_runs import INTERRUPTED, JobRunRepository
from bot.storage.locks import JobLocks

logger = logging.getLogger(__name__)

DONE = "done"
FAILED = "failed"
SKIPPED = "skipped"
__all__ = [
    "DONE", "FAILED", "INTERRUPTED", "SKIPPED", "JobFailed", "JobInterrupted", "JobResult", "JobRunner",
]  # fmt: skip

Body = Callable[[], Awaitable[tuple[str, Any]]]


class JobFailed(Exception):
    """The job could not do its work; the message is its one-line reason."""


class JobInterrupted(Exception):
    """A cooperative job stopped at a safe point for the shutdown; the message is what it finished."""


@dataclass(frozen=True)
class JobResult:
    job: str
    outcome: str  # DONE | FAILED | SKIPPED | INTERRUPTED
    summary: str
    value: Any = None  # the job's own statistics (CollectStats, RetrainOutcome, DigestRunStats)

    @property
    def ok(self) -> bool:
        return self.outcome == DONE

    def line(self) -> str:
        return f"{self.job}: {self.outcome}: {self.summary}"


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class JobRunner:
    def __init__(self, locks: JobLocks, runs: JobRunRepository, *, cooperative: Collection[str] = ()) -> None:
        self.locks = locks
        self.runs = runs
        self.cooperative = frozenset(cooperative)
        self.stopping = asyncio.Event()
        self._running: dict[str, asyncio.Task[Any]] = {}
        self._finished: dict[str, str] = {}  # what a job reported before it was stopped

    def note_progress(self, job: str, finished: str) -> None:
        """What the running ``job`` has finished so far: recorded if it is stopped."""
        self._finished[job] = finished

    async def run(
        self, job: str, body: Body, *, lock: str | None = None, reason: str = "scheduled"
    ) -> JobResult:
        return await self._run(job, body, lock=lock or job, reason=reason, only_if_unfinished=False)

    async def resume(self, job: str, body: Body, *, lock: str | None = None) -> JobResult:
        return await self._run(job, body, lock=lock or job, reason="resumed", only_if_unfinished=True)

    async def _run(
        self, job: str, body: Body, *, lock: str, reason: str, only_if_unfinished: bool
    ) -> JobResult:
        if self.stopping.is_set():
            return JobResult(job, SKIPPED, "the process is stopping")
        async with self.locks.hold(lock) as mine:
            if not mine:
                logger.info("%s skipped: another process is running it", job)
                return JobResult(job, SKIPPED, "another process is running it")
            if only_if_unfinished:
                last = await self.runs.last(job)
                if last is None or not last.unfinished:
                    return JobResult(job, SKIPPED, "its last run finished")
                await self.runs.close_dead(job)
                reason = f"resumed: the run started {last.started_at:%Y-%m-%d %H:%M} UTC did not finish"
                logger.info("%s %s", job, reason)
            return await self._recorded(job, body, reason)

    async def _recorded(self, job: str, body: Body, reason: str) -> JobResult:
        run_id = await self.runs.start(job, reason)
        task = asyncio.current_task()
        if task is not None:
            self._running[job] = task
        self._finished.pop(job, None)
        try:
            summary, value = await body()
            result = JobResult(job, DONE, summary, value)
        except asyncio.CancelledError:
            if not self.stopping.is_set():  # not our shutdown: someone else's cancellation
                await asyncio.shield(self.runs.finish(run_id, INTERRUPTED, "cancelled"))
                raise
            if task is not None:
                task.uncancel()  # our own stop, handled here: later awaits in this task run normally
            finished = self._finished.get(job)
            summary = f"stopped by the shutdown after {finished}" if finished else "stopped by the shutdown"
            result = JobResult(job, INTERRUPTED, summary)
            logger.info("%s %s", job, result.summary)
        except JobInterrupted as exc:
            result = JobResult(job, INTERRUPTED, f"stopped by the shutdown after {exc}")
            logger.info("%s %s", job, result.summary)
        except JobFailed as exc:
            result = JobResult(job, FAILED, " ".join(str(exc).split()))
            logger.error("%s failed: %s", job, exc)
        except Exception as exc:  # a bug: its traceback is for the log; the run is still recorded
            logger.exception("%s failed", job)
            result = JobResult(job, FAILED, one_line(exc))
        finally:
            self._running.pop(job, None)
        await asyncio.shield(self.runs.finish(run_id, result.outcome, result.summary))
        return result

    async def stop(self, grace: float) -> None:
        """Stop the running jobs at safe points, within ``grace`` seconds, recording each."""
        self.stopping.set()
        tasks = dict(self._running)
        if not tasks:
            return
        for job, task in tasks.items():
            if job not in self.cooperative:
                task.cancel()
        _, pending = await asyncio.wait(tasks.values(), timeout=grace)
        for task in pending:  # a cooperative job that did not reach its safe point in time
            task.cancel()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*tasks.values(), return_exceptions=True), grace)
