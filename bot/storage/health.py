"""Is the database answering? For `/readyz`."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine


async def database_ready(engine: AsyncEngine, timeout: float = 2.0) -> tuple[bool, str]:
    async def ping() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(ping(), timeout)
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        return False, type(exc).__name__
    return True, "ok"
