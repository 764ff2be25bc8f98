"""Hostile cases for the job runner (issue 22, items 6-7): how a run ends is recorded, a stop
waits for safe points, an unfinished run is resumed, on SQLite and PostgreSQL.

Each case, what was done -> what must hold:
- the shutdown comes while a cooperative job (the digest) works -> it finishes its step and
  stops at the next safe point; recorded as interrupted with what it finished;
- the shutdown comes while another job (collect, retrain) waits -> cancelled at once, not after
  the grace period; recorded as interrupted with the progress it reported; no exception escapes;
- a cooperative job never reaches a safe point -> cancelled when the grace period ends;
- a job raises something unexpected -> failed, with a one-line summary, recorded;
- a job is cancelled by something other than the shutdown -> recorded, the cancellation goes on;
- the last run never finished (its process died) -> the next start runs the job at once and
  records the dead run as died; a finished last run, or none, is not run again;
- the lock is held by another process -> no resume, and the open run is left alone (it may be
  that process's, still going).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from bot.jobs.runner import DONE, FAILED, INTERRUPTED, SKIPPED, JobInterrupted, JobRunner
from bot.storage.job_runs import DIED, JobRunRepository
from bot.storage.locks import JobLocks


@pytest.fixture
def runs(session_factory: Any) -> JobRunRepository:
    return JobRunRepository(session_factory)


@pytest.fixture
def runner(session_factory: Any, runs: JobRunRepository) -> JobRunner:
    return JobRunner(JobLocks(session_factory.kw["bind"]), runs, cooperative={"digest"})


async def started(runner: JobRunner, job: str) -> None:
    for _ in range(500):
        if job in runner._running:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{job} did not start")


async def test_a_cooperative_job_stops_at_its_next_safe_point(
    runner: JobRunner, runs: JobRunRepository
) -> None:
    served: list[int] = []

    async def digest() -> tuple[str, Any]:
        for user in range(1000):
            if runner.stopping.is_set():
                raise JobInterrupted(f"{len(served)} sent")
            await asyncio.sleep(0.02)  # sending one message: never cut in the middle
            served.append(user)
        return "all sent", None

    task = asyncio.create_task(runner.run("digest", digest))
    await started(runner, "digest")
    await asyncio.sleep(0.1)
    await runner.stop(grace=5)
    result = await task
    assert (
        result.outcome == INTERRUPTED
        and result.summary == f"stopped by the shutdown after {len(served)} sent"
    )
    assert 0 < len(served) < 1000
    last = await runs.last("digest")
    assert last is not None and last.outcome == INTERRUPTED and last.summary == result.summary


async def test_other_jobs_are_cancelled_at_once_with_their_progress(
    runner: JobRunner, runs: JobRunRepository
) -> None:
    async def collect() -> tuple[str, Any]:
        runner.note_progress("collect", "120 vacancies stored; the next run resumes")
        await asyncio.sleep(3600)
        return "never", None

    task = asyncio.create_task(runner.run("collect", collect))
    await started(runner, "collect")
    began = time.monotonic()
    await runner.stop(grace=30)
    result = await task
    assert time.monotonic() - began < 5
    assert result.outcome == INTERRUPTED
    assert result.summary == "stopped by the shutdown after 120 vacancies stored; the next run resumes"
    assert (await runs.last("collect")).outcome == INTERRUPTED  # type: ignore[union-attr]
    # Stopped: nothing new starts.
    assert (await runner.run("collect", collect)).outcome == SKIPPED


async def test_a_cooperative_job_stuck_past_the_grace_is_cancelled(runner: JobRunner) -> None:
    async def stuck() -> tuple[str, Any]:
        await asyncio.sleep(3600)
        return "never", None

    task = asyncio.create_task(runner.run("digest", stuck))
    await started(runner, "digest")
    began = time.monotonic()
    await runner.stop(grace=0.5)
    assert (await task).outcome == INTERRUPTED
    assert 0.4 < time.monotonic() - began < 5


async def test_an_unexpected_error_is_a_recorded_failure(runner: JobRunner, runs: JobRunRepository) -> None:
    async def broken() -> tuple[str, Any]:
        raise RuntimeError("no such field\nsecond line")

    result = await runner.run("retrain", broken)
    assert result.outcome == FAILED and not result.ok
    assert result.summary == "RuntimeError: no such field" and "\n" not in result.line()
    assert (await runs.last("retrain")).outcome == FAILED  # type: ignore[union-attr]


async def test_a_foreign_cancellation_is_recorded_and_goes_on(
    runner: JobRunner, runs: JobRunRepository
) -> None:
    async def slow() -> tuple[str, Any]:
        await asyncio.sleep(3600)
        return "never", None

    task = asyncio.create_task(runner.run("collect", slow))
    await started(runner, "collect")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    last = await runs.last("collect")
    assert last is not None and last.outcome == INTERRUPTED and last.summary == "cancelled"


async def test_an_unfinished_run_is_resumed_once(runner: JobRunner, runs: JobRunRepository) -> None:
    calls: list[str] = []

    async def collect() -> tuple[str, Any]:
        calls.append("collect")
        return "seen 3", None

    assert (await runner.resume("collect", collect)).outcome == SKIPPED  # never ran: nothing to resume
    dead = await runs.start("collect", "scheduled")  # its process was killed
    result = await runner.resume("collect", collect)
    assert result.outcome == DONE and calls == ["collect"]
    last = await runs.last("collect")
    assert last is not None and last.reason.startswith("resumed") and last.outcome == DONE
    assert any(run.id == dead and run.outcome == DIED for run in await runs.recent())
    assert (await runner.resume("collect", collect)).outcome == SKIPPED  # finished now
    assert calls == ["collect"]


async def test_no_resume_while_another_process_holds_the_lock(
    runner: JobRunner, runs: JobRunRepository, session_factory: Any
) -> None:
    open_run = await runs.start("retrain", "scheduled")

    async def retrain() -> tuple[str, Any]:
        raise AssertionError("must not run")

    other = JobLocks(session_factory.kw["bind"])
    async with other.hold("retrain") as held:
        assert held
        assert (await runner.resume("retrain", retrain)).outcome == SKIPPED
    last = await runs.last("retrain")
    assert last is not None and last.id == open_run and last.finished_at is None
