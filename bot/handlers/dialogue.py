"""/start: greeting, skills, then optional city, experience and schedule (each skippable),
then the answer."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

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
from bot.services.advisor import Advisor, clean_input
from bot.services.answering import answer_text, edit
from bot.services.formatting import clip, esc
from bot.storage import Repository, UserProfile
from bot.texts import EXPERIENCE_LABELS, SCHEDULE_LABELS, city_label, city_name_ru, t

MAX_CITY_CHARS = 60


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
    cleaned = clean_input(message.text)
    if cleaned.empty:
        await message.answer(t(lang, "empty_input"))
        return
    await state.update_data(skills=cleaned.text)
    await state.set_state(Dialogue.city)
    await message.answer(t(lang, "ask_city"), reply_markup=city_keyboard(lang, DIALOGUE))


async def skills_not_text(message: Message, lang: str) -> None:
    await message.answer(t(lang, "not_text"))


async def _close_keyboard(callback: CallbackQuery, choice: str) -> None:
    """Show the choice in place of the buttons, so an old keyboard cannot be pressed again."""
    if isinstance(callback.message, Message) and callback.message.text:
        await edit(callback.message, f"{esc(callback.message.text)}\n→ <b>{esc(choice)}</b>")


async def got_city(
    callback: CallbackQuery, callback_data: CityCb, state: FSMContext, repo: Repository, lang: str
) -> None:
    await callback.answer()
    if callback_data.id == OTHER:
        await _close_keyboard(callback, t(lang, "other_city"))
        await state.set_state(Dialogue.city_text)
        await _ask(callback, t(lang, "ask_city_text"))
        return
    if callback_data.id == ANY:
        await repo.update_settings(callback.from_user.id, city=(None, None))
        await _close_keyboard(callback, t(lang, "any_city"))
    else:
        await repo.update_settings(
            callback.from_user.id, city=(callback_data.id, city_name_ru(callback_data.id))
        )
        await _close_keyboard(callback, city_label(lang, callback_data.id) or callback_data.id)
    await _ask_experience(callback, state, lang)


async def got_city_text(message: Message, state: FSMContext, repo: Repository, lang: str) -> None:
    name = clip(clean_input(message.text).text.replace("\n", " "), MAX_CITY_CHARS)
    if not name:
        await message.answer(t(lang, "ask_city_text"))
        return
    assert message.from_user is not None
    await repo.update_settings(message.from_user.id, city=(None, name))
    await state.set_state(Dialogue.experience)
    await message.answer(t(lang, "ask_experience"), reply_markup=experience_keyboard(lang, DIALOGUE))


async def _ask(callback: CallbackQuery, text: str, **kwargs: object) -> None:
    if isinstance(callback.message, Message):
        await callback.message.answer(text, **kwargs)  # type: ignore[arg-type]


async def _ask_experience(callback: CallbackQuery, state: FSMContext, lang: str) -> None:
    await state.set_state(Dialogue.experience)
    await _ask(callback, t(lang, "ask_experience"), reply_markup=experience_keyboard(lang, DIALOGUE))


async def got_experience(
    callback: CallbackQuery, callback_data: ExperienceCb, state: FSMContext, repo: Repository, lang: str
) -> None:
    await callback.answer()
    value = None if callback_data.id == ANY else callback_data.id
    if value is not None and value not in EXPERIENCE_LABELS[lang]:
        value = None  # a forged id: treat as "any"
    await repo.update_settings(callback.from_user.id, experience=(value,))
    await _close_keyboard(callback, EXPERIENCE_LABELS[lang].get(value or "", t(lang, "any")))
    await state.set_state(Dialogue.schedule)
    await _ask(callback, t(lang, "ask_schedule"), reply_markup=schedule_keyboard(lang, DIALOGUE))


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
    value = None if callback_data.id == ANY else callback_data.id
    if value is not None and value not in SCHEDULE_LABELS[lang]:
        value = None
    await repo.update_settings(callback.from_user.id, schedule=(value,))
    await _close_keyboard(callback, SCHEDULE_LABELS[lang].get(value or "", t(lang, "any")))
    skills = (await state.get_data()).get("skills")
    await state.clear()
    profile = await repo.get_profile(callback.from_user.id)
    if isinstance(callback.message, Message):
        await answer_text(
            callback.message, bot, text=skills, profile=profile, lang=lang, repo=repo, advisor=advisor
        )


async def skills_instead_of_buttons(
    message: Message,
    state: FSMContext,
    bot: Bot,
    profile: UserProfile,
    repo: Repository,
    advisor: Advisor,
    lang: str,
) -> None:
    """Typed text instead of pressing a button: take it as the skills and answer right away."""
    await state.clear()
    await answer_text(message, bot, text=message.text, profile=profile, lang=lang, repo=repo, advisor=advisor)


def build_router() -> Router:
    router = Router(name="dialogue")
    router.message.register(start, CommandStart())
    # Commands typed mid-dialogue go to their own handlers.
    not_command = F.text & ~F.text.startswith("/")
    router.message.register(got_skills, Dialogue.skills, not_command)
    router.message.register(skills_not_text, Dialogue.skills, ~F.text)
    router.callback_query.register(got_city, Dialogue.city, CityCb.filter(F.ctx == DIALOGUE))
    router.message.register(got_city_text, StateFilter(Dialogue.city, Dialogue.city_text), not_command)
    router.callback_query.register(
        got_experience, Dialogue.experience, ExperienceCb.filter(F.ctx == DIALOGUE)
    )
    router.callback_query.register(got_schedule, Dialogue.schedule, ScheduleCb.filter(F.ctx == DIALOGUE))
    router.message.register(
        skills_instead_of_buttons,
        StateFilter(Dialogue.experience, Dialogue.schedule),
        not_command,
    )
    return router
