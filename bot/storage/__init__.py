"""Persistence: the only package that imports SQLAlchemy."""

from bot.storage.db import (
    StorageError,
    StorageFull,
    check_readable,
    check_writable,
    create_engine,
    create_sessionmaker,
    upgrade_database,
)
from bot.storage.health import database_ready
from bot.storage.repository import QueryRecord, Repository, SavedVacancy, Stats, UserProfile

__all__ = [
    "QueryRecord",
    "Repository",
    "SavedVacancy",
    "Stats",
    "StorageError",
    "StorageFull",
    "UserProfile",
    "check_readable",
    "check_writable",
    "create_engine",
    "create_sessionmaker",
    "database_ready",
    "upgrade_database",
]
