"""/digest, /settings and /forget: what the user subscribes to, prefers, and can erase."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.keyboards import (
    ANY,
    DIGEST,
    OTHER,
    SETTINGS,
    CityCb,
    DigestCb,
    DigestSettingsCb,
    ExperienceCb,
    ForgetCb,
    LanguageCb,
    ScheduleCb,
    SettingsCb,
    UnsaveCb,
    city_keyboard,
    digest_keyboard,
    experience_keyboard,
    forget_keyboard,
    language_keyboard,
    saved_keyboard,
    schedule_keyboard,
    settings_keyboard,
)
from bot.services.advisor import Advisor
from bot.services.answering import busy, edit, send_long
from bot.services.digests import DigestPreview
from bot.services.formatting import MESSAGE_LIMIT, esc, saved_text
from bot.services.step_answers import read_city
from bot.storage import Repository, UserProfile
from bot.texts import EXPERIENCE_LABELS, LANGUAGE_LABELS, SCHEDULE_LABELS, city_name_ru, t

# digest ----------------------------------------------------------------------


async def digest(
    message: Message,
    state: FSMContext,
    bot: Bot,
    profile: UserProfile,
    lang: str,
    digest_preview: DigestPreview,
) -> None:
    """The subscription, its criteria, when the next digest comes and a preview of it."""
    await state.clear()
    if not profile.skills:
        await message.answer(t(lang, "need_skills"))
        return
    async with busy(bot, message.chat.id):
        text = await digest_preview.preview(profile, lang)
    await message.answer(text, reply_markup=digest_keyboard(lang, profile.digest_frequency))


async def digest_choice(
    callback: CallbackQuery,
    callback_data: DigestCb,
    repo: Repository,
    lang: str,
    digest_preview: DigestPreview,
) -> None:
    """A frequency or "off" pressed; or "view", back from the digest's settings: the digest as it is now."""
    if callback_data.frequency == "view":
        await callback.answer()
    else:
        # DigestCb checked the value: "daily", "weekly" or "off"
        frequency = None if callback_data.frequency == "off" else callback_data.frequency
        await repo.set_digest(callback.from_user.id, frequency)
        await callback.answer(
            t(lang, "digest_unsubscribed")
            if frequency is None
            else t(lang, "digest_subscribed", frequency=t(lang, f"digest_{frequency}"))
        )
    profile = await repo.get_profile(callback.from_user.id)
    if isinstance(callback.message, Message) and profile is not None:
        text = await digest_preview.preview(profile, lang)
        await edit(callback.message, text, reply_markup=digest_keyboard(lang, profile.digest_frequency))


async def saved(message: Message, state: FSMContext, repo: Repository, advisor: Advisor, lang: str) -> None:
    """/saved: the vacancies the user saved with ⭐, newest first, each with a remove button."""
    await state.clear()
    items = await repo.saved_vacancies(message.chat.id)
    if not items:
        await message.answer(t(lang, "saved_none"))
        return
    facts = advisor.vacancy_facts([item.vacancy_key for item in items])
    ids = [item.vacancy_key for item in items]
    await send_long(message, saved_text(lang, items, facts), reply_markup=saved_keyboard(lang, ids))


async def unsave(
    callback: CallbackQuery, callback_data: UnsaveCb, repo: Repository, advisor: Advisor, lang: str
) -> None:
    """✖ N under /saved: the vacancy leaves the list, and the message shows the list as it is now."""
    removed = await repo.remove_vacancy_action(callback.from_user.id, callback_data.vacancy_key, "save")
    await callback.answer(t(lang, "unsaved_done" if removed else "already_done"))
    if not removed or not isinstance(callback.message, Message):
        return
    items = await repo.saved_vacancies(callback.from_user.id)
    if not items:
        await edit(callback.message, t(lang, "saved_none"))
        return
    facts = advisor.vacancy_facts([item.vacancy_key for item in items])
    text = saved_text(lang, items, facts)
    ids = [item.vacancy_key for item in items]
    if len(text) <= MESSAGE_LIMIT:  # a list longer than one message is sent anew
        await edit(callback.message, text, reply_markup=saved_keyboard(lang, ids))
    else:
        await send_long(callback.message, text, reply_markup=saved_keyboard(lang, ids))


# settings --------------------------------------------------------------------


def settings_summary(lang: str, profile: UserProfile) -> str:
    any_value = t(lang, "not_set")
    return t(
        lang,
        "settings_header",
        language=LANGUAGE_LABELS.get(profile.language, profile.language),
        city=esc(profile.city_name) if profile.city_name else any_value,
        experience=EXPERIENCE_LABELS[lang].get(profile.experience or "", any_value),
        schedule=SCHEDULE_LABELS[lang].get(profile.schedule or "", any_value),
    )


async def settings(message: Message, state: FSMContext, profile: UserProfile, lang: str) -> None:
    await state.clear()
    await message.answer(settings_summary(lang, profile), reply_markup=settings_keyboard(lang))


