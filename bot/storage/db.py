"""Engine, sessions and migrations.

SQLite (the default) gets WAL mode, so the bot and the collector can read while the other
writes, and enforced foreign keys, so deleting a user cascades to everything about them.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import Table, event, exc, text
from sqlalchemy.dialects.postgresql import Insert as PostgresqlInsert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from recommender.cli import UsageError

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
ALEMBIC_INI = ROOT / "alembic.ini"
MIGRATIONS_DIR = ROOT / "migrations"


P = ParamSpec("P")
R = TypeVar("R")


class StorageError(UsageError):
    """The database cannot be used; the message is one line for the operator, without a password.
    A UsageError, so every `jobrec` command (import, collect, worker…) prints it as one line."""


class StorageFull(StorageError):
    """The database's disk is full (SQLite: SQLITE_FULL, "database or disk is full";
    PostgreSQL: SQLSTATE 53100 disk_full). Reads still work; writes work again as soon as
    space is freed, without a restart."""


SQLITE_FULL = 13
POSTGRES_DISK_FULL = "53100"


def is_disk_full(error: BaseException) -> bool:
    if (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF == SQLITE_FULL:
        return True
    if POSTGRES_DISK_FULL in (getattr(error, "sqlstate", None), getattr(error, "pgcode", None)):
        return True
    return "database or disk is full" in str(error).lower()


def _disk_full(context: ExceptionContext) -> BaseException | None:
    """Raise a full disk as ``StorageFull`` (one line, no SQLAlchemy internals) wherever it occurs."""
    if is_disk_full(context.original_exception):
        return StorageFull(f"the database's disk is full: {_reason(context.original_exception)}")
    return None


def parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
        parsed.get_dialect().import_dbapi()
    # NoSuchModuleError is an ArgumentError: the narrower one first.
    except exc.NoSuchModuleError as error:
        driver = url.split(":", 1)[0]
        raise StorageError(f"DATABASE_URL names an unknown database driver: {driver}") from error
    except exc.ArgumentError as error:
        raise StorageError(
            "DATABASE_URL is not a database URL (e.g. sqlite+aiosqlite:///var/jobrec.db)"
        ) from error
    except ImportError as error:
        raise StorageError(f"DATABASE_URL needs the driver {error.name}, which is not installed") from error
    return parsed


def safe_url(url: str) -> str:
    return parse_url(url).render_as_string(hide_password=True)


def sqlite_file(url: str) -> Path | None:
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return Path(parsed.database)
    return None


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite file (``var/`` by default) so the first start works."""
    path = sqlite_file(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            message = f"cannot create the database folder {path.parent}: {error.strerror}"
            raise StorageError(message) from error


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except Exception as error:  # the driver's OperationalError
        # Switching a database to WAL writes to it: on a full disk the connection keeps the
        # file's journal mode and serves reads; a connection opened after space returns switches.
        if not is_disk_full(error):
            raise
        logger.warning("SQLite: cannot switch to WAL on a full disk; reading in the current journal mode")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


# SQLite errors after which a connection is useless even once the fault is gone: a file opened
# while it was read-only stays read-only, a failed disk stays failed for that handle.
_SQLITE_BROKEN_CONNECTION = ("readonly database", "disk i/o error", "unable to open database file")


def _invalidate_broken(context: ExceptionContext) -> None:
    if any(marker in str(context.original_exception).lower() for marker in _SQLITE_BROKEN_CONNECTION):
        context.is_disconnect = True  # the pool drops this connection and opens a fresh one


def _watch_sqlite_file(engine: AsyncEngine, path: Path) -> None:
    """Never write into a deleted file: SQLite keeps writing to an unlinked inode, and the data
    is gone at restart. A connection whose file was deleted or replaced is dropped."""

    def remember_inode(_dbapi_connection: Any, record: Any) -> None:
        record.info["inode"] = _inode(path)

    def check_inode(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if _inode(path) != record.info.get("inode"):
            logger.error("database file %s was deleted or replaced while the bot ran", path)
            raise exc.DisconnectionError(f"database file {path} is missing")

    event.listen(engine.sync_engine, "connect", remember_inode)
    event.listen(engine.sync_engine, "checkout", check_inode)


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def create_engine(url: str, *, pool_size: int | None = None) -> AsyncEngine:
    """``pool_size``: server connections kept open (PostgreSQL; SQLAlchemy's 5 by default)."""
    # aiosqlite logs every statement with its parameters (users' skills) at DEBUG.
    logging.getLogger("aiosqlite").setLevel(max(logging.INFO, logging.getLogger("aiosqlite").level))
    ensure_sqlite_folder(url)
    path = sqlite_file(url)
    if path is not None:
        # mode=rw: a connection never creates the file (the migrations do), so a deleted
        # database is an error, not a fresh empty file.
        database = f"file:{quote(str(path.resolve()))}"
        url = (
            parse_url(url)
            .set(database=database, query={"mode": "rw", "uri": "true"})
            .render_as_string(hide_password=False)
        )
    # hide_parameters: statements logged at DEBUG and database errors never carry users' data.
    # No pool_pre_ping: its round trip on every checkout was ~12 % of a replica's event loop.
    # A connection the server dropped fails its first statement instead, which invalidates
    # the pool, and every storage call runs again on a fresh connection
    # (retry_on_fresh_connection).
    server = parse_url(url).get_backend_name() != "sqlite"
    pool = {"pool_size": pool_size} if pool_size is not None and server else {}
    engine = create_async_engine(url, hide_parameters=True, connect_args=connect_args(url), **pool)
    event.listen(engine.sync_engine, "handle_error", _disk_full)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "handle_error", _invalidate_broken)
        assert path is not None
        _watch_sqlite_file(engine, path.resolve())
    return engine


def retry_on_fresh_connection(
    method: Callable[P, Coroutine[Any, Any, R]],
) -> Callable[P, Coroutine[Any, Any, R]]:
    """Run a storage call again, once, after its connection broke (it was dropped from the pool,
    so the retry gets a fresh one): a short database fault costs no user an answer."""

    @functools.wraps(method)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await method(*args, **kwargs)
        except exc.DBAPIError as error:
            if not error.connection_invalidated:
                raise
            logger.warning("database connection broke (%s); retrying on a fresh one", error.orig)
            return await method(*args, **kwargs)

    return wrapper


async def check_writable(engine: AsyncEngine) -> None:
    """Fail now, in one line, if the database cannot be written (read-only file or replica)."""
    try:
        async with engine.connect() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
            await connection.rollback()
    except (exc.DBAPIError, OSError) as error:
        where = engine.url.render_as_string(hide_password=True)
        raise StorageError(f"the database {where} is not writable: {_reason(error)}") from error


async def check_readable(engine: AsyncEngine) -> None:
    """Fail now, in one line, if the database cannot even be read. SQLite in WAL mode must create
    its -shm and -wal files to open a database no process has open: on a disk without a free
    byte that fails, and every read with it."""
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT version_num FROM alembic_version"))
    except (exc.DBAPIError, OSError, StorageError) as error:
        where = engine.url.render_as_string(hide_password=True)
        raise StorageError(f"the database {where} cannot be read: {_reason(error)}") from error


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__


def transactional_sqlite(engine: AsyncEngine) -> None:
    """Let SQLite run DDL inside a real transaction, so a killed migration rolls back whole.

    The sqlite3 driver begins transactions itself, only before data changes, so CREATE TABLE
    runs outside any; with its own BEGIN switched off, SQLAlchemy's begin emits one
    (the recipe in SQLAlchemy's SQLite dialect docs, "Serializable isolation / Savepoints")."""

    def no_driver_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    def begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    event.listen(engine.sync_engine, "connect", no_driver_begin)
    event.listen(engine.sync_engine, "begin", begin)


def connect_args(url: str) -> dict[str, Any]:
    """PostgreSQL: name the connection after this process, so pg_stat_activity (and pg_locks:
    who holds the digest lock?) tells replicas and workers apart."""
    if make_url(url).get_backend_name() != "postgresql":
        return {}
    return {"server_settings": {"application_name": f"jobrec-{os.getpid()}"}}


def upsert_into(table: Table, dialect: str) -> PostgresqlInsert | SqliteInsert:
    """An INSERT that can take ``on_conflict_do_update`` (one statement, both dialects)."""
    return postgresql_insert(table) if dialect == "postgresql" else sqlite_insert(table)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation: a literal % in a password must be doubled.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    """Run the migrations up to ``revision``. Blocking: the async env.py runs its own event
    loop, so call it from a thread (``asyncio.to_thread``) when a loop is already running."""
    ensure_sqlite_folder(url)
    logger.info("upgrading database to %s", revision)
    try:
        command.upgrade(alembic_config(url), revision)
    except CommandError as error:
        raise StorageError(f"cannot upgrade the database to {revision!r}: {error}") from error
    except (exc.DBAPIError, OSError) as error:
        if is_disk_full(getattr(error, "orig", None) or error):
            raise StorageFull(f"cannot upgrade the database: its disk is full ({_reason(error)})") from error
        raise StorageError(f"cannot open the database {safe_url(url)}: {_reason(error)}") from error
