"""The ``collected_vacancies`` table: what the collector and importer store, digests and retraining read.

A row is one vacancy of one source, keyed by (source, id), holding the library's normalized
``Vacancy`` fields; reads give ``Vacancy`` objects back. Rows are upserted in batches.
``content_hash`` tells an update from an unchanged row; ``first_seen_at`` never changes after
the insert, so it is the cursor for "new since" questions (digests, the retrain trigger);
``last_seen_at`` is the last collection that saw the vacancy (retention reads it).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, false, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.db import retry_on_fresh_connection, upsert_into
from bot.storage.models import CollectedVacancy
from recommender.data import Label, Salary, Vacancy

logger = logging.getLogger(__name__)

collected_vacancies: Table = CollectedVacancy.__table__  # type: ignore[assignment]

# SQLite and PostgreSQL allow 32,766 bound parameters per statement; 500 rows x 35 columns stays below.
BATCH_SIZE = 500
# What an update rewrites: everything but the key, the first sighting and the duplicate link
# (the link pass after each collection owns it: bot/storage/vacancy_links.py).
UPDATED_COLUMNS = tuple(
    c.name
    for c in collected_vacancies.columns
    if c.name not in ("source", "id", "first_seen_at", "duplicate_of")
)
# The vacancy's own columns, read back into a Vacancy.
VACANCY_COLUMNS = tuple(
    c for c in collected_vacancies.columns if c.name not in ("raw_json", "content_hash", "first_seen_at",
                                                              "last_seen_at", "updated_at", "duplicate_of")
)  # fmt: skip


def hidden(table: Table) -> ColumnElement[bool]:
    """Rows answers, digests and training leave out: closed at the source, or merged into the
    same job's entry on another source."""
    return or_(table.c.archived.is_(True), table.c.duplicate_of.is_not(None))


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


def split_key(key: str) -> tuple[str, str]:
    """``"hh:123"`` → ``("hh", "123")``: a ``Vacancy.key`` back into (source, id)."""
    source, _, vacancy_id = key.partition(":")
    return source, vacancy_id


@dataclass(frozen=True, slots=True)
class VacancyRecord:
    """One vacancy to store, and the source's payload it was parsed from (None when there is none)."""

    vacancy: Vacancy
    raw_json: str | None = None

    @property
    def key(self) -> str:
        return self.vacancy.key

    @property
    def content_hash(self) -> str:
        return content_hash(self.raw_json if self.raw_json is not None else repr(self.vacancy))


@dataclass(frozen=True, slots=True)
class StoredVacancy:
    """A stored vacancy and when a collection first saw it (the digests' cursor)."""

    vacancy: Vacancy
    first_seen_at: datetime

    @property
    def key(self) -> str:
        return self.vacancy.key


@dataclass(slots=True)
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: UpsertCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged


def _labels_json(vacancy: Vacancy) -> str:
    pairs = {
        "specializations": [[label.id, label.name] for label in vacancy.specializations],
        "professional_roles": [[label.id, label.name] for label in vacancy.professional_roles],
    }
    return json.dumps({k: v for k, v in pairs.items() if v}, ensure_ascii=False)


def _pay_columns(vacancy: Vacancy) -> dict[str, Any]:
    pay = vacancy.salary or vacancy.other_pay
    return {
        "salary_net_rub": vacancy.salary.monthly_net_rub if vacancy.salary else None,
        "pay_from": pay.salary_from if pay else None,
        "pay_to": pay.salary_to if pay else None,
        "pay_currency": pay.currency if pay else None,
        "pay_gross": pay.gross if pay else None,
        "pay_period": pay.period if pay else None,
        "pay_net_rub": pay.monthly_net_rub if pay else None,
        "pay_outlier": bool(pay and pay.is_outlier),
    }


def vacancy_columns(vacancy: Vacancy) -> dict[str, Any]:
    """The row of ``collected_vacancies`` for a vacancy (without the bookkeeping columns)."""
    return {
        "source": vacancy.source,
        "id": vacancy.id,
        "title": vacancy.title,
        "employer": vacancy.employer,
        "area": vacancy.area,
        "area_id": vacancy.area_id,
        "country": vacancy.country,
        "region_code": vacancy.region_code,
        "experience": vacancy.experience,
        "schedule": vacancy.schedule,
        "employment": vacancy.employment,
        "work_format": ",".join(vacancy.work_format),
        "employment_form": vacancy.employment_form,
        **_pay_columns(vacancy),
        "published_at": to_db_time(vacancy.published_at),
        "source_updated_at": to_db_time(vacancy.updated_at),
        "key_skills": json.dumps(list(vacancy.key_skills), ensure_ascii=False),
        "labels": _labels_json(vacancy),
        "text": vacancy.text,
        "url": vacancy.url,
        "detail": vacancy.detail,
        "also_at": json.dumps(list(vacancy.also_at), ensure_ascii=False),
        "archived": vacancy.archived,
    }