async def settings_field(callback: CallbackQuery, callback_data: SettingsCb, lang: str) -> None:
    if callback_data.field == "skills":
        await callback.answer()
        if isinstance(callback.message, Message):
            await callback.message.answer(t(lang, "ask_new_skills"))
        return
    ctx = DIGEST if isinstance(callback_data, DigestSettingsCb) else SETTINGS
    keyboards = {
        "menu": lambda: settings_keyboard(lang, ctx),
        "lang": language_keyboard,
        "city": lambda: city_keyboard(lang, ctx),
        "exp": lambda: experience_keyboard(lang, ctx),
        "sch": lambda: schedule_keyboard(lang, ctx),
    }
    make = keyboards.get(callback_data.field)
    await callback.answer()
    if make is not None and isinstance(callback.message, Message):
        await edit(callback.message, reply_markup=make())


async def _show_saved(callback: CallbackQuery, repo: Repository, ctx: str = SETTINGS) -> None:
    """The settings as saved, with their buttons (and the way back to /digest when opened from it)."""
    profile = await repo.get_profile(callback.from_user.id)
    if profile is None or not isinstance(callback.message, Message):
        await callback.answer()
        return
    await callback.answer(t(profile.language, "settings_saved"))
    await edit(
        callback.message,
        settings_summary(profile.language, profile),
        reply_markup=settings_keyboard(profile.language, ctx),
    )


async def set_language(callback: CallbackQuery, callback_data: LanguageCb, repo: Repository) -> None:
    await repo.update_settings(callback.from_user.id, language=callback_data.code)
    await _show_saved(callback, repo)


class SettingsInput(StatesGroup):
    city_text = State()


async def set_city(
    callback: CallbackQuery, callback_data: CityCb, state: FSMContext, repo: Repository, lang: str
) -> None:
    if callback_data.id == OTHER:
        await state.set_state(SettingsInput.city_text)
        await state.update_data(ctx=callback_data.ctx)
        await callback.answer()
        if isinstance(callback.message, Message):
            await callback.message.answer(t(lang, "ask_city_text"))
        return
    city = (None, None) if callback_data.id == ANY else (callback_data.id, city_name_ru(callback_data.id))
    await repo.update_settings(callback.from_user.id, city=city)
    await _show_saved(callback, repo, callback_data.ctx)


async def set_city_text(
    message: Message, state: FSMContext, repo: Repository, advisor: Advisor, lang: str
) -> None:
    city = read_city(message.text, advisor.area_names(), any_name=True)
    if city is None:
        await message.answer(t(lang, "city_text_again"))
        return
    ctx = DIGEST if (await state.get_data()).get("ctx") == DIGEST else SETTINGS
    await state.clear()
    await repo.update_settings(message.chat.id, city=(city.area_id, city.name))
    profile = await repo.get_profile(message.chat.id)
    if profile is not None:
        await message.answer(
            settings_summary(profile.language, profile), reply_markup=settings_keyboard(lang, ctx)
        )


async def set_experience(callback: CallbackQuery, callback_data: ExperienceCb, repo: Repository) -> None:
    value = None if callback_data.id == ANY else callback_data.id
    await repo.update_settings(callback.from_user.id, experience=(value,))
    await _show_saved(callback, repo, callback_data.ctx)


async def set_schedule(callback: CallbackQuery, callback_data: ScheduleCb, repo: Repository) -> None:
    value = None if callback_data.id == ANY else callback_data.id
    await repo.update_settings(callback.from_user.id, schedule=(value,))
    await _show_saved(callback, repo, callback_data.ctx)


# forget ----------------------------------------------------------------------


async def forget(message: Message, state: FSMContext, lang: str) -> None:
    await state.clear()
    await message.answer(t(lang, "forget_confirm"), reply_markup=forget_keyboard(lang))


async def forget_choice(
    callback: CallbackQuery, callback_data: ForgetCb, state: FSMContext, repo: Repository, lang: str
) -> None:
    await callback.answer()
    if callback_data.confirm:
        await repo.forget_user(callback.from_user.id)
        await state.clear()
    if isinstance(callback.message, Message):
        await edit(callback.message, t(lang, "forget_done" if callback_data.confirm else "forget_cancelled"))


def build_router() -> Router:
    router = Router(name="account")
    router.message.register(digest, Command("digest"))
    router.callback_query.register(digest_choice, DigestCb.filter())
    router.message.register(saved, Command("saved"))
    router.callback_query.register(unsave, UnsaveCb.filter())
    router.message.register(settings, Command("settings"))
    router.callback_query.register(settings_field, SettingsCb.filter())
    router.callback_query.register(settings_field, DigestSettingsCb.filter())
    router.callback_query.register(set_language, LanguageCb.filter())
    router.callback_query.register(set_city, CityCb.filter(F.ctx.in_({SETTINGS, DIGEST})))
    router.message.register(set_city_text, SettingsInput.city_text, F.text & ~F.text.startswith("/"))
    router.callback_query.register(set_experience, ExperienceCb.filter(F.ctx.in_({SETTINGS, DIGEST})))
    router.callback_query.register(set_schedule, ScheduleCb.filter(F.ctx.in_({SETTINGS, DIGEST})))
    router.message.register(forget, Command("forget"))
    router.callback_query.register(forget_choice, ForgetCb.filter())
    return router
