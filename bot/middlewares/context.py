"""Gives every handler the repository, the user's stored profile and their language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from bot.services.advisor import Advisor
from bot.storage import Repository
from bot.texts import language_for


class ContextMiddleware(BaseMiddleware):
    def __init__(self, repo: Repository, advisor: Advisor) -> None:
        self.repo = repo
        self.advisor = advisor

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data["repo"] = self.repo
        data["advisor"] = self.advisor
        user = getattr(event, "from_user", None)
        if user is None:
            data["lang"] = language_for(None)
            data["profile"] = None
            return await handler(event, data)
        profile = await self.repo.touch_user(user.id, language_for(user.language_code))
        data["profile"] = profile
        data["lang"] = profile.language
        return await handler(event, data)
