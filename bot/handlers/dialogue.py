"""/start: greeting, skills, then optional city, experience and schedule (each skippable),
then the answer.

Each step keeps its meaning: a step waiting for a button also takes its answer typed ("спб",
"без опыта", "удалёнка"), and asks again, with the buttons, when the text is no answer to it.
The skills typed at the first step are the ones answered; nothing typed later replaces them.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.keyboards import (
    ANY,
    DIALOGUE,
    OTHER,
    CityCb,
    ExperienceCb,
    ScheduleCb,
    city_keyboard,
    experience_keyboard,
    schedule_keyboard,
)
from bot.services.advisor import Advisor
from bot.services.answering import answer_text, edit
from bot.services.formatting import esc
from bot.services.step_answers import Choice, CityChoice, read_city, read_experience, read_schedule
from bot.storage import Repository
from bot.texts import EXPERIENCE_LABELS, SCHEDULE_LABELS, city_label, city_name_ru, t
from recommender.skills.query import clean_query_text

logger = logging.getLogger(__name__)


class Dialogue(StatesGroup):
    skills = State()
    city = State()
    city_text = State()
    experience = State()
    schedule = State()


async def start(message: Message, state: FSMContext, lang: str) -> None:
    await state.clear()
    await state.set_state(Dialogue.skills)
    await message.answer(t(lang, "greeting") + "\n\n" + t(lang, "ask_skills"))


async def got_skills(message: Message, state: FSMContext, lang: str) -> None:
    if not clean_query_text(message.text)[0]:  # nothing printable is no answer to the step
        await message.answer(t(lang, "empty_input"))
        return
    await state.update_data(skills=message.text)  # read (once) when the dialogue answers
    await _ask(message, state, Dialogue.city, lang)


async def skills_not_text(message: Message, lang: str) -> None:
    await message.answer(t(lang, "not_text"))


# asking and closing a step ------------------------------------------------------


def _question(step: State, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    if step == Dialogue.city:
        return t(lang, "ask_city"), city_keyboard(lang, DIALOGUE)
    if step == Dialogue.experience:
        return t(lang, "ask_experience"), experience_keyboard(lang, DIALOGUE)
    if step == Dialogue.schedule:
        return t(lang, "ask_schedule"), schedule_keyboard(lang, DIALOGUE)
    return t(lang, "ask_city_text"), None


async def _ask(message: Message, state: FSMContext, step: State, lang: str, hint: str | None = None) -> None:
    """Ask the step's question (after ``hint`` when the last answer was not understood) and
    remember the question, so a typed answer can close its buttons."""
    text, keyboard = _question(step, lang)
    await state.set_state(step)
    sent = await message.answer(f"{hint}\n\n{text}" if hint else text, reply_markup=keyboard)
    # the questions are plain text (no markup), shown again when their buttons are closed
    await state.update_data(question=[sent.message_id, text, keyboard is not None])


async def _close_question(bot: Bot, chat_id: int, state: FSMContext, choice: str | None) -> None:
    """Show the choice in place of the last question's buttons, so they cannot be pressed again;
    with no choice (the answer was not understood) only the buttons go: the question is asked anew."""
    question = (await state.get_data()).get("question")
    if not isinstance(question, list) or len(question) != 3:
        return
    message_id, text, has_buttons = question
    try:
        if choice is not None:
            await bot.edit_message_text(
                f"{esc(text)}\n→ <b>{esc(choice)}</b>", chat_id=chat_id, message_id=int(message_id)
            )
        elif has_buttons:
            await bot.edit_message_reply_markup(chat_id=chat_id, message_id=int(message_id))
    except TelegramBadRequest as exc:  # deleted by the user meanwhile, or already closed
        logger.debug("question %s not closed: %s", message_id, exc.message)


async def _close_pressed(callback: CallbackQuery, choice: str) -> None:
    """The pressed keyboard's message shows the choice instead of its buttons."""
    if isinstance(callback.message, Message) and callback.message.text:
        await edit(callback.message, f"{esc(callback.message.text)}\n→ <b>{esc(choice)}</b>")


def _city_shown(lang: str, city: CityChoice) -> str:
    if city.name is None:
        return t(lang, "any_city")
    return (city_label(lang, city.area_id) if city.area_id else None) or city.name


def _label(labels: dict[str, dict[str, str]], lang: str, choice: Choice) -> str:
    return labels[lang].get(choice.value or "", t(lang, "any"))


# the city -------------------------------------------------------------------------


async def got_city(
    callback: CallbackQuery, callback_data: CityCb, state: FSMContext, repo: Repository, lang: str
) -> None:
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    if callback_data.id == OTHER:
        await _close_pressed(callback, t(lang, "other_city"))
        await _ask(callback.message, state, Dialogue.city_text, lang)
        return
    city = (
        CityChoice(None, None)
        if callback_data.id == ANY
        else CityChoice(callback_data.id, city_name_ru(callback_data.id))
    )
    await repo.update_settings(callback.from_user.id, city=(city.area_id, city.name))
    await _close_pressed(callback, _city_shown(lang, city))
    await _ask(callback.message, state, Dialogue.experience, lang)


