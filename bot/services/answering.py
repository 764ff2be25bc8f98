"""Sending a recommendation answer: the use case of the /start dialogue, free text, /jobs and
every button under an answer.

Two messages: what was recognized (specialization, skills to learn), then the vacancies
with their buttons. The vacancy message is the one paging, sorting and filtering edit; its
state (the user's filters, the sort, the page, the vacancies shown) is stored with its
query row, so an old message keeps its own settings.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message
from aiogram.utils.chat_action import ChatActionSender

from bot.keyboards import MAX_PAGE, MAX_TYPO_TERMS, answer_keyboard, examples_keyboard, typo_keyboard
from bot.services.advisor import Advisor, Answer
from bot.services.formatting import (
    CAPTION_LIMIT,
    esc,
    is_stale,
    newest_published,
    recognition_text,
    salary_text,
    split_message,
    understanding_notes,
    vacancies_text,
)
from bot.services.intents import is_greeting, salary_subject
from bot.services.step_answers import canonical_area, setting_of_text
from bot.storage import QueryRecord, Repository, StorageFull, UserProfile
from bot.storage.digests import Subscriber
from bot.texts import EXPERIENCE_LABELS, SCHEDULE_LABELS, t
from recommender.data.cities import city_by_id
from recommender.recommend import RUSSIA, Filters
from recommender.recommend.choices import narrower
from recommender.skills.query import Query, clean_query_text

logger = logging.getLogger(__name__)


# Work done sooner shows no "typing…": Telegram drops the indicator as the answer arrives, so
# it would only flash, and the call costs the bot as much as sending a message (a third of
# the Bot API calls of an answer).
TYPING_AFTER_SECONDS = 0.5


@contextlib.asynccontextmanager
async def busy(bot: Bot, chat_id: int, action: str = "typing") -> AsyncIterator[None]:
    """Show "typing…" once slow work has run TYPING_AFTER_SECONDS, and keep it up while it
    runs (Telegram drops it after 5 s)."""
    async with ChatActionSender(bot=bot, chat_id=chat_id, action=action, initial_sleep=TYPING_AFTER_SECONDS):
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


def filters_of(profile: UserProfile | Subscriber | None) -> Filters:
    """The user's saved filters (city as hh writes it, experience, schedule) for a new answer or
    a digest, in Russia: the bot's cities are Russian, and "all Russia" never means abroad."""
    if profile is None:
        return Filters(country=RUSSIA)
    return Filters(
        area=canonical_area(profile.city_name),
        experience=profile.experience,
        schedule=profile.schedule,
        country=RUSSIA,
    )


