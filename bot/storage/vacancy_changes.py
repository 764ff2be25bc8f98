"""What changed among the collected vacancies since a moment: the serving index catches up from it.

The database is the source of truth for which vacancies are open: the collector upserts them
(``updated_at`` moves when a row is inserted, changed or closed), marks closed ones archived,
and stamps ``last_seen_at`` whenever a collection sees one. A process serving a bundle asks for
the rows changed after its cursor (open ones are added to its index, closed ones removed) and
for the rows whose last sighting fell out of the retention since then (removed as expired;
docs/fresh-data.md, "Retention").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.db import retry_on_fresh_connection
from bot.storage.vacancies import VACANCY_COLUMNS, collected_vacancies, hidden, to_db_time, vacancy_of
from recommender.data import Vacancy

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VacancyChanges:
    """Rows to add (open, changed since the cursor) and keys to remove (closed or expired)."""

    added: list[Vacancy] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)


class CollectedVacancyChanges:
    """``changed_since`` and ``gone_keys`` over ``collected_vacancies`` (the module docstring)."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], retention_days: int) -> None:
        self.session_factory = session_factory
        self.retention = timedelta(days=retention_days)

    @retry_on_fresh_connection
    async def changed_since(self, since: datetime, now: datetime) -> VacancyChanges:
        """Changes in (``since``, ``now``]: rows written then, and open rows last seen a retention before."""
        table = collected_vacancies
        written = and_(table.c.updated_at > to_db_time(since), table.c.updated_at <= to_db_time(now))
        expired = and_(
            table.c.last_seen_at > to_db_time(since - self.retention),
            table.c.last_seen_at <= to_db_time(now - self.retention),
            table.c.archived.is_(False),
        )
        async with self.session_factory() as session:
            changed = (
                await session.execute(select(*VACANCY_COLUMNS, hidden(table).label("hidden")).where(written))
            ).all()
            stale = (await session.execute(select(table.c.source, table.c.id).where(expired))).all()
        # closed, or merged into the same job's entry on another source: removed alike
        closed = [f"{row.source}:{row.id}" for row in changed if row.hidden]
        closed += [f"{row.source}:{row.id}" for row in stale]
        return VacancyChanges([vacancy_of(row) for row in changed if not row.hidden], closed)

    @retry_on_fresh_connection
    async def gone_keys(self, now: datetime) -> list[str]:
        """Every stored vacancy closed, or not seen for longer than the retention, by ``now``."""
        table = collected_vacancies
        gone = or_(hidden(table), table.c.last_seen_at <= to_db_time(now - self.retention))
        async with self.session_factory() as session:
            rows = await session.execute(select(table.c.source, table.c.id).where(gone))
            return [f"{row.source}:{row.id}" for row in rows]
