"""What changed among the collected vacancies since a moment: the serving index catches up from it.

The database is the source of truth for which vacancies are open: the collector upserts them
(``updated_at`` moves when a row is inserted, changed or closed) and marks closed ones
archived. A process serving a bundle asks for the rows changed after its cursor; open ones
are added to its index, closed ones removed, and a row whose last change is older than the
retention is removed as expired (docs/fresh-data.md, "Retention").
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.db import retry_on_fresh_connection
from bot.storage.vacancies import collected_vacancies, to_db_time
from recommender.data import BadRecord, Vacancy, parse_vacancy

logger = logging.getLogger(__name__)

SOURCE = "hh"  # the rows of collected_vacancies are hh.ru's (keys "hh:<id>")


@dataclass(frozen=True)
class VacancyChanges:
    """Rows to add (open, changed since the cursor) and keys to remove (closed or expired)."""

    added: list[Vacancy] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.closed)


class CollectedVacancyChanges:
    """``changed_since`` over ``collected_vacancies`` (see the module docstring)."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], retention_days: int) -> None:
        self.session_factory = session_factory
        self.retention = timedelta(days=retention_days)

    @retry_on_fresh_connection
    async def changed_since(self, since: datetime, now: datetime) -> VacancyChanges:
        """Changes in (``since``, ``now``]: rows updated then, and rows whose retention ran out then."""
        table = collected_vacancies
        async with self.session_factory() as session:
            changed = (
                await session.execute(
                    select(table.c.id, table.c.raw_json, table.c.archived).where(
                        and_(table.c.updated_at > to_db_time(since), table.c.updated_at <= to_db_time(now))
                    )
                )
            ).all()
            expired = (
                await session.execute(
                    select(table.c.id).where(
                        and_(
                            table.c.updated_at > to_db_time(since - self.retention),
                            table.c.updated_at <= to_db_time(now - self.retention),
                            table.c.archived.is_(False),
                        )
                    )
                )
            ).all()
        added, closed = [], [f"{SOURCE}:{row.id}" for row in expired]
        for row in changed:
            if row.archived:
                closed.append(f"{SOURCE}:{row.id}")
                continue
            try:
                added.append(parse_vacancy(json.loads(row.raw_json)))
            except (BadRecord, ValueError) as exc:
                logger.warning("stored vacancy %s is unreadable, not indexed: %s", row.id, exc)
        return VacancyChanges(added, closed)

    @retry_on_fresh_connection
    async def gone_keys(self, now: datetime) -> list[str]:
        """Every stored vacancy closed, or unchanged for longer than the retention, by ``now``."""
        table = collected_vacancies
        async with self.session_factory() as session:
            rows = await session.execute(
                select(table.c.id).where(
                    or_(table.c.archived.is_(True), table.c.updated_at <= to_db_time(now - self.retention))
                )
            )
            return [f"{SOURCE}:{row.id}" for row in rows]
