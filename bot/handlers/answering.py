"""Sending a recommendation answer: shared by the /start dialogue, free text and /jobs.

Two messages: what was recognized (specialization, skills to learn), then the vacancies
with paging, salary and feedback buttons. The vacancy message is the one paging edits.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.chat_action import ChatActionSender

from bot.keyboards import answer_keyboard
from bot.services.advisor import Advisor, Filters, clean_input
from bot.services.formatting import (
    CAPTION_LIMIT,
    recognition_text,
    salary_text,
    split_message,
    vacancies_text,
)
from bot.storage import Repository, UserProfile
from bot.texts import t

logger = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def busy(bot: Bot, chat_id: int, action: str = "typing") -> AsyncIterator[None]:
    """Show "typing…" at once and keep it up while slow work runs (Telegram drops it after 5 s)."""
    await bot.send_chat_action(chat_id, action)
    async with ChatActionSender(bot=bot, chat_id=chat_id, action=action, initial_sleep=4.5):
        yield


async def edit(message: Message, text: str | None = None, **kwargs: Any) -> None:
    """Edit a message's text (or only its keyboard when ``text`` is None). A repeated press that
    would change nothing is not an error: Telegram answers "message is not modified"."""
    try:
        if text is None:
            await message.edit_reply_markup(**kwargs)
        else:
            await message.edit_text(text, **kwargs)
    except TelegramBadRequest as exc:
        if "not modified" not in exc.message:
            raise
        logger.debug("message %s already shows this", message.message_id)


def filters_of(profile: UserProfile | None) -> Filters:
    if profile is None:
        return Filters()
    return Filters(area=profile.city_name, experience=profile.experience, schedule=profile.schedule)


async def send_long(message: Message, text: str, **kwargs: object) -> Message:
    """Send text split under Telegram's limit; keyboard and options go on the last part."""
    parts = split_message(text)
    for part in parts[:-1]:
        await message.answer(part)
    return await message.answer(parts[-1], **kwargs)  # type: ignore[arg-type]


async def send_advice(
    message: Message,
    bot: Bot,
    *,
    text: str | None,
    profile: UserProfile | None,
    lang: str,
    repo: Repository,
    advisor: Advisor,
    save: bool = True,
) -> None:
    user_id = message.chat.id
    cleaned = clean_input(text)
    if cleaned.empty:
        await message.answer(t(lang, "empty_input"))
        return
    if cleaned.truncated:
        await message.answer(t(lang, "too_long_note", limit=len(cleaned.text)))
    async with busy(bot, message.chat.id):
        advice = await advisor.recommend(cleaned.text, filters=filters_of(profile))
    if advice is None:
        await message.answer(t(lang, "model_missing"))
        return
    rec = advice.recommendation
    recognized = list(rec.skills_recognized)
    if save and recognized:
        await repo.save_skills(user_id, ", ".join(recognized), recognized)
    query_id = await repo.log_query(
        user_id,
        text=cleaned.text,
        recognized=recognized,
        model_version=advice.model_version,
        vacancy_ids=[v.id for v in rec.vacancies],
    )
    await send_long(message, recognition_text(lang, advice))
    if recognized:
        await message.answer(
            vacancies_text(lang, advice),
            reply_markup=answer_keyboard(lang, query_id, advice.page, advice.has_more),
        )


async def send_salary(
    message: Message, bot: Bot, *, text: str, profile: UserProfile | None, lang: str, advisor: Advisor
) -> None:
    cleaned = clean_input(text)
    if cleaned.empty:
        await message.answer(t(lang, "need_skills"))
        return
    if not advisor.ready:
        await message.answer(t(lang, "model_missing"))
        return
    async with busy(bot, message.chat.id, "upload_photo"):
        answer = await advisor.salary(
            cleaned.text,
            area=profile.city_name if profile else None,
            experience=profile.experience if profile else None,
            schedule=profile.schedule if profile else None,
            lang=lang,
        )
    if answer is None or not answer.skills:
        await message.answer(t(lang, "salary_none" if answer is None else "nothing_recognized"))
        return
    await send_long(message, salary_text(lang, answer))
    if answer.chart_png:
        photo = BufferedInputFile(answer.chart_png, filename="salary.png")
        await message.answer_photo(photo, caption=t(lang, "salary_caption")[:CAPTION_LIMIT])
