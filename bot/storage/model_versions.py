"""The ``model_versions`` table: which model bundle is current, for every process at once.

A retrain promotes by inserting one row (one transaction); the newest row is current. Bot
replicas and workers compare it with what they serve and load the new bundle when it differs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.db import retry_on_fresh_connection
from bot.storage.models import ModelVersionRow
from bot.storage.vacancies import from_db_time, to_db_time


@dataclass(frozen=True)
class ModelVersion:
    id: int
    version: str
    path: str
    sha256: str
    created_at: datetime
    metrics: dict[str, Any] = field(default_factory=dict)


def _version(row: ModelVersionRow) -> ModelVersion:
    return ModelVersion(
        id=row.id,
        version=row.version,
        path=row.path,
        sha256=row.sha256,
        created_at=from_db_time(row.created_at) or datetime.now(UTC),
        metrics=json.loads(row.metrics or "{}"),
    )


class ModelVersionRepository:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    @retry_on_fresh_connection
    async def record(self, version: str, path: str, sha256: str, metrics: dict[str, Any]) -> ModelVersion:
        """Make ``version`` current: one INSERT in one transaction."""
        row = ModelVersionRow(
            version=version,
            path=path,
            sha256=sha256,
            metrics=json.dumps(metrics, ensure_ascii=False, default=str),
            created_at=to_db_time(datetime.now(UTC)),
        )
        async with self.session_factory.begin() as session:
            session.add(row)
        return _version(row)

    @retry_on_fresh_connection
    async def current(self) -> ModelVersion | None:
        history = await self.history(limit=1)
        return history[0] if history else None

    @retry_on_fresh_connection
    async def history(self, limit: int = 20) -> list[ModelVersion]:
        """The newest promotions first."""
        statement = select(ModelVersionRow).order_by(ModelVersionRow.id.desc()).limit(limit)
        async with self.session_factory() as session:
            return [_version(row) for row in (await session.execute(statement)).scalars()]
