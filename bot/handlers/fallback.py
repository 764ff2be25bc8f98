"""Whatever no other handler took: free text is a skills query, captions too; unknown
commands, stickers, photos and old buttons get a short explanation."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, Message

from bot.keyboards import EXAMPLES, ExampleCb
from bot.services.advisor import Advisor
from bot.services.answering import answer_setting_typed, answer_text
from bot.storage import Repository, UserProfile
from bot.texts import t


async def unknown_command(message: Message, lang: str) -> None:
    await message.answer(t(lang, "unknown_command"))


async def free_text(
    message: Message, bot: Bot, profile: UserProfile, repo: Repository, advisor: Advisor, lang: str
) -> None:
    """Skills typed or pasted (a forwarded resume too) without /start; a city, an experience or a
    schedule typed alone ("спб", "удалёнка") is a setting instead, and the skills stay."""
    text = message.text if message.text is not None else message.caption
    if await answer_setting_typed(message, bot, text=text, lang=lang, repo=repo, advisor=advisor):
        return
    await answer_text(message, bot, text=text, profile=profile, lang=lang, repo=repo, advisor=advisor)


async def example(
    callback: CallbackQuery,
    callback_data: ExampleCb,
    bot: Bot,
    profile: UserProfile,
    repo: Repository,
    advisor: Advisor,
    lang: str,
) -> None:
    """An example button under the welcome: answered as if typed."""
    await callback.answer()
    if isinstance(callback.message, Message):
        text = EXAMPLES[callback_data.n]
        await answer_text(
            callback.message, bot, text=text, profile=profile, lang=lang, repo=repo, advisor=advisor
        )


async def not_text(message: Message, lang: str) -> None:
    await message.answer(t(lang, "not_text"))


async def stale_button(callback: CallbackQuery, lang: str) -> None:
    await callback.answer(t(lang, "stale_button"))


def build_router() -> Router:
    router = Router(name="fallback")
    router.message.register(unknown_command, F.text.startswith("/"))
    router.message.register(free_text, F.text | F.caption)
    router.message.register(not_text)
    router.callback_query.register(example, ExampleCb.filter())
    router.callback_query.register(stale_button)
    return router
