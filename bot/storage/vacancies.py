"""The ``collected_vacancies`` table: what the collector and importer store, digests and retraining read.

Rows are upserted by hh id in batches. ``content_hash`` (sha1 of ``raw_json``) tells an
update from an unchanged row; ``first_seen_at`` never changes after the insert, so it is the
cursor for "new since" questions (digests, the retrain trigger).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.db import retry_on_fresh_connection, upsert_into
from bot.storage.models import CollectedVacancy

logger = logging.getLogger(__name__)

collected_vacancies: Table = CollectedVacancy.__table__  # type: ignore[assignment]

# SQLite and PostgreSQL allow 32,766 bound parameters per statement; 500 rows x 14 columns stays below.
BATCH_SIZE = 500
# What an update rewrites: everything but the id and the first sighting.
UPDATED_COLUMNS = (
    "title", "employer", "area", "area_id", "experience", "schedule", "salary_net_rub",
    "published_at", "raw_json", "content_hash", "archived", "updated_at",
)  # fmt: skip


def content_hash(raw_json: str) -> str:
    return hashlib.sha1(raw_json.encode("utf-8")).hexdigest()


def to_db_time(value: datetime | None) -> datetime | None:
    """SQLite keeps no time zone: store naive UTC."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def from_db_time(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


@dataclass(frozen=True, slots=True)
class VacancyRecord:
    """One row to store: the indexed fields plus the raw API JSON."""

    id: str
    title: str
    employer: str
    area: str
    area_id: str
    experience: str | None
    schedule: str | None
    salary_net_rub: float | None
    published_at: datetime | None
    raw_json: str
    archived: bool = False

    @property
    def content_hash(self) -> str:
        return content_hash(self.raw_json)


@dataclass(frozen=True, slots=True)
class StoredVacancy:
    id: str
    raw_json: str
    area_id: str
    experience: str | None
    archived: bool
    first_seen_at: datetime


@dataclass(slots=True)
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: UpsertCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged


def _row(record: VacancyRecord, now: datetime) -> dict[str, Any]:
    return {
        "id": record.id,
        "title": record.title,
        "employer": record.employer,
        "area": record.area,
        "area_id": record.area_id,
        "experience": record.experience,
        "schedule": record.schedule,
        "salary_net_rub": record.salary_net_rub,
        "published_at": to_db_time(record.published_at),
        "raw_json": record.raw_json,
        "content_hash": record.content_hash,
        "archived": record.archived,
        "first_seen_at": now,
        "updated_at": now,
    }


