"""Bot API request middleware: count every message this process sends (``SentMessages``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType

from bot.shared_state import SentMessages

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import TelegramMethod

# What Telegram's ~30 messages a second counts: messages sent or changed in a chat.
MESSAGE_METHODS = frozenset(
    {
        "SendMessage", "SendPhoto", "SendDocument", "SendMediaGroup", "CopyMessage", "ForwardMessage",
        "EditMessageText", "EditMessageReplyMarkup", "EditMessageCaption", "EditMessageMedia",
    }
)  # fmt: skip


class CountSentMessages(BaseRequestMiddleware):
    def __init__(self, sent: SentMessages, clock: Callable[[], float] = time.time) -> None:
        self.sent = sent
        self.clock = clock

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Any:
        if type(method).__name__ in MESSAGE_METHODS:
            await self.sent.add(self.clock())  # counted as it leaves: a refused one used the slot too
        return await make_request(bot, method)
