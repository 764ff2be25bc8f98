"""Locks that hold across processes, so several bot replicas and workers can share one database.

PostgreSQL: advisory locks, held by a connection and released by the server when that
connection ends (a killed process never leaves a lock behind). SQLite: an exclusive
``flock`` on a file beside the database, which the kernel releases the same way.

- ``migration_lock_key`` / ``sqlite_lock_path``: what ``migrations/env.py`` locks while it
  upgrades, so concurrent ``jobrec db upgrade`` (or bot start-ups) run one after another.
- ``JobLocks.hold(name)``: a try-lock for one scheduled job's body; a second worker that
  finds it taken skips the run instead of doing the same work twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import IO
from urllib.parse import unquote

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage.db import retry_on_fresh_connection

logger = logging.getLogger(__name__)

MIGRATION_LOCK = "jobrec:migrations"


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for a lock name."""
    return int.from_bytes(hashlib.sha1(name.encode("utf-8")).digest()[:8], "big", signed=True)


def sqlite_lock_path(url: str, name: str) -> Path | None:
    """``<database file>.<name>.lock``; None for in-memory databases and other dialects."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):  # a URI filename (bot.storage.db opens files mode=rw)
        database = unquote(database.removeprefix("file:"))
    return Path(f"{database}.{name.replace(':', '-')}.lock")


@contextlib.contextmanager
def file_lock(path: Path, *, blocking: bool = True) -> Iterator[bool]:
    """An exclusive flock on ``path``; yields False when not blocking and someone else holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    stream: IO[bytes] = path.open("ab")
    try:
        flags = fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB)
        try:
            fcntl.flock(stream.fileno(), flags)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(stream.fileno(), fcntl.LOCK_UN)
    finally:
        stream.close()


class JobLocks:
    """Try-locks for job bodies, one per job name, across every process on the database."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.url = engine.url.render_as_string(hide_password=False)

    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[bool]:
        """Yields True while this process holds ``name``; False (at once) when another one does."""
        if self.engine.dialect.name == "postgresql":
            async with self._advisory(name) as acquired:
                yield acquired
            return
        path = sqlite_lock_path(self.url, f"job-{name}")
        if path is None:  # in-memory SQLite: one process by definition
            yield True
            return
        with file_lock(path, blocking=False) as acquired:
            yield acquired

    @contextlib.asynccontextmanager
    async def _advisory(self, name: str) -> AsyncIterator[bool]:
        key = lock_key(f"jobrec:job:{name}")
        connection = await self._try_lock(key)
        if connection is None:
            yield False
            return
        try:
            yield True
        finally:
            # Shielded: a cancelled job must still give its lock back before the
            # connection returns to the pool.
            await asyncio.shield(self._unlock(connection, key))

    @retry_on_fresh_connection
    async def _try_lock(self, key: int) -> AsyncConnection | None:
        """The connection holding the lock (the lock is the session's, not a transaction's),
        or None when another process holds it."""
        connection = await self.engine.connect()
        try:
            result = await connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
            acquired = bool(result.scalar())
            await connection.commit()
        except BaseException:
            await connection.close()
            raise
        if not acquired:
            await connection.close()
            return None
        return connection

    @staticmethod
    async def _unlock(connection: AsyncConnection, key: int) -> None:
        try:
            await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            await connection.commit()
        finally:
            await connection.close()
