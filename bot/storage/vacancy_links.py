"""One job, one entry in the database: the link pass after each collection.

The same job posted on hh.ru and on Работа России (``recommender.data.dedupe``: same employer,
normalized title and city, published within 14 days) is stored as two rows, one per source, as
each collector found it. After a collection, this pass pairs them: the entry row (hh.ru's)
gets the other's link in ``also_at`` and what it lacks (salary, experience, skills, text) from
it; the other row gets ``duplicate_of`` = the entry's key. Every reader leaves such rows out as
it leaves closed ones out (``vacancies.hidden``: training's export, digests, the index
follower, the answers' closed keys), so this is the one place dedupe happens: the trained
index, the followed index and the digests all read its result.

Only the rows near the collection's vacancies in time are paired again (those published within
``MAX_DAYS_APART`` of a vacancy the collection wrote); rows are rewritten only when their link
changes, so a repeated pass writes nothing and ``updated_at`` moves only for real changes
(the follower re-reads those).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.db import retry_on_fresh_connection
from bot.storage.vacancies import (
    VACANCY_COLUMNS,
    collected_vacancies,
    split_key,
    to_db_time,
    vacancy_columns,
    vacancy_of,
)
from recommender.data import Vacancy
from recommender.data.dedupe import MAX_DAYS_APART, match_pairs, merge

logger = logging.getLogger(__name__)

WINDOW = timedelta(days=MAX_DAYS_APART)
# Callers pair the rows written since a little before they started (other writers' clocks).
LINK_MARGIN = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class LinkCounts:
    """What a pass did: pairs it found, rows newly marked duplicate, rows unmarked."""

    pairs: int = 0
    linked: int = 0
    unlinked: int = 0


async def _window(session: AsyncSession, since: datetime) -> tuple[datetime, datetime] | None:
    """Publication dates around the open rows written after ``since`` (None: nothing written)."""
    table = collected_vacancies
    low, high = (
        await session.execute(
            select(func.min(table.c.published_at), func.max(table.c.published_at)).where(
                table.c.updated_at > to_db_time(since), table.c.archived.is_(False)
            )
        )
    ).one()
    if low is None or high is None:
        return None
    return low - WINDOW, high + WINDOW


async def _sources_in(session: AsyncSession, low: datetime, high: datetime) -> int:
    """How many sources have open rows published in [low, high]: one alone has nothing to pair."""
    table = collected_vacancies
    return int(
        (
            await session.execute(
                select(func.count(func.distinct(table.c.source))).where(
                    table.c.archived.is_(False), table.c.published_at >= low, table.c.published_at <= high
                )
            )
        ).scalar_one()
    )


async def _candidates(
    session: AsyncSession, low: datetime, high: datetime
) -> list[tuple[Vacancy, str | None]]:
    """Open rows published in [low, high], each with its current ``duplicate_of``, in key order."""
    table = collected_vacancies
    rows = await session.execute(
        select(*VACANCY_COLUMNS, table.c.duplicate_of)
        .where(table.c.archived.is_(False), and_(table.c.published_at >= low, table.c.published_at <= high))
        .order_by(table.c.source, table.c.id)
    )
    return [(vacancy_of(row), row.duplicate_of) for row in rows]


def _link_changes(
    rows: Sequence[tuple[Vacancy, str | None]], wanted: dict[str, str]
) -> list[tuple[str, str | None]]:
    """(key, new duplicate_of) for the rows whose link changes. A row linked to an entry outside
    the rows read (published before the window) keeps its link: its pair was not looked at."""
    read = {vacancy.key for vacancy, _ in rows}
    return [
        (vacancy.key, wanted.get(vacancy.key))
        for vacancy, current in rows
        if wanted.get(vacancy.key) != current and (vacancy.key in wanted or current in read)
    ]


class VacancyLinks:
    """``link_since(since)``: pair the rows a collection wrote after ``since`` (module docstring)."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    @retry_on_fresh_connection
    async def link_since(self, since: datetime, *, now: datetime | None = None) -> LinkCounts:
        moment = to_db_time(now or datetime.now(UTC))
        async with self.session_factory() as session, session.begin():
            window = await _window(session, since)
            if window is None or await _sources_in(session, *window) < 2:
                return LinkCounts()
            rows = await _candidates(session, *window)
            vacancies = [vacancy for vacancy, _ in rows]
            pairs = match_pairs(vacancies)
            wanted = {vacancies[dup].key: vacancies[entry].key for entry, dup in pairs}
            for entry, dup in pairs:
                merged = merge(vacancies[entry], vacancies[dup])
                if merged != vacancies[entry]:
                    await self._write_entry(session, merged, moment)
            changes = _link_changes(rows, wanted)
            await self._write_links(session, changes, moment)
        counts = LinkCounts(
            pairs=len(pairs),
            linked=sum(1 for _, target in changes if target is not None),
            unlinked=sum(1 for _, target in changes if target is None),
        )
        if counts.linked or counts.unlinked:
            logger.info("dedupe: %d pairs across sources; %d rows merged, %d unmerged", *(
                counts.pairs, counts.linked, counts.unlinked))  # fmt: skip
        return counts

    @staticmethod
    async def _write_entry(session: AsyncSession, merged: Vacancy, now: datetime | None) -> None:
        """The entry's columns with the other's link and the fields it lacked (raw_json kept)."""
        table = collected_vacancies
        columns = {k: v for k, v in vacancy_columns(merged).items() if k not in ("source", "id")}
        await session.execute(
            update(table)
            .where(table.c.source == merged.source, table.c.id == merged.id)
            .values(**columns, updated_at=now)
        )

    @staticmethod
    async def _write_links(
        session: AsyncSession, changes: Sequence[tuple[str, str | None]], now: datetime | None
    ) -> None:
        table = collected_vacancies
        for key, target in changes:
            source, vacancy_id = split_key(key)
            await session.execute(
                update(table)
                .where(table.c.source == source, table.c.id == vacancy_id)
                .values(duplicate_of=target, updated_at=now)
            )
