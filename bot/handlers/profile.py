"""/skills, /jobs and /salary: the user's saved skills and what they lead to."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.services.advisor import Advisor
from bot.services.answering import (
    answer_text,
    busy,
    keep_skills_until_model,
    send_answer,
    send_long,
    send_salary,
)
from bot.services.formatting import (
    join_escaped,
    learn_lines,
    understanding_notes,
    unknown_lines,
)
from bot.services.intents import salary_subject
from bot.storage import Repository, StorageFull, UserProfile
from bot.texts import t


async def skills(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    bot: Bot,
    repo: Repository,
    advisor: Advisor,
    profile: UserProfile,
    lang: str,
) -> None:
    await state.clear()
    if command.args and command.args.strip():
        await replace_skills(message, command.args, bot=bot, repo=repo, advisor=advisor, lang=lang)
    else:
        await show_skills(message, bot=bot, advisor=advisor, profile=profile, lang=lang)


async def replace_skills(
    message: Message, text: str, *, bot: Bot, repo: Repository, advisor: Advisor, lang: str
) -> None:
    understood = await advisor.understand(text)  # as free text is read: "/skills pyton" is Python
    if understood is None:
        await keep_skills_until_model(message, text, lang=lang, repo=repo, advisor=advisor)
        return
    async with busy(bot, message.chat.id):
        recognized = await advisor.recognized(understood.query)
    if recognized is None:
        await message.answer(t(lang, advisor.unavailable_key))
        return
    notes = understanding_notes(lang, understood, advisor.display_in(lang))
    lines = [*notes, *unknown_lines(lang, understood.query.unknown, advisor.display_in(lang))]
    if not recognized:
        await send_long(message, "\n".join([*lines, t(lang, "nothing_recognized")]))
        return
    skills = list(recognized)
    if not await repo.save_skills(message.chat.id, ", ".join(skills), skills):
        # no row to hold them: a user whose first message came while the disk was full
        raise StorageFull("the user could not be stored, nor their skills")
    names = join_escaped(advisor.display(s, lang) for s in skills)
    saved = t(lang, "skills_saved", skills=names)
    await send_long(message, "\n".join([t(lang, "skills_updated"), saved, *lines]))


async def show_skills(
    message: Message, *, bot: Bot, advisor: Advisor, profile: UserProfile, lang: str
) -> None:
    if not profile.skills:
        await message.answer(t(lang, "skills_saved_none"))
        return
    query = advisor.query_of_profile(profile.skills)
    async with busy(bot, message.chat.id):
        to_learn = None if query is None else await advisor.skills_to_learn(query)
    if query is None or to_learn is None:
        await message.answer(t(lang, "skills_saved", skills=join_escaped(profile.skills)))
        return
    lines = [t(lang, "skills_saved", skills=join_escaped(advisor.display(s, lang) for s in profile.skills))]
    lines.extend(learn_lines(lang, to_learn, advisor.display_in(lang), not_advised=query.typo_targets))
    await send_long(message, "\n".join(lines))


async def jobs(
    message: Message,
    state: FSMContext,
    bot: Bot,
    repo: Repository,
    advisor: Advisor,
    profile: UserProfile,
    lang: str,
) -> None:
    await state.clear()
    if not profile.skills and profile.skills_text:  # kept as typed while the model was unavailable
        await answer_text(
            message, bot, text=profile.skills_text, profile=profile, lang=lang, repo=repo, advisor=advisor
        )
        return
    if not profile.skills:
        await message.answer(t(lang, "need_skills"))
        return
    query = advisor.query_of_profile(profile.skills)
    if query is None:
        await message.answer(t(lang, advisor.unavailable_key))
        return
    await send_answer(
        message,
        bot,
        query=query,
        profile=profile,
        lang=lang,
        repo=repo,
        advisor=advisor,
        save=False,
    )


async def salary(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    bot: Bot,
    advisor: Advisor,
    profile: UserProfile,
    lang: str,
) -> None:
    await state.clear()
    notes: list[str] = []
    if command.args and command.args.strip():
        # as free text is read: "/salary pyton" is Python, "/salary бухгалтер" the accountants' field
        understood = await advisor.understand(salary_subject(command.args) or command.args)
        query = None if understood is None else understood.query
        notes = [] if understood is None else understanding_notes(lang, understood, advisor.display_in(lang))
    elif profile.skills:
        query = advisor.query_of_profile(profile.skills)
    else:
        await message.answer(t(lang, "need_skills"))
        return
    if query is None:
        await message.answer(t(lang, advisor.unavailable_key))
        return
    if notes:
        await message.answer("\n".join(notes))
    await send_salary(message, bot, query=query, profile=profile, lang=lang, advisor=advisor)


def build_router() -> Router:
    router = Router(name="profile")
    router.message.register(skills, Command("skills"))
    router.message.register(jobs, Command("jobs"))
    router.message.register(salary, Command("salary"))
    return router
