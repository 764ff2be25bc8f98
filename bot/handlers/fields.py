"""The field buttons under an answer ("Аналитик · Python-разработчик · Data engineer", then,
once one is chosen, the narrower fields within it: "↳ Python-разработчик Django"): a press re-ranks
the answer within that field and is remembered in the profile, so later answers and digests that
offer the field are answered within it; pressing the chosen one again goes back to the field it
narrows, or to every field."""

from __future__ import annotations

from dataclasses import replace

from aiogram import Bot, Router
from aiogram.types import CallbackQuery

# the answer's own checks and re-rendering, shared with the other answer buttons
from bot.handlers.results import _own_query, _rerender
from bot.keyboards import FieldCb
from bot.services.advisor import Advisor
from bot.services.answering import AnswerState, wider_field
from bot.storage import Repository


async def choose(
    callback: CallbackQuery, callback_data: FieldCb, bot: Bot, repo: Repository, advisor: Advisor, lang: str
) -> None:
    record = await _own_query(callback, repo, callback_data.query_id, lang)
    if record is None:
        return
    state = AnswerState.from_dict(record.state)
    index = callback_data.choice
    key = state.fields[index] if 0 <= index < len(state.fields) else None
    if key is not None and key == state.chosen:
        key = wider_field(key, state.fields)  # the chosen field pressed again: the one it narrows, or all
    await repo.set_field_choice(callback.from_user.id, key)
    state = replace(state, chosen=key, page=0)
    await _rerender(callback, record, state, bot=bot, repo=repo, advisor=advisor, lang=lang)


def build_router() -> Router:
    router = Router(name="fields")
    router.callback_query.register(choose, FieldCb.filter())
    return router
