"""Per-user flood protection: at most ``limit`` events per ``window`` seconds.

The first event over the limit gets a polite answer; the rest of the flood is dropped
silently, so a flood never turns into a flood of replies.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.texts import language_for, t

logger = logging.getLogger(__name__)
MAX_TRACKED_USERS = 10_000


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._events: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    def allow(self, user_id: int) -> bool:
        now = self.clock()
        if len(self._events) > MAX_TRACKED_USERS:
            self._forget_idle(now)
        events = self._events.setdefault(user_id, deque())
        while events and now - events[0] > self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        self._warned.pop(user_id, None)
        return True

    def _forget_idle(self, now: float) -> None:
        """Keep memory bounded: drop users with no event inside the window."""
        idle = [uid for uid, events in self._events.items() if not events or now - events[-1] > self.window]
        for user_id in idle:
            del self._events[user_id]
            self._warned.pop(user_id, None)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user = getattr(event, "from_user", None)
        if user is None or self.allow(user.id):
            return await handler(event, data)
        logger.info("rate limit hit by user %s", user.id)
        lang = language_for(user.language_code)
        if isinstance(event, CallbackQuery):
            await event.answer(t(lang, "rate_limited"))
        elif isinstance(event, Message) and user.id not in self._warned:
            self._warned[user.id] = self.clock()
            await event.answer(t(lang, "rate_limited"))
        return None
