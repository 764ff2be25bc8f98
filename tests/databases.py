"""Fresh test databases on SQLite and PostgreSQL, and dialect-neutral looks into them.

Used by the ``database_url`` fixture (tests/conftest.py) and by tests that start
subprocesses against a database. PostgreSQL is the shared server on 127.0.0.1:5432
(trust auth): every test gets its own database, dropped afterwards.
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

T = TypeVar("T")

POSTGRES_ADMIN_URL = os.environ.get("JOBREC_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def run_in_thread(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on its own loop in a thread: callable from sync code and from inside a loop."""
    results: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results.append(asyncio.run(make()))
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results[0]


def postgres_admin(statement: str) -> None:
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    run_in_thread(run)


def postgres_unavailable() -> str | None:
    """None when the server answers; otherwise why not, for the skip message."""
    try:
        postgres_admin("SELECT 1")
    except (OSError, TimeoutError) as exc:
        return f"PostgreSQL unreachable at {POSTGRES_ADMIN_URL}: {exc}"
    except Exception as exc:  # asyncpg's own errors: authentication, a missing database
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} refused the tests: {exc}"
    return None


def fresh_postgres_database() -> Iterator[str]:
    """Yields the URL of a new empty database, dropped (connections and all) afterwards."""
    name = f"jobrec_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    postgres_admin(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def on_database(url: str, work: Callable[[AsyncConnection], Coroutine[Any, Any, T]]) -> T:
    """``work(connection)`` on a throwaway engine for ``url``."""

    async def run() -> T:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return await work(connection)
        finally:
            await engine.dispose()

    return run_in_thread(run)


def table_names(url: str) -> set[str]:
    """Tables of the database (without Alembic's own), by SQLAlchemy inspection."""

    async def names(connection: AsyncConnection) -> set[str]:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))

    return on_database(url, names) - {"alembic_version"}


def scalar(url: str, sql: str) -> Any:
    async def one(connection: AsyncConnection) -> Any:
        return (await connection.execute(text(sql))).scalar()

    return on_database(url, one)


def downgrade_database(url: str, revision: str) -> None:
    """Alembic's downgrade (the bot only ever upgrades; the migration tests go both ways)."""
    from alembic import command

    from bot.storage.db import alembic_config

    command.downgrade(alembic_config(url), revision)


# --- Redis: the shared server on 127.0.0.1:6379; each test its own key prefix ---------------

REDIS_URL = os.environ.get("JOBREC_TEST_REDIS", "redis://127.0.0.1:6379/0")


def redis_unavailable() -> str | None:
    from redis.asyncio import Redis

    async def ping() -> None:
        client = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        try:
            await client.ping()
        finally:
            await client.aclose()

    try:
        run_in_thread(ping)
    except Exception as exc:  # connection refused, timeouts, auth: all mean "skip"
        return f"Redis unreachable at {REDIS_URL}: {exc}"
    return None


def fresh_redis_prefix() -> Iterator[str]:
    """A unique key prefix; every key under it is deleted afterwards."""
    from redis.asyncio import Redis

    prefix = f"jobrec-test-{os.getpid()}-{uuid.uuid4().hex[:10]}"
    yield prefix

    async def clean() -> None:
        client = Redis.from_url(REDIS_URL)
        try:
            keys = [key async for key in client.scan_iter(match=f"{prefix}:*")]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()

    run_in_thread(clean)