async def send_long(message: Message, text: str, **kwargs: object) -> Message:
    """Send text split under Telegram's limit; keyboard and options go on the last part."""
    parts = split_message(text)
    for part in parts[:-1]:
        await message.answer(part)
    return await message.answer(parts[-1], **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class AnswerState:
    """What an answer message shows, stored with its query row."""

    filters: Filters = field(default_factory=Filters)  # as the user asked (relaxed again per page)
    page: int = 0
    # the vacancies on the page, in order, as (key, title, employer, url): the actions' targets
    shown: tuple[tuple[str, str, str, str], ...] = ()
    view: str = "main"
    # typed terms not understood, with their suggestions: the typo buttons' targets
    unknown: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fields: tuple[str, ...] = ()  # the keys of the fields offered (Recommendation.fields), in order
    chosen: str | None = None  # the one chosen

    def to_dict(self) -> dict[str, Any]:
        shown = [list(item) for item in self.shown]
        unknown = [[term, list(suggestions)] for term, suggestions in self.unknown]
        return {
            "filters": self.filters.to_dict(), "page": self.page, "shown": shown, "view": self.view,
            "unknown": unknown, "fields": list(self.fields), "field": self.chosen,
        }  # fmt: skip

    @property
    def shown_keys(self) -> list[str]:
        return [item[0] for item in self.shown]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnswerState:
        shown = data.get("shown")
        page = data.get("page")
        view = data.get("view")
        unknown = data.get("unknown")
        fields = data.get("fields")
        keys = tuple(str(k) for k in fields) if isinstance(fields, list) else ()
        chosen = data.get("field")
        return cls(
            filters=Filters.from_dict(data.get("filters")),
            page=page if isinstance(page, int) and 0 <= page <= MAX_PAGE else 0,
            shown=tuple(_shown(item) for item in shown) if isinstance(shown, list) else (),
            view=view if view in ("main", "filters", "actions") else "main",
            unknown=tuple(_unknown(item) for item in unknown) if isinstance(unknown, list) else (),
            fields=keys,
            chosen=chosen if isinstance(chosen, str) and chosen in keys else None,
        )


def _shown(item: Any) -> tuple[str, str, str, str]:
    values = ([str(v) for v in item] if isinstance(item, list) else [str(item)]) + ["", "", ""]
    return values[0], values[1], values[2], values[3]


def _unknown(item: Any) -> tuple[str, tuple[str, ...]]:
    if not isinstance(item, list) or len(item) != 2 or not isinstance(item[1], list):
        return "", ()
    return str(item[0]), tuple(str(s) for s in item[1])


def shown_of(answer: Answer) -> tuple[tuple[str, str, str, str], ...]:
    return tuple((v.key, v.title, v.employer, v.url) for v in answer.recommendation.vacancies)


def answer_markup(lang: str, query_id: int, answer: Answer, state: AnswerState) -> InlineKeyboardMarkup:
    return answer_keyboard(
        lang,
        query_id,
        answer.page,
        answer.has_more,
        state.filters,
        view=state.view,
        shown=len(answer.recommendation.vacancies),
        stale=is_stale(newest_published(answer.recommendation.vacancies)),
        offered=offered_filters(answer.recommendation.vacancies, state.filters),
        fields=[c.label for c in answer.recommendation.fields],
        field=state.fields.index(state.chosen) if state.chosen in state.fields else None,
        narrower=sum(1 for c in answer.recommendation.fields if c.parent),
    )


def field_state(answer: Answer) -> dict[str, Any]:
    """The fields an answer offers and the one it was answered within, as its state keeps them."""
    rec = answer.recommendation
    return {"fields": tuple(c.key for c in rec.fields), "chosen": rec.field}


def wider_field(key: str, offered: tuple[str, ...]) -> str | None:
    """The offered field ``key`` narrows ("python разраб" for "django python разраб"), None if none."""
    return next((k for k in offered if narrower(key, k)), None)


def remembered_field(profile: UserProfile | None) -> str | None:
    """The field the user chose last (answers offering it are answered within it)."""
    return getattr(profile, "field_choice", None) if profile is not None else None


def offered_filters(vacancies: Sequence[Any], filters: Filters) -> tuple[str, ...]:
    """The filters the data can answer: on a field the listed vacancies carry (search-list items
    have no employment), or already set (so it can be changed back)."""
    offered = []
    if filters.with_salary or filters.min_salary or any(v.pay is not None for v in vacancies):
        offered.append("salary")
    if filters.employment or any(v.employment for v in vacancies):
        offered.append("employment")
    return tuple(offered)


def query_of(advisor: Advisor, record: QueryRecord) -> Query | None:
    """The stored query behind a button, as page 1 had it: its recognized skills (not its text
    parsed again) and the typed terms not understood, with their suggestions, so what the user
    meant by a typo is never listed as lacking on a later page either. None without a model."""
    state = AnswerState.from_dict(record.state)
    unknown = [(term, suggestions) for term, suggestions in state.unknown if term]
    return advisor.query_of_profile(record.recognized_skills, record.text, unknown)


async def answer_text(
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
    """Text typed by the user: a greeting, a salary question, a job title or a skills list.
    Read once by the library (``Advisor.understand``), what it read into the text said, then answered."""
    typed = text or ""
    if is_greeting(typed):
        await message.answer(t(lang, "welcome"), reply_markup=examples_keyboard(lang))
        return
    subject = salary_subject(typed)
    understood = await advisor.understand(subject or typed)
    if understood is None:
        await keep_skills_until_model(message, typed, lang=lang, repo=repo, advisor=advisor, save=save)
        return
    query = understood.query
    if not query.text:  # nothing printable
        await message.answer(t(lang, "empty_input"))
        return
    notes = understanding_notes(lang, understood, advisor.display_in(lang))
    if subject is not None:
        if notes:
            await message.answer("\n".join(notes))
        await send_salary(message, bot, query=query, profile=profile, lang=lang, advisor=advisor)
        return
    await send_answer(
        message,
        bot,
        query=query,
        profile=profile,
        lang=lang,
        repo=repo,
        advisor=advisor,
        save=save,
        notes=notes,
    )


async def answer_setting_typed(
    message: Message,
    bot: Bot,
    *,
    text: str | None,
    lang: str,
    repo: Repository,
    advisor: Advisor,
) -> bool:
    """A free message naming only a city, an experience or a schedule ("спб", "без опыта",
    "удалёнка") changes that setting, never the stored skills, and answers the saved skills with
    it. False when the text names no setting (it is then a skills query)."""
    setting = setting_of_text(text)
    if setting is None:
        return False
    user_id = message.chat.id
    if setting.city is not None:
        await repo.update_settings(user_id, city=(setting.city.area_id, setting.city.name))
        city = city_by_id(setting.city.area_id)
        shown = city.label(lang) if city is not None else setting.city.name or ""
    elif setting.experience is not None:
        await repo.update_settings(user_id, experience=(setting.experience,))
        shown = EXPERIENCE_LABELS[lang].get(setting.experience, setting.experience)
    else:
        await repo.update_settings(user_id, schedule=(setting.schedule,))
        shown = SCHEDULE_LABELS[lang].get(setting.schedule or "", setting.schedule or "")
    note = t(lang, "setting_typed", what=esc(shown))
    profile = await repo.get_profile(user_id)
    if profile is None or not profile.skills:
        await message.answer(note + "\n" + t(lang, "need_skills"))
        return True
    query = advisor.query_of_profile(profile.skills)
    if query is None:
        await message.answer(note + "\n" + t(lang, advisor.unavailable_key))
        return True
    await send_answer(
        message, bot, query=query, profile=profile, lang=lang, repo=repo, advisor=advisor, save=False,
        notes=[note],
    )  # fmt: skip
    return True


async def keep_skills_until_model(
    message: Message, text: str, *, lang: str, repo: Repository, advisor: Advisor, save: bool = True
) -> None:
    """No model to read the skills: store the text as typed (cleaned and capped by the library's
    one cleaner, as a query's text is) and say so only because it is true."""
    cleaned, _ = clean_query_text(text)
    if not cleaned:
        await message.answer(t(lang, "empty_input"))
        return
    reply = t(lang, advisor.unavailable_key)
    if save:
        await repo.save_skills(message.chat.id, cleaned, [])
        reply += " " + t(lang, "skills_kept")
    await message.answer(reply)


async def send_answer(
    message: Message,
    bot: Bot,
    *,
    query: Query,
    profile: UserProfile | None,
    lang: str,
    repo: Repository,
    advisor: Advisor,
    save: bool = True,
    notes: Sequence[str] = (),
) -> None:
    """Answer a parsed query: recognition (with typo buttons), then the vacancies with their buttons."""
    user_id = message.chat.id
    if query.truncated:
        await message.answer(t(lang, "too_long_note", limit=len(query.text)))
    filters = filters_of(profile)
    # The profile was read at the start of this update (one update per user at a time).
    hidden = (
        profile.hidden
        if profile is not None and profile.id == user_id
        else await repo.hidden_vacancies(user_id)
    )
    async with busy(bot, message.chat.id):
        answer = await advisor.recommend(
            query, filters=filters, exclude_keys=hidden, field=remembered_field(profile)
        )
    if answer is None:
        await message.answer(t(lang, advisor.unavailable_key))
        return
    rec = answer.recommendation
    recognized = list(rec.skills_recognized)
    unknown = tuple(
        (u.term, tuple(u.suggestions[:3])) for u in query.unknown[:MAX_TYPO_TERMS] if u.suggestions
    )
    state = AnswerState(filters=filters, shown=shown_of(answer), unknown=unknown, **field_state(answer))
    query_id: int | None = None
    # A user the bot could not store (a full disk at their first message) has no row a query
    # could refer to: the answer goes out read-only, as when storing it fails.
    if profile is None or profile.stored:
        try:
            query_id = await repo.log_query(
                user_id,
                text=query.text,
                recognized=recognized,
                model_version=answer.model_version,
                vacancy_keys=state.shown_keys,
                state=state.to_dict(),
                skills=recognized if save and recognized else None,  # in the same transaction
            )
        except StorageFull:  # the answer is read-only: it goes out, without the buttons that need it stored
            logger.warning("answer for user %s not stored (full disk); sent without buttons", user_id)
    recognition = "\n".join([*notes, recognition_text(lang, answer)])
    typo_buttons = (
        typo_keyboard(lang, query_id, unknown, answer.display_in(lang))
        if unknown and query_id is not None
        else None
    )
    await send_long(message, recognition, reply_markup=typo_buttons)
    if not recognized:
        return
    if query_id is None:
        await message.answer(f"{vacancies_text(lang, answer)}\n\n{t(lang, 'answer_not_stored')}")
        return
    await message.answer(
        vacancies_text(lang, answer), reply_markup=answer_markup(lang, query_id, answer, state)
    )


async def show_answer(
    message: Message,
    bot: Bot,
    *,
    record: QueryRecord,
    state: AnswerState,
    lang: str,
    repo: Repository,
    advisor: Advisor,
) -> bool:
    """Re-render an answer message in place with ``state`` (a page, a sort, a filter, a view).
    False when no model is loaded."""
    query = query_of(advisor, record)
    if query is None:
        return False
    hidden = await repo.hidden_vacancies(record.user_id)
    async with busy(bot, message.chat.id):
        answer = await advisor.recommend(
            query,
            page=state.page,
            filters=state.filters,
            exclude_keys=hidden,
            field=state.chosen,
        )
    if answer is None:
        return False
    state = replace(state, page=answer.page, shown=shown_of(answer), **field_state(answer))
    try:
        await repo.add_shown_vacancies(record.id, state.shown_keys, state.to_dict())
    except StorageFull:  # bookkeeping: the page is shown; the next press starts from the stored state
        logger.warning("answer %s: new page not stored (full disk)", record.id)
    # The same button pressed twice fast: the second edit changes nothing, which is fine.
    await edit(
        message, vacancies_text(lang, answer), reply_markup=answer_markup(lang, record.id, answer, state)
    )
    return True


async def send_salary(
    message: Message, bot: Bot, *, query: Query, profile: UserProfile | None, lang: str, advisor: Advisor
) -> None:
    if not query.text:
        await message.answer(t(lang, "need_skills"))
        return
    if not advisor.ready:
        await message.answer(t(lang, advisor.unavailable_key))
        return
    async with busy(bot, message.chat.id, "upload_photo"):
        answer = await advisor.salary(
            query,
            area=profile.city_name if profile else None,
            experience=profile.experience if profile else None,
            schedule=profile.schedule if profile else None,
            lang=lang,
            field=remembered_field(profile),
        )
    if answer is None or not answer.skills:
        await message.answer(t(lang, "salary_none" if answer is None else "nothing_recognized"))
        return
    await send_long(message, salary_text(lang, answer))
    if answer.chart_png:
        photo = BufferedInputFile(answer.chart_png, filename="salary.png")
        await message.answer_photo(photo, caption=t(lang, "salary_caption")[:CAPTION_LIMIT])