async def typed_city(
    message: Message, state: FSMContext, bot: Bot, repo: Repository, advisor: Advisor, lang: str
) -> None:
    """A city typed at the city step (any spelling) or after "Другой…" (any place name)."""
    step = Dialogue.city_text if await state.get_state() == Dialogue.city_text.state else Dialogue.city
    city = read_city(message.text, advisor.area_names(), any_name=step == Dialogue.city_text)
    if city is None:
        await _close_question(bot, message.chat.id, state, None)
        hint = "city_text_again" if step == Dialogue.city_text else "city_again"
        await _ask(message, state, step, lang, hint=t(lang, hint))
        return
    await repo.update_settings(message.chat.id, city=(city.area_id, city.name))
    await _close_question(bot, message.chat.id, state, _city_shown(lang, city))
    await _ask(message, state, Dialogue.experience, lang)


# experience and schedule -------------------------------------------------------------


async def got_experience(
    callback: CallbackQuery, callback_data: ExperienceCb, state: FSMContext, repo: Repository, lang: str
) -> None:
    await callback.answer()
    choice = Choice(None if callback_data.id == ANY else callback_data.id)
    await repo.update_settings(callback.from_user.id, experience=(choice.value,))
    await _close_pressed(callback, _label(EXPERIENCE_LABELS, lang, choice))
    if isinstance(callback.message, Message):
        await _ask(callback.message, state, Dialogue.schedule, lang)


async def typed_experience(
    message: Message, state: FSMContext, bot: Bot, repo: Repository, lang: str
) -> None:
    choice = read_experience(message.text, EXPERIENCE_LABELS.values())
    if choice is None:
        await _close_question(bot, message.chat.id, state, None)
        await _ask(message, state, Dialogue.experience, lang, hint=t(lang, "experience_again"))
        return
    await repo.update_settings(message.chat.id, experience=(choice.value,))
    await _close_question(bot, message.chat.id, state, _label(EXPERIENCE_LABELS, lang, choice))
    await _ask(message, state, Dialogue.schedule, lang)


async def got_schedule(
    callback: CallbackQuery,
    callback_data: ScheduleCb,
    state: FSMContext,
    bot: Bot,
    repo: Repository,
    advisor: Advisor,
    lang: str,
) -> None:
    await callback.answer()
    choice = Choice(None if callback_data.id == ANY else callback_data.id)
    await _close_pressed(callback, _label(SCHEDULE_LABELS, lang, choice))
    if isinstance(callback.message, Message):
        await _finish(callback.message, choice, state=state, bot=bot, repo=repo, advisor=advisor, lang=lang)


async def typed_schedule(
    message: Message, state: FSMContext, bot: Bot, repo: Repository, advisor: Advisor, lang: str
) -> None:
    choice = read_schedule(message.text, SCHEDULE_LABELS.values())
    if choice is None:
        await _close_question(bot, message.chat.id, state, None)
        await _ask(message, state, Dialogue.schedule, lang, hint=t(lang, "schedule_again"))
        return
    await _close_question(bot, message.chat.id, state, _label(SCHEDULE_LABELS, lang, choice))
    await _finish(message, choice, state=state, bot=bot, repo=repo, advisor=advisor, lang=lang)


async def _finish(
    message: Message,
    schedule: Choice,
    *,
    state: FSMContext,
    bot: Bot,
    repo: Repository,
    advisor: Advisor,
    lang: str,
) -> None:
    """The last step answered: the skills typed at the first step, with the settings just chosen."""
    user_id = message.chat.id
    await repo.update_settings(user_id, schedule=(schedule.value,))
    skills = (await state.get_data()).get("skills")
    await state.clear()
    profile = await repo.get_profile(user_id)
    await answer_text(message, bot, text=skills, profile=profile, lang=lang, repo=repo, advisor=advisor)


def build_router() -> Router:
    router = Router(name="dialogue")
    router.message.register(start, CommandStart())
    # Commands typed mid-dialogue go to their own handlers.
    not_command = F.text & ~F.text.startswith("/")
    router.message.register(got_skills, Dialogue.skills, not_command)
    router.message.register(skills_not_text, Dialogue.skills, ~F.text)
    router.callback_query.register(got_city, Dialogue.city, CityCb.filter(F.ctx == DIALOGUE))
    router.message.register(typed_city, Dialogue.city, not_command)
    router.message.register(typed_city, Dialogue.city_text, not_command)
    router.callback_query.register(
        got_experience, Dialogue.experience, ExperienceCb.filter(F.ctx == DIALOGUE)
    )
    router.message.register(typed_experience, Dialogue.experience, not_command)
    router.callback_query.register(got_schedule, Dialogue.schedule, ScheduleCb.filter(F.ctx == DIALOGUE))
    router.message.register(typed_schedule, Dialogue.schedule, not_command)
    return router