def _json_list(text: str | None) -> list[Any]:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _labels(text: str | None, kind: str) -> tuple[Label, ...]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return ()
    pairs = value.get(kind, []) if isinstance(value, dict) else []
    return tuple(Label(str(p[0]), str(p[1])) for p in pairs if isinstance(p, list) and len(p) == 2)


def _pay(row: Any) -> Salary | None:
    if row.pay_period is None or row.pay_net_rub is None:
        return None
    return Salary(
        salary_from=row.pay_from,
        salary_to=row.pay_to,
        currency=row.pay_currency or "RUR",
        gross=row.pay_gross,
        monthly_net_rub=row.pay_net_rub,
        is_outlier=bool(row.pay_outlier),
        period=row.pay_period,
    )


def vacancy_of(row: Any) -> Vacancy:
    """The ``Vacancy`` of a row read with ``VACANCY_COLUMNS``."""
    pay = _pay(row)
    monthly = pay is not None and row.salary_net_rub is not None
    return Vacancy(
        id=row.id,
        title=row.title,
        employer=row.employer,
        area=row.area,
        area_id=row.area_id,
        text=row.text or "",
        key_skills=tuple(str(s) for s in _json_list(row.key_skills)),
        experience=row.experience,
        schedule=row.schedule,
        employment=row.employment,
        specializations=_labels(row.labels, "specializations"),
        professional_roles=_labels(row.labels, "professional_roles"),
        published_at=from_db_time(row.published_at),
        url=row.url or "",
        salary=pay if monthly else None,
        detail=row.detail or "list",
        archived=bool(row.archived),
        source=row.source,
        country=row.country or "",
        region_code=row.region_code or "",
        work_format=tuple(f for f in (row.work_format or "").split(",") if f),
        employment_form=row.employment_form,
        updated_at=from_db_time(row.source_updated_at),
        other_pay=None if monthly else pay,
        also_at=tuple(str(link) for link in _json_list(row.also_at)),
    )


def _row(record: VacancyRecord, now: datetime) -> dict[str, Any]:
    return {
        **vacancy_columns(record.vacancy),
        "raw_json": record.raw_json,
        "content_hash": record.content_hash,
        "first_seen_at": now,
        "last_seen_at": now,
        "updated_at": now,
    }


def _keys_where(table: Table, keys: Iterable[str]) -> ColumnElement[bool]:
    """``(source, id) IN keys`` as one ``source = … AND id IN (…)`` per source."""
    by_source: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        source, vacancy_id = split_key(key)
        by_source[source].append(vacancy_id)
    if not by_source:
        return false()
    return or_(*(and_(table.c.source == s, table.c.id.in_(ids)) for s, ids in sorted(by_source.items())))


def _after(table: Table, key: tuple[str, str]) -> ColumnElement[bool]:
    """(source, id) > key, written out (row-value comparison reads the same on every dialect)."""
    source, vacancy_id = key
    return or_(table.c.source > source, and_(table.c.source == source, table.c.id > vacancy_id))


