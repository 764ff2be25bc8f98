"""Async Alembic environment. ``render_as_batch`` lets ALTER TABLE work on SQLite.

Migrations run under a lock, so several processes upgrading at once (bot replicas and a
worker starting together, or three `jobrec db upgrade`) run one after another and the later
ones find the schema at head: a PostgreSQL advisory lock held by the migrating connection,
a file lock beside the database file for SQLite.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config

from bot.config import Settings
from bot.storage.db import transactional_sqlite
from bot.storage.locks import MIGRATION_LOCK, file_lock, lock_key, sqlite_lock_path
from bot.storage.models import Base

config = context.config
if config.config_file_name and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name)

target_metadata = Base.metadata


def database_url() -> str:
    """The URL `jobrec` passed in, else DATABASE_URL as every command reads it (environment, .env)."""
    return config.get_main_option("sqlalchemy.url") or Settings().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        key = lock_key(MIGRATION_LOCK)
        # Session-level, committed at once: Alembic then runs its own transaction on this
        # connection, and the lock outlives it until the unlock below (or the connection's end).
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        connection.commit()
        try:
            migrate(connection)
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()
    else:
        migrate(connection)


def migrate(connection: Connection) -> None:
    # All pending migrations and their version rows in one transaction, SQLite included
    # (transactional_sqlite below): a killed upgrade leaves the previous schema, never half of one.
    context.configure(
        connection=connection, target_metadata=target_metadata, render_as_batch=True, transactional_ddl=True
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    section = config.get_section(config.config_ini_section, {})
    section["sqlalchemy.url"] = database_url()
    connectable = async_engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    if connectable.dialect.name == "sqlite":
        transactional_sqlite(connectable)
    async with connectable.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await connectable.dispose()


def run_migrations_online() -> None:
    path = sqlite_lock_path(database_url(), "migrations")
    if path is None:
        asyncio.run(run_async_migrations())
        return
    with file_lock(path):
        asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
