"""The ``model_versions`` table: which model bundle is current, for every process at once.

A retrain promotes by inserting one row (one transaction) served from that moment; the row
served last (``served_at``) is current. Bot replicas and workers compare it with what they
serve and load the new bundle when it differs. A candidate the quality gate refused is kept as
a "rejected" row, never served; every row carries the gate's decision and reasons. A rollback
(`jobrec model rollback`) serves an older row again by stamping its ``served_at``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.db import retry_on_fresh_connection
from bot.storage.models import ModelVersionRow
from bot.storage.vacancies import from_db_time, to_db_time

PROMOTED = "promoted"
REJECTED = "rejected"


@dataclass(frozen=True)
class ModelVersion:
    id: int
    version: str
    path: str
    sha256: str
    created_at: datetime
    metrics: dict[str, Any] = field(default_factory=dict)
    status: str = PROMOTED
    gate: dict[str, Any] = field(default_factory=dict)
    served_at: datetime | None = None


def _version(row: ModelVersionRow) -> ModelVersion:
    return ModelVersion(
        id=row.id,
        version=row.version,
        path=row.path,
        sha256=row.sha256,
        created_at=from_db_time(row.created_at) or datetime.now(UTC),
        metrics=json.loads(row.metrics or "{}"),
        status=row.status or PROMOTED,
        gate=json.loads(row.gate or "{}"),
        served_at=from_db_time(row.served_at),
    )


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class ModelVersionRepository:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    @retry_on_fresh_connection
    async def record(
        self,
        version: str,
        path: str,
        sha256: str,
        metrics: dict[str, Any],
        gate: dict[str, Any] | None = None,
        *,
        status: str = PROMOTED,
    ) -> ModelVersion:
        """Add a version: one INSERT in one transaction. A promoted one is current from now;
        a rejected one is only kept for the record."""
        now = to_db_time(datetime.now(UTC))
        row = ModelVersionRow(
            version=version,
            path=path,
            sha256=sha256,
            metrics=_json(metrics),
            created_at=now,
            status=status,
            gate=_json(gate or {}),
            served_at=now if status == PROMOTED else None,
        )
        async with self.session_factory.begin() as session:
            session.add(row)
        return _version(row)

    @retry_on_fresh_connection
    async def serve(self, version: str) -> ModelVersion | None:
        """Make a recorded, promoted version current again (a rollback); None if there is none."""
        async with self.session_factory.begin() as session:
            result = await session.execute(
                update(ModelVersionRow)
                .where(ModelVersionRow.version == version, ModelVersionRow.status == PROMOTED)
                .values(served_at=to_db_time(datetime.now(UTC)))
            )
        return await self.find(version) if result.rowcount else None  # type: ignore[attr-defined]

    @retry_on_fresh_connection
    async def find(self, version: str) -> ModelVersion | None:
        async with self.session_factory() as session:
            row = await session.scalar(select(ModelVersionRow).where(ModelVersionRow.version == version))
            return _version(row) if row is not None else None

    @retry_on_fresh_connection
    async def current(self) -> ModelVersion | None:
        """The version served last; None before any was recorded."""
        statement = (
            select(ModelVersionRow)
            .where(ModelVersionRow.served_at.is_not(None))
            .order_by(ModelVersionRow.served_at.desc(), ModelVersionRow.id.desc())
            .limit(1)
        )
        async with self.session_factory() as session:
            row = await session.scalar(statement)
            return _version(row) if row is not None else None

    @retry_on_fresh_connection
    async def history(self, limit: int = 20) -> list[ModelVersion]:
        """The newest versions first, rejected ones included."""
        statement = select(ModelVersionRow).order_by(ModelVersionRow.id.desc()).limit(limit)
        async with self.session_factory() as session:
            return [_version(row) for row in (await session.execute(statement)).scalars()]
