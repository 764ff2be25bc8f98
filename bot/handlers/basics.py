"""/help and /cancel."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.services.advisor import Advisor
from bot.services.formatting import period_text
from bot.texts import t


async def help_command(message: Message, lang: str, advisor: Advisor) -> None:
    period = period_text(lang, advisor.data_period())
    await message.answer(t(lang, "help") + (f"\n\n{period}" if period else ""))


async def cancel(message: Message, state: FSMContext, lang: str) -> None:
    await state.clear()
    await message.answer(t(lang, "cancelled"))


def build_router() -> Router:
    router = Router(name="basics")
    router.message.register(help_command, Command("help"))
    router.message.register(cancel, Command("cancel"))
    return router
