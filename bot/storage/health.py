"""Is the database answering? For `/readyz`."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.db import retry_on_fresh_connection


async def database_ready(engine: AsyncEngine, timeout: float = 2.0) -> tuple[bool, str]:
    @retry_on_fresh_connection  # a connection dropped while idle in the pool is not "not ready"
    async def ping() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(ping(), timeout)
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        return False, type(exc).__name__
    return True, "ok"