class VacancyRepository:
    """Async access to ``collected_vacancies`` through an ``async_sessionmaker``."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    @retry_on_fresh_connection
    async def upsert(self, records: Iterable[VacancyRecord], *, now: datetime | None = None) -> UpsertCounts:
        """Insert new ids, update changed ones (first_seen_at kept), count unchanged ones.

        One ``INSERT … ON CONFLICT DO UPDATE … WHERE content changed`` per batch, so two
        processes importing the same vacancies at once never collide on the primary key.
        """
        moment = to_db_time(now or datetime.now(UTC))
        assert moment is not None
        latest: dict[str, VacancyRecord] = {}
        for record in records:  # a later duplicate id wins, as in the loader
            latest[record.id] = record
        # Sorted: concurrent writers lock rows in the same order, so they queue, never deadlock.
        batch = [latest[key] for key in sorted(latest)]
        totals = UpsertCounts()
        async with self.session_factory() as session, session.begin():
            for start in range(0, len(batch), BATCH_SIZE):
                totals.add(await self._upsert_batch(session, batch[start : start + BATCH_SIZE], moment))
        return totals

    async def _upsert_batch(
        self, session: AsyncSession, batch: Sequence[VacancyRecord], now: datetime
    ) -> UpsertCounts:
        if not batch:
            return UpsertCounts()
        table = collected_vacancies
        values = upsert_into(table, session.get_bind().dialect.name).values(
            [_row(record, now) for record in batch]
        )
        statement = values.on_conflict_do_update(
            index_elements=[table.c.id],
            set_={name: values.excluded[name] for name in UPDATED_COLUMNS},
            where=table.c.content_hash != values.excluded.content_hash,
        ).returning(table.c.first_seen_at)
        # Rows come back only when inserted or updated; an inserted one carries this call's moment.
        written = [row.first_seen_at for row in await session.execute(statement)]
        new = sum(1 for first_seen in written if first_seen == now)
        return UpsertCounts(new=new, updated=len(written) - new, unchanged=len(batch) - len(written))

    @retry_on_fresh_connection
    async def raw_json_of(self, ids: Sequence[str]) -> dict[str, str]:
        """Stored raw JSON by id, for deciding whether a card needs refetching."""
        if not ids:
            return {}
        table = collected_vacancies
        async with self.session_factory() as session:
            result = await session.execute(
                select(table.c.id, table.c.raw_json).where(table.c.id.in_(list(ids)))
            )
            return {row.id: row.raw_json for row in result}

    @retry_on_fresh_connection
    async def mark_archived(self, ids: Sequence[str], *, now: datetime | None = None) -> int:
        if not ids:
            return 0
        table = collected_vacancies
        moment = to_db_time(now or datetime.now(UTC))
        async with self.session_factory() as session, session.begin():
            result = await session.execute(
                update(table)
                .where(table.c.id.in_(list(ids)), table.c.archived.is_(False))
                .values(archived=True, updated_at=moment)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    @retry_on_fresh_connection
    async def count(self) -> int:
        async with self.session_factory() as session:
            return int(
                (await session.execute(select(func.count()).select_from(collected_vacancies))).scalar_one()
            )

    @retry_on_fresh_connection
    async def count_since(self, since: datetime | None) -> int:
        """Vacancies first seen after ``since`` (all of them when None)."""
        statement = select(func.count()).select_from(collected_vacancies)
        if since is not None:
            statement = statement.where(collected_vacancies.c.first_seen_at > to_db_time(since))
        async with self.session_factory() as session:
            return int((await session.execute(statement)).scalar_one())

    @retry_on_fresh_connection
    async def new_since(
        self,
        since: datetime | None,
        after_id: str | None = None,
        *,
        limit: int = 1000,
        active_only: bool = True,
    ) -> list[StoredVacancy]:
        """Vacancies first seen after the cursor (``since``, ``after_id``), oldest first.

        The cursor is the pair (first_seen_at, id) because one import stamps thousands of
        rows with the same first_seen_at.
        """
        table = collected_vacancies
        statement = select(
            table.c.id,
            table.c.raw_json,
            table.c.area_id,
            table.c.experience,
            table.c.archived,
            table.c.first_seen_at,
        )
        if since is not None:
            moment = to_db_time(since)
            statement = statement.where(
                or_(
                    table.c.first_seen_at > moment,
                    and_(table.c.first_seen_at == moment, table.c.id > (after_id or "")),
                )
            )
        if active_only:
            statement = statement.where(table.c.archived.is_(False))
        statement = statement.order_by(table.c.first_seen_at, table.c.id).limit(limit)
        async with self.session_factory() as session:
            rows = (await session.execute(statement)).all()
        return [
            StoredVacancy(
                id=row.id,
                raw_json=row.raw_json,
                area_id=row.area_id,
                experience=row.experience,
                archived=row.archived,
                first_seen_at=from_db_time(row.first_seen_at) or datetime.now(UTC),
            )
            for row in rows
        ]

    @retry_on_fresh_connection
    async def latest_first_seen(self) -> datetime | None:
        async with self.session_factory() as session:
            value = (
                await session.execute(select(func.max(collected_vacancies.c.first_seen_at)))
            ).scalar_one()
        return from_db_time(value)

    async def iter_raw_json(self, *, batch_size: int = 2000) -> AsyncIterator[str]:
        """Every stored vacancy's raw JSON, in id order, a batch per query (for exports)."""
        table = collected_vacancies
        last_id = ""
        while True:
            async with self.session_factory() as session:
                rows = (
                    await session.execute(
                        select(table.c.id, table.c.raw_json)
                        .where(table.c.id > last_id)
                        .order_by(table.c.id)
                        .limit(batch_size)
                    )
                ).all()
            if not rows:
                return
            for row in rows:
                yield row.raw_json
            last_id = rows[-1].id
