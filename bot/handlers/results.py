"""Buttons under a vacancy answer: paging, sort, filters, per-vacancy actions (editing the
message with its own stored state), salary, 👍/👎."""

from __future__ import annotations

import logging
from dataclasses import replace

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Message

from bot.keyboards import ActionCb, FeedbackCb, FilterCb, PageCb, SalaryCb, SortCb, TypoCb, ViewCb
from bot.services.advisor import Advisor
from bot.services.answering import AnswerState, query_of, send_answer, send_salary, show_answer
from bot.services.formatting import correction_note
from bot.storage import QueryRecord, Repository, UserProfile
from bot.texts import t

logger = logging.getLogger(__name__)
ACTION_REPLIES = {"hide": "hidden_done", "save": "saved_done", "reject": "rejected_done"}


async def _own_query(
    callback: CallbackQuery, repo: Repository, query_id: int, lang: str
) -> QueryRecord | None:
    """The query behind a button, if it still exists and belongs to whoever pressed it."""
    query = await repo.get_query(query_id)
    if query is None or query.user_id != callback.from_user.id or not isinstance(callback.message, Message):
        await callback.answer(t(lang, "stale_button"))
        return None
    return query


async def _rerender(
    callback: CallbackQuery,
    record: QueryRecord,
    state: AnswerState,
    *,
    bot: Bot,
    repo: Repository,
    advisor: Advisor,
    lang: str,
    notice: str | None = None,
) -> None:
    assert isinstance(callback.message, Message)
    shown = await show_answer(
        callback.message, bot, record=record, state=state, lang=lang, repo=repo, advisor=advisor
    )
    if not shown:
        await callback.answer(t(lang, advisor.unavailable_key), show_alert=True)
        return
    await callback.answer(notice)


async def page(
    callback: CallbackQuery, callback_data: PageCb, bot: Bot, repo: Repository, advisor: Advisor, lang: str
) -> None:
    record = await _own_query(callback, repo, callback_data.query_id, lang)
    if record is None:
        return
    state = AnswerState.from_dict(record.state)
    state = replace(state, page=callback_data.page)
    await _rerender(callback, record, state, bot=bot, repo=repo, advisor=advisor, lang=lang)


async def sort(
    callback: CallbackQuery, callback_data: SortCb, bot: Bot, repo: Repository, advisor: Advisor, lang: str
) -> None:
    record = await _own_query(callback, repo, callback_data.query_id, lang)
    if record is None:
        return
    state = AnswerState.from_dict(record.state)
    state = replace(state, filters=state.filters.replace(sort=callback_data.sort), page=0)
    await _rerender(callback, record, state, bot=bot, repo=repo, advisor=advisor, lang=lang)


async def view(
    callback: CallbackQuery, callback_data: ViewCb, bot: Bot, repo: Repository, advisor: Advisor, lang: str
) -> None:
    record = await _own_query(callback, repo, callback_data.query_id, lang)
    if record is None:
        return
    state = AnswerState.from_dict(record.state)
    notice = t(lang, "actions_help") if callback_data.view == "actions" else None
    await _rerender(
        callback,
        record,
        replace(state, view=callback_data.view),
        bot=bot,
        repo=repo,
        advisor=advisor,
        lang=lang,
        notice=notice,
    )


async def set_filter(
    callback: CallbackQuery, callback_data: FilterCb, bot: Bot, repo: Repository, advisor: Advisor, lang: str
) -> None:
    record = await _own_query(callback, repo, callback_data.query_id, lang)
    if record is None:
        return
    state = AnswerState.from_dict(record.state)
    state = replace(state, filters=callback_data.applied_to(state.filters), page=0)
    await _rerender(callback, record, state, bot=bot, repo=repo, advisor=advisor, lang=lang)


async def vacancy_action(
    callback: CallbackQuery, callback_data: ActionCb, bot: Bot, repo: Repository, advisor: Advisor, lang: str
) -> None:
    """Hide, save or reject one vacancy of the page; a hidden one leaves the page at once."""
    record = await _own_query(callback, repo, callback_data.query_id, lang)
    if record is None:
        return
    state = AnswerState.from_dict(record.state)
    if callback_data.n >= len(state.shown):  # the page shown has fewer vacancies now
        await callback.answer(t(lang, "stale_button"))
        return
    vacancy_id, title, employer, url = state.shown[callback_data.n]
    added = await repo.add_vacancy_action(
        record.user_id, vacancy_id, callback_data.action,
        query_id=record.id, title=title, employer=employer, url=url,
    )  # fmt: skip
    notice = t(lang, ACTION_REPLIES[callback_data.action] if added else "already_done")
    if callback_data.action == "hide" and added:
        await _rerender(
            callback, record, state, bot=bot, repo=repo, advisor=advisor, lang=lang, notice=notice
        )
    else:
        await callback.answer(notice)


async def typo(
    callback: CallbackQuery,
    callback_data: TypoCb,
    bot: Bot,
    repo: Repository,
    advisor: Advisor,
    profile: UserProfile,
    lang: str,
) -> None:
    """ "pyton → Python?" pressed: answer again with the term read as that skill."""
    record = await _own_query(callback, repo, callback_data.query_id, lang)
    if record is None:
        return
    state = AnswerState.from_dict(record.state)
    if callback_data.n >= len(state.unknown) or callback_data.s >= len(state.unknown[callback_data.n][1]):
        await callback.answer(t(lang, "stale_button"))
        return
    term, suggestions = state.unknown[callback_data.n]
    skill = suggestions[callback_data.s]
    rest = [(u, sg) for i, (u, sg) in enumerate(state.unknown) if i != callback_data.n]
    query = advisor.query_of_profile([*record.recognized_skills, skill], record.text, rest)
    await callback.answer()
    assert isinstance(callback.message, Message)
    if query is None:
        await callback.message.answer(t(lang, advisor.unavailable_key))
        return
    note = correction_note(lang, term, advisor.display(skill, lang))
    await send_answer(
        callback.message,
        bot,
        query=query,
        profile=profile,
        lang=lang,
        repo=repo,
        advisor=advisor,
        notes=[note],
    )


async def feedback(callback: CallbackQuery, callback_data: FeedbackCb, repo: Repository, lang: str) -> None:
    stored = await repo.save_feedback(callback.from_user.id, callback_data.query_id, callback_data.value)
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
    record = await _own_query(callback, repo, callback_data.query_id, lang)
    if record is None:
        return
    await callback.answer()
    assert isinstance(callback.message, Message)
    query = query_of(advisor, record)
    if query is None:
        await callback.message.answer(t(lang, advisor.unavailable_key))
        return
    await send_salary(callback.message, bot, query=query, profile=profile, lang=lang, advisor=advisor)


def build_router() -> Router:
    router = Router(name="results")
    router.callback_query.register(page, PageCb.filter())
    router.callback_query.register(sort, SortCb.filter())
    router.callback_query.register(view, ViewCb.filter())
    router.callback_query.register(set_filter, FilterCb.filter())
    router.callback_query.register(vacancy_action, ActionCb.filter())
    router.callback_query.register(typo, TypoCb.filter())
    router.callback_query.register(feedback, FeedbackCb.filter())
    router.callback_query.register(salary, SalaryCb.filter())
    return router
