"""A database whose disk fills up and empties again, for the full-disk tests.

SQLite: for real. The database lives on its own small tmpfs (mounting needs root; the tests skip
otherwise); ``fill`` empties the WAL file (SQLite reuses its space, so a full disk would go
unnoticed by small writes) and writes a filler file until the kernel says ENOSPC; every write
then fails with SQLITE_FULL, "database or disk is full". ``free`` deletes the filler.

PostgreSQL: a test cannot fill the shared server's disk, so ``fill`` installs statement triggers
on every table that raise what the server raises when it cannot extend a file, SQLSTATE 53100
(disk_full), "could not extend file … No space left on device"; reads are untouched, as on a full
disk. ``free`` drops them.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
import subprocess
from pathlib import Path

from databases import on_database
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

DISK_FULL_FUNCTION = """
CREATE OR REPLACE FUNCTION jobrec_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'could not extend file "base/16384/16385": No space left on device'
    USING ERRCODE = 'disk_full', HINT = 'Check free disk space.';
END $$
"""
TABLES = """
SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'
"""


def mount_tmpfs(folder: Path, size: str = "4m") -> str | None:
    """Mount a tmpfs of ``size`` on ``folder``; None, or why it cannot (for the skip message)."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        return f"cannot mount a tmpfs to fill (needs root): {done.stderr.decode().strip()}"
    return None


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


class SqliteDisk:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.database = folder / "jobrec.db"
        self.filler = folder / "filler"
        self.url = f"sqlite+aiosqlite:///{self.database}"

    def fill(self) -> None:
        with contextlib.closing(sqlite3.connect(self.database)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        chunk = b"\0" * 4096
        with self.filler.open("wb", buffering=0) as stream:
            while True:
                try:
                    stream.write(chunk)
                except OSError as error:
                    if error.errno != errno.ENOSPC:
                        raise
                    return

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)


class PostgresDisk:
    def __init__(self, url: str) -> None:
        self.url = url

    def fill(self) -> None:
        async def install(connection: AsyncConnection) -> None:
            await connection.execute(text(DISK_FULL_FUNCTION))
            for (table,) in (await connection.execute(text(TABLES))).all():
                trigger = (
                    f'CREATE TRIGGER jobrec_test_disk_full BEFORE INSERT OR UPDATE OR DELETE ON "{table}" '
                    "FOR EACH STATEMENT EXECUTE FUNCTION jobrec_test_disk_full()"
                )
                await connection.execute(text(trigger))
            await connection.commit()

        on_database(self.url, install)

    def free(self) -> None:
        async def drop(connection: AsyncConnection) -> None:
            for (table,) in (await connection.execute(text(TABLES))).all():
                await connection.execute(text(f'DROP TRIGGER IF EXISTS jobrec_test_disk_full ON "{table}"'))
            await connection.commit()

        on_database(self.url, drop)
