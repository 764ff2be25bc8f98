"""Gives every handler the repository, the user's stored profile and their language.

Only a private message makes someone a user: a group message stores nothing, and a button
pressed by someone with no row (an old keyboard after /forget) does not bring them back.

The last-seen write before each message is bookkeeping: when the database's disk is full it
is skipped (the profile is read instead) and the answer goes on; the admins are told once per
outage (``DiskWatch``), and the next write that succeeds ends it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.storage import Repository, StorageFull, UserProfile
from bot.texts import language_for, t

logger = logging.getLogger(__name__)


class DiskWatch:
    """Whether the database takes writes; ``on_full`` (the admins) is called once per outage."""

    def __init__(self) -> None:
        self.full = False
        self.on_full: Callable[[str], Awaitable[None]] | None = None

    async def failed(self, error: StorageFull) -> None:
        if self.full:
            return
        self.full = True
        logger.error("%s; answering without bookkeeping writes until space is freed", error)
        if self.on_full is not None:
            await self.on_full(str(error))

    def succeeded(self) -> None:
        if self.full:
            logger.info("the database takes writes again")
        self.full = False


class ContextMiddleware(BaseMiddleware):
    """Per-update values: the user's ``profile`` (created on first contact) and ``lang``. The
    app-wide objects (repo, advisor, holder) are the dispatcher's workflow data."""

    def __init__(self, repo: Repository, disk: DiskWatch | None = None) -> None:
        self.repo = repo
        self.disk = disk or DiskWatch()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Message) and event.chat.type != ChatType.PRIVATE:
            # A personal assistant: profiles are keyed by the private chat, so groups get nothing
            # and store nothing (anonymous senders included). The one private-chat filter: it
            # runs before every router.
            return None
        user = getattr(event, "from_user", None)
        if user is None:
            data["lang"] = language_for(None)
            data["profile"] = None
            return await handler(event, data)
        if isinstance(event, CallbackQuery):
            profile = await self.repo.get_profile(user.id)
            if profile is None:
                await event.answer(t(language_for(user.language_code), "stale_button"))
                return None
        else:
            profile = await self._touch(user.id, language_for(user.language_code))
        data["profile"] = profile
        data["lang"] = profile.language
        return await handler(event, data)

    async def _touch(self, user_id: int, language: str) -> UserProfile:
        """The user's profile, last seen now; on a full disk as stored (or new, unsaved)."""
        try:
            profile = await self.repo.touch_user(user_id, language)
        except StorageFull as error:
            await self.disk.failed(error)
            stored = await self.repo.get_profile(user_id)
            return stored if stored is not None else UserProfile(id=user_id, language=language, stored=False)
        self.disk.succeeded()
        return profile


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
