"""The ``handled_updates`` table: updates a long-polling bot handled but could not confirm.

Telegram confirms updates by offset, so an update handled behind one that was cut by the
shutdown stays unconfirmed and is delivered again to the next process. With Redis its "done"
mark skips it (bot.shared_state.UpdateDedupe); without Redis the stopping poller writes its id
here, the next poller reads the ids at start and skips those updates, and the rows go once
their offset is confirmed. Telegram keeps an update at most 24 hours, so older rows are ignored
and deleted with the next confirmation (update ids may restart after a quiet week: a stale row
must never hide a new update).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.db import retry_on_fresh_connection, upsert_into
from bot.storage.models import HandledUpdateRow
from bot.storage.vacancies import to_db_time

# Telegram drops an unconfirmed update after this long: no re-delivery can come later.
TELEGRAM_KEEPS_UPDATES = timedelta(hours=24)


class HandledUpdates:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], bot_id: int) -> None:
        self.session_factory = session_factory
        self.bot_id = bot_id

    @retry_on_fresh_connection
    async def record(self, update_ids: Collection[int]) -> None:
        if not update_ids:
            return
        now = to_db_time(datetime.now(UTC))
        rows = [{"bot_id": self.bot_id, "update_id": uid, "handled_at": now} for uid in update_ids]
        async with self.session_factory.begin() as session:
            dialect = session.get_bind().dialect.name
            statement = upsert_into(HandledUpdateRow.__table__, dialect).values(rows)  # type: ignore[arg-type]
            await session.execute(statement.on_conflict_do_nothing())

    @retry_on_fresh_connection
    async def load(self) -> set[int]:
        """The ids a previous process recorded within Telegram's 24 hours (a read: older rows go
        with ``forget_below``)."""
        oldest = to_db_time(datetime.now(UTC) - TELEGRAM_KEEPS_UPDATES)
        recent = (HandledUpdateRow.bot_id == self.bot_id, HandledUpdateRow.handled_at >= oldest)
        async with self.session_factory() as session:
            return set(await session.scalars(select(HandledUpdateRow.update_id).where(*recent)))

    @retry_on_fresh_connection
    async def forget_below(self, offset: int) -> None:
        """Telegram confirmed every update below ``offset``: it will not deliver them again."""
        oldest = to_db_time(datetime.now(UTC) - TELEGRAM_KEEPS_UPDATES)
        async with self.session_factory.begin() as session:
            await session.execute(
                delete(HandledUpdateRow).where(
                    HandledUpdateRow.bot_id == self.bot_id,
                    or_(HandledUpdateRow.update_id < offset, HandledUpdateRow.handled_at < oldest),
                )
            )
