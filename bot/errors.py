"""The dispatcher's error handler: log with the update id, apologise, keep polling.

A write that failed on a full disk is told as such (nothing was saved), not as "something went wrong".

A user who blocked the bot (403) is marked inactive and loses their digests instead.
"""

from __future__ import annotations

import contextlib
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import ErrorEvent

from bot.storage import Repository, StorageFull
from bot.texts import language_for, t

logger = logging.getLogger(__name__)


def user_and_chat(event: ErrorEvent) -> tuple[int | None, int | None, str | None]:
    update = event.update
    if update.message is not None:
        user = update.message.from_user
        return (user.id if user else None), update.message.chat.id, (user.language_code if user else None)
    if update.callback_query is not None:
        cq = update.callback_query
        chat_id = cq.message.chat.id if cq.message is not None else cq.from_user.id
        return cq.from_user.id, chat_id, cq.from_user.language_code
    return None, None, None


async def handle_error(event: ErrorEvent, bot: Bot, repo: Repository) -> bool:
    user_id, chat_id, language_code = user_and_chat(event)
    if isinstance(event.exception, StorageFull):  # a write the user asked for: say it truthfully
        logger.warning("update %s from user %s: %s", event.update.update_id, user_id, event.exception)
        await _tell(event, bot, repo, chat_id, t(language_for(language_code), "storage_full"))
        return True
    if isinstance(event.exception, TelegramForbiddenError):
        logger.info("update %s: user %s blocked the bot; marking inactive", event.update.update_id, user_id)
        if user_id is not None:
            await repo.mark_inactive(user_id)
        return True
    logger.error(
        "update %s from user %s failed: %r",
        event.update.update_id,
        user_id,
        event.exception,
        exc_info=event.exception,
    )
    await _tell(event, bot, repo, chat_id, t(language_for(language_code), "error"))
    return True


async def _tell(event: ErrorEvent, bot: Bot, repo: Repository, chat_id: int | None, text: str) -> None:
    if event.update.callback_query is not None:
        with contextlib.suppress(TelegramAPIError):  # already answered or too old
            await event.update.callback_query.answer()
    if chat_id is not None:
        try:
            await bot.send_message(chat_id, text)
        except TelegramForbiddenError:
            await repo.mark_inactive(chat_id)
        except TelegramAPIError:
            logger.warning("could not tell chat %s what went wrong", chat_id)
