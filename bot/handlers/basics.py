"""/help and /cancel."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.texts import t


async def help_command(message: Message, lang: str) -> None:
    await message.answer(t(lang, "help"))


async def cancel(message: Message, state: FSMContext, lang: str) -> None:
    await state.clear()
    await message.answer(t(lang, "cancelled"))


def build_router() -> Router:
    router = Router(name="basics")
    router.message.register(help_command, Command("help"))
    router.message.register(cancel, Command("cancel"))
    return router
