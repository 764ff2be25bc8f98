"""The ``job_runs`` table: every scheduled job run's start, finish and outcome.

A run is written when it starts and closed when it ends; a run left open was cut short by its
process dying (kill -9, a lost machine). The worker looks for those at start, under the job's
deployment-wide lock (so an open run is never one still going elsewhere), and runs the job
again at once instead of waiting for its next scheduled time.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.db import retry_on_fresh_connection
from bot.storage.models import JobRunRow
from bot.storage.vacancies import from_db_time, to_db_time

DIED = "died"
INTERRUPTED = "interrupted"
# Outcomes after which the job is run again at the worker's start.
UNFINISHED = frozenset({DIED, INTERRUPTED})
KEEP_RUNS = 200  # per job: enough history for an operator, bounded for a digest tick a minute


@dataclass(frozen=True, slots=True)
class JobRun:
    id: int
    job: str
    reason: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str | None
    summary: str
    host: str
    pid: int

    @property
    def unfinished(self) -> bool:
        return self.finished_at is None or self.outcome in UNFINISHED


def _run(row: JobRunRow) -> JobRun:
    return JobRun(
        id=row.id,
        job=row.job,
        reason=row.reason,
        started_at=from_db_time(row.started_at) or datetime.now(UTC),
        finished_at=from_db_time(row.finished_at),
        outcome=row.outcome,
        summary=row.summary,
        host=row.host,
        pid=row.pid,
    )


def _now() -> datetime | None:
    return to_db_time(datetime.now(UTC))


class JobRunRepository:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    @retry_on_fresh_connection
    async def start(self, job: str, reason: str = "") -> int:
        row = JobRunRow(
            job=job, reason=reason[:200], started_at=_now(), host=socket.gethostname()[:255], pid=os.getpid()
        )
        async with self.session_factory.begin() as session:
            session.add(row)
        return row.id

    @retry_on_fresh_connection
    async def finish(self, run_id: int, outcome: str, summary: str) -> None:
        async with self.session_factory.begin() as session:
            job = await session.scalar(select(JobRunRow.job).where(JobRunRow.id == run_id))
            await session.execute(
                update(JobRunRow)
                .where(JobRunRow.id == run_id)
                .values(finished_at=_now(), outcome=outcome, summary=summary)
            )
            if job is not None:
                await self._prune(session, job)

    @staticmethod
    async def _prune(session: AsyncSession, job: str) -> None:
        oldest_kept = await session.scalar(
            select(JobRunRow.id)
            .where(JobRunRow.job == job)
            .order_by(JobRunRow.id.desc())
            .offset(KEEP_RUNS - 1)
            .limit(1)
        )
        if oldest_kept is not None:
            await session.execute(delete(JobRunRow).where(JobRunRow.job == job, JobRunRow.id < oldest_kept))

    @retry_on_fresh_connection
    async def last(self, job: str) -> JobRun | None:
        async with self.session_factory() as session:
            row = await session.scalar(
                select(JobRunRow).where(JobRunRow.job == job).order_by(JobRunRow.id.desc()).limit(1)
            )
            return _run(row) if row is not None else None

    @retry_on_fresh_connection
    async def close_dead(self, job: str) -> int:
        """Close the job's open runs as "died". Call only while holding the job's lock: then no
        open run is still going anywhere. Returns how many there were."""
        async with self.session_factory.begin() as session:
            result = await session.execute(
                update(JobRunRow)
                .where(JobRunRow.job == job, JobRunRow.finished_at.is_(None))
                .values(finished_at=_now(), outcome=DIED, summary="its process stopped before it finished")
            )
        return int(result.rowcount)  # type: ignore[attr-defined]

    @retry_on_fresh_connection
    async def recent(self, limit: int = 20) -> list[JobRun]:
        async with self.session_factory() as session:
            rows = await session.execute(select(JobRunRow).order_by(JobRunRow.id.desc()).limit(limit))
            return [_run(row) for row in rows.scalars()]
