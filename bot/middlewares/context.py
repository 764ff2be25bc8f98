"""Gives every handler the repository, the user's stored profile and their language.

Only a private message makes someone a user: a group message stores nothing, and a button
pressed by someone with no row (an old keyboard after /forget) does not bring them back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.services.advisor import Advisor
from bot.storage import Repository
from bot.texts import language_for, t


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
        if isinstance(event, Message) and event.chat.type != ChatType.PRIVATE:
            return None  # the bot is a personal assistant: groups get nothing, store nothing
        if isinstance(event, CallbackQuery):
            profile = await self.repo.get_profile(user.id)
            if profile is None:
                await event.answer(t(language_for(user.language_code), "stale_button"))
                return None
        else:
            profile = await self.repo.touch_user(user.id, language_for(user.language_code))
        data["profile"] = profile
        data["lang"] = profile.language
        return await handler(event, data)


class CaptionAsTextMiddleware(BaseMiddleware):
    """A photo or document with a caption reads as a text message wherever text is accepted
    (skills, a city, a forwarded resume with a picture)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Message) and event.text is None and event.caption:
            event = event.model_copy(update={"text": event.caption, "entities": event.caption_entities})
        return await handler(event, data)
