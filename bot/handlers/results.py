"""Buttons under a vacancy answer: more vacancies (editing the message), salary, 👍/👎."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Message

from bot.handlers.answering import busy, edit, filters_of, send_salary
from bot.keyboards import MAX_PAGE, FeedbackCb, PageCb, SalaryCb, answer_keyboard
from bot.services.advisor import Advisor
from bot.services.formatting import vacancies_text
from bot.storage import QueryRecord, Repository, UserProfile
from bot.texts import t

logger = logging.getLogger(__name__)



async def _own_query(
    callback: CallbackQuery, repo: Repository, query_id: int, lang: str
) -> QueryRecord | None:
    """The query behind a button, if it still exists and belongs to whoever pressed it."""
    query = await repo.get_query(query_id)
    if query is None or query.user_id != callback.from_user.id or not isinstance(callback.message, Message):
        await callback.answer(t(lang, "stale_button"))
        return None
    return query


async def page(
    callback: CallbackQuery,
    callback_data: PageCb,
    bot: Bot,
    repo: Repository,
    advisor: Advisor,
    profile: UserProfile,
    lang: str,
) -> None:
    query = await _own_query(callback, repo, callback_data.query_id, lang)
    if query is None:
        return
    assert isinstance(callback.message, Message)
    page_number = min(max(callback_data.page, 0), MAX_PAGE)
    async with busy(bot, callback.message.chat.id):
        advice = await advisor.recommend(query.text, page=page_number, filters=filters_of(profile))
    if advice is None:
        await callback.answer(t(lang, "model_missing"), show_alert=True)
        return
    await callback.answer()
    await repo.add_shown_vacancies(query.id, [v.id for v in advice.recommendation.vacancies])
    # The same button pressed twice fast: the second edit changes nothing, which is fine.
    await edit(
        callback.message,
        vacancies_text(lang, advice),
        reply_markup=answer_keyboard(lang, query.id, advice.page, advice.has_more),
    )


async def feedback(callback: CallbackQuery, callback_data: FeedbackCb, repo: Repository, lang: str) -> None:
    value = 1 if callback_data.value > 0 else -1
    stored = await repo.save_feedback(callback.from_user.id, callback_data.query_id, value)
    await callback.answer(t(lang, "thanks_feedback" if stored else "stale_button"))


async def salary(
    callback: CallbackQuery,
    callback_data: SalaryCb,
    bot: Bot,
    repo: Repository,
    advisor: Advisor,
    profile: UserProfile,
    lang: str,
) -> None:
    query = await _own_query(callback, repo, callback_data.query_id, lang)
    if query is None:
        return
    await callback.answer()
    assert isinstance(callback.message, Message)
    text = ", ".join(query.recognized_skills) or query.text
    await send_salary(callback.message, bot, text=text, profile=profile, lang=lang, advisor=advisor)


def build_router() -> Router:
    router = Router(name="results")
    router.callback_query.register(page, PageCb.filter())
    router.callback_query.register(feedback, FeedbackCb.filter())
    router.callback_query.register(salary, SalaryCb.filter())
    return router
