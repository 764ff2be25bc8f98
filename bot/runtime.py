"""What a running bot process holds: the objects ``bot.app.create_runtime`` assembles and the
serving loops (long polling, ``bot.webhook``) use. Its own module, so the webhook server can name
it without importing ``bot.app``, which starts it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher
from redis.asyncio import Redis

from bot.config import Settings
from bot.services.model_holder import ModelHolder
from bot.shared_state import SentMessages, UpdateDedupe
from bot.storage import Repository, StorageFull


@dataclass
class BotRuntime:
    settings: Settings
    bot: Bot
    dispatcher: Dispatcher
    repo: Repository
    holder: ModelHolder
    engine: Any
    sessions: Any  # async_sessionmaker, for the scheduled jobs
    redis: Redis | None
    dedupe: UpdateDedupe
    sent: SentMessages
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    # Why the database took no write at start (a full disk): the bot answers read-only until it does.
    full_at_start: StorageFull | None = None

    def stop(self) -> None:
        """Stop serving: the same as SIGTERM."""
        self.stopping.set()
