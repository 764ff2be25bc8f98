"""What the collector keeps per source: hh.ru's application token and each source's last run.

The token row is shared by every process (bot replicas, workers, ``jobrec collect``), so a
token fetched by one is reused by all. hh.ru allows one token request per five minutes and
revokes the previous token on every request; ``claim_token_fetch`` enforces the interval
across processes by moving ``fetched_at`` forward in one conditional UPDATE: of two
processes asking at once, exactly one wins the claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.db import retry_on_fresh_connection, upsert_into
from bot.storage.models import SourceStatus, SourceToken
from bot.storage.vacancies import from_db_time, to_db_time


@dataclass(frozen=True)
class StoredToken:
    token: str | None
    fetched_at: datetime | None
    client_id: str | None


@dataclass(frozen=True)
class RunCounts:
    seen: int = 0
    new: int = 0
    updated: int = 0
    failed: int = 0
    closed: int = 0


@dataclass(frozen=True)
class SourceReport:
    """One source's last collection, as /stats and /readyz show it."""

    source: str
    last_started_at: datetime | None
    last_finished_at: datetime | None
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    counts: RunCounts

    @property
    def failing(self) -> bool:
        """The last finished run failed (an error newer than the last success)."""
        if self.last_error_at is None:
            return False
        return self.last_success_at is None or self.last_error_at >= self.last_success_at


def _now() -> datetime:
    return datetime.now(UTC)


class SourceStateRepository:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    # --- the application token -------------------------------------------------------

    @retry_on_fresh_connection
    async def token(self, source: str) -> StoredToken | None:
        async with self.session_factory() as session:
            row = await session.get(SourceToken, source)
            if row is None:
                return None
            return StoredToken(row.token, from_db_time(row.fetched_at), row.client_id)

    @retry_on_fresh_connection
    async def claim_token_fetch(
        self, source: str, *, interval: timedelta, now: datetime | None = None
    ) -> bool:
        """Reserve the right to ask for a new token: True when no process asked within ``interval``."""
        moment = to_db_time(now or _now())
        assert moment is not None
        async with self.session_factory() as session, session.begin():
            dialect = session.get_bind().dialect.name
            await session.execute(
                upsert_into(SourceToken.__table__, dialect)  # type: ignore[arg-type]
                .values(source=source, token=None, fetched_at=None)
                .on_conflict_do_nothing(index_elements=["source"])
            )
            claimed = await session.execute(
                update(SourceToken)
                .where(SourceToken.source == source)
                .where(or_(SourceToken.fetched_at.is_(None), SourceToken.fetched_at <= moment - interval))
                .values(fetched_at=moment)
            )
            return bool(claimed.rowcount)  # type: ignore[attr-defined]

    @retry_on_fresh_connection
    async def save_token(self, source: str, token: str, *, client_id: str | None) -> None:
        async with self.session_factory() as session, session.begin():
            await session.execute(
                update(SourceToken)
                .where(SourceToken.source == source)
                .values(token=token, client_id=client_id)
            )

    # --- each source's last collection -------------------------------------------------

    @retry_on_fresh_connection
    async def run_started(self, source: str, *, now: datetime | None = None) -> None:
        await self._upsert_status(source, {"last_started_at": to_db_time(now or _now())})

    @retry_on_fresh_connection
    async def run_finished(
        self, source: str, counts: RunCounts, *, error: str | None, now: datetime | None = None
    ) -> None:
        """Record a run's counts; a run with an error keeps the previous success's time."""
        moment = to_db_time(now or _now())
        values: dict[str, object] = {
            "last_finished_at": moment,
            "seen": counts.seen,
            "new": counts.new,
            "updated": counts.updated,
            "failed": counts.failed,
            "closed": counts.closed,
        }
        if error is None:
            values["last_success_at"] = moment
        else:
            values.update(last_error_at=moment, last_error=error)
        await self._upsert_status(source, values)

    async def _upsert_status(self, source: str, values: dict[str, object]) -> None:
        zero_counts = {"seen": 0, "new": 0, "updated": 0, "failed": 0, "closed": 0}
        async with self.session_factory() as session, session.begin():
            dialect = session.get_bind().dialect.name
            await session.execute(
                upsert_into(SourceStatus.__table__, dialect)  # type: ignore[arg-type]
                .values(source=source, **{**zero_counts, **values})
                .on_conflict_do_update(index_elements=["source"], set_=values)
            )

    @retry_on_fresh_connection
    async def reports(self) -> list[SourceReport]:
        async with self.session_factory() as session:
            rows = (await session.scalars(select(SourceStatus).order_by(SourceStatus.source))).all()
        return [
            SourceReport(
                source=row.source,
                last_started_at=from_db_time(row.last_started_at),
                last_finished_at=from_db_time(row.last_finished_at),
                last_success_at=from_db_time(row.last_success_at),
                last_error_at=from_db_time(row.last_error_at),
                last_error=row.last_error,
                counts=RunCounts(row.seen, row.new, row.updated, row.failed, row.closed),
            )
            for row in rows
        ]