class VacancyRepository:
    """Async access to ``collected_vacancies`` through an ``async_sessionmaker``."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    @retry_on_fresh_connection
    async def upsert(self, records: Iterable[VacancyRecord], *, now: datetime | None = None) -> UpsertCounts:
        """Insert new keys, update changed ones (first_seen_at kept), count unchanged ones;
        every record's ``last_seen_at`` becomes ``now``.

        One ``INSERT … ON CONFLICT DO UPDATE … WHERE content changed`` per batch, so two
        processes importing the same vacancies at once never collide on the primary key.
        """
        moment = to_db_time(now or datetime.now(UTC))
        assert moment is not None
        latest: dict[tuple[str, str], VacancyRecord] = {}
        for record in records:  # a later duplicate wins, as in the loader
            latest[(record.vacancy.source, record.vacancy.id)] = record
        # Sorted: concurrent writers lock rows in the same order, so they queue, never deadlock.
        batch = [latest[key] for key in sorted(latest)]
        totals = UpsertCounts()
        async with self.session_factory() as session, session.begin():
            for start in range(0, len(batch), BATCH_SIZE):
                part = batch[start : start + BATCH_SIZE]
                totals.add(await self._upsert_batch(session, part, moment))
                await self._touch(session, [r.key for r in part], moment)
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
            index_elements=[table.c.source, table.c.id],
            set_={name: values.excluded[name] for name in UPDATED_COLUMNS},
            where=table.c.content_hash != values.excluded.content_hash,
        ).returning(table.c.first_seen_at)
        # Rows come back only when inserted or updated; an inserted one carries this call's moment.
        written = [row.first_seen_at for row in await session.execute(statement)]
        new = sum(1 for first_seen in written if first_seen == now)
        return UpsertCounts(new=new, updated=len(written) - new, unchanged=len(batch) - len(written))

    async def _touch(self, session: AsyncSession, keys: Sequence[str], now: datetime) -> None:
        table = collected_vacancies
        await session.execute(update(table).where(_keys_where(table, keys)).values(last_seen_at=now))

    @retry_on_fresh_connection
    async def mark_seen(self, keys: Sequence[str], *, now: datetime | None = None) -> None:
        """A collection saw these vacancies unchanged (it skipped storing them): ``last_seen_at`` = now."""
        moment = to_db_time(now or datetime.now(UTC))
        assert moment is not None
        async with self.session_factory() as session, session.begin():
            for start in range(0, len(keys), BATCH_SIZE):
                await self._touch(session, keys[start : start + BATCH_SIZE], moment)

    @retry_on_fresh_connection
    async def raw_json_of(self, keys: Sequence[str]) -> dict[str, str]:
        """Stored raw payloads by key, for deciding whether a card needs refetching."""
        if not keys:
            return {}
        table = collected_vacancies
        async with self.session_factory() as session:
            result = await session.execute(
                select(table.c.source, table.c.id, table.c.raw_json).where(_keys_where(table, keys))
            )
            return {f"{row.source}:{row.id}": row.raw_json for row in result if row.raw_json is not None}

    @retry_on_fresh_connection
    async def mark_archived(self, keys: Sequence[str], *, now: datetime | None = None) -> int:
        """Closed at the source (archived, 404 on re-check, gone from the feed); returns how many were."""
        if not keys:
            return 0
        table = collected_vacancies
        moment = to_db_time(now or datetime.now(UTC))
        async with self.session_factory() as session, session.begin():
            result = await session.execute(
                update(table)
                .where(_keys_where(table, keys), table.c.archived.is_(False))
                .values(archived=True, updated_at=moment)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    @retry_on_fresh_connection
    async def get(self, keys: Sequence[str]) -> dict[str, Vacancy]:
        """Stored vacancies by key (unknown keys left out)."""
        if not keys:
            return {}
        table = collected_vacancies
        async with self.session_factory() as session:
            rows = (await session.execute(select(*VACANCY_COLUMNS).where(_keys_where(table, keys)))).all()
        return {(v := vacancy_of(row)).key: v for row in rows}

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
        after_key: str | None = None,
        *,
        limit: int = 1000,
        active_only: bool = True,
    ) -> list[StoredVacancy]:
        """Vacancies first seen after the cursor (``since``, ``after_key``), oldest first.

        The cursor is (first_seen_at, source, id) because one import stamps thousands of
        rows with the same first_seen_at.
        """
        table = collected_vacancies
        statement = select(*VACANCY_COLUMNS, table.c.first_seen_at)
        if since is not None:
            moment = to_db_time(since)
            source, vacancy_id = split_key(after_key or "")
            statement = statement.where(
                or_(
                    table.c.first_seen_at > moment,
                    and_(table.c.first_seen_at == moment, _after(table, (source, vacancy_id))),
                )
            )
        if active_only:
            statement = statement.where(~hidden(table))
        statement = statement.order_by(table.c.first_seen_at, table.c.source, table.c.id).limit(limit)
        async with self.session_factory() as session:
            rows = (await session.execute(statement)).all()
        return [
            StoredVacancy(vacancy_of(row), from_db_time(row.first_seen_at) or datetime.now(UTC))
            for row in rows
        ]

    async def iter_vacancies(self, *, batch_size: int = 2000) -> AsyncIterator[Vacancy]:
        """Every stored vacancy but those merged into another source's entry (the entry carries
        their link), in key order, a batch per query (training, the incremental index)."""
        table = collected_vacancies
        last = ("", "")
        while True:
            async with self.session_factory() as session:
                rows = (
                    await session.execute(
                        select(*VACANCY_COLUMNS, table.c.duplicate_of)
                        .where(_after(table, last))
                        .order_by(table.c.source, table.c.id)
                        .limit(batch_size)
                    )
                ).all()
            if not rows:
                return
            for row in rows:
                if row.duplicate_of is None:
                    yield vacancy_of(row)
            last = (rows[-1].source, rows[-1].id)
