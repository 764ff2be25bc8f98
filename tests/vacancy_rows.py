"""What the collected_vacancies table says is closed, read straight from it: the collector's tests
check their marks with it (the bot itself learns of closed vacancies through the served index,
bot.services.index_follow)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.storage.vacancies import VacancyRepository, collected_vacancies, hidden, to_db_time


async def closed_keys(repository: VacancyRepository, since: datetime | None = None) -> frozenset[str]:
    """Keys of the vacancies known to be closed or merged into another source's entry (marked so
    after ``since``, when given)."""
    table = collected_vacancies
    statement = select(table.c.source, table.c.id).where(hidden(table))
    if since is not None:
        statement = statement.where(table.c.updated_at > to_db_time(since))
    async with repository.session_factory() as session:
        rows = await session.execute(statement)
        return frozenset(f"{row.source}:{row.id}" for row in rows)
