"""Inline keyboards and their callback data. Callback data carry short ids (query ids,
hh dictionary ids, page numbers), never names, so they stay far below Telegram's 64 bytes."""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated, Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import AfterValidator, Field

from bot.texts import CITIES, EXPERIENCE_LABELS, LANGUAGE_LABELS, LANGUAGES, SCHEDULE_LABELS, t

ANY = "any"
OTHER = "other"
# Where a refinement button was pressed: the /start dialogue or /settings.
DIALOGUE = "d"
SETTINGS = "s"
MAX_PAGE = 200


# Callback data come from the client and can be forged: every field is checked against its
# domain here, once. A forged value fails to unpack, so no handler sees it (the fallback
# answers "this button is out of date").
def one_of(allowed: Collection[Any]) -> AfterValidator:
    def check(value: Any) -> Any:
        if value not in allowed:
            raise ValueError("not a value this button can carry")
        return value

    return AfterValidator(check)


def _ids(*groups: Collection[str]) -> frozenset[str]:
    return frozenset().union(*groups)


RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]  # a database id: fits SQLite and PostgreSQL bigint
Context = Annotated[str, one_of({DIALOGUE, SETTINGS})]
CityId = Annotated[str, one_of(_ids({c[0] for c in CITIES}, {ANY, OTHER}))]
ExperienceId = Annotated[str, one_of(_ids(*(labels.keys() for labels in EXPERIENCE_LABELS.values()), {ANY}))]
ScheduleId = Annotated[str, one_of(_ids(*(labels.keys() for labels in SCHEDULE_LABELS.values()), {ANY}))]


class CityCb(CallbackData, prefix="city"):
    ctx: Context
    id: CityId


class ExperienceCb(CallbackData, prefix="exp"):
    ctx: Context
    id: ExperienceId


class ScheduleCb(CallbackData, prefix="sch"):
    ctx: Context
    id: ScheduleId


class PageCb(CallbackData, prefix="pg"):
    query_id: RowId
    page: Annotated[int, Field(ge=0, le=MAX_PAGE)]


class FeedbackCb(CallbackData, prefix="fb"):
    query_id: RowId
    value: Annotated[int, one_of({1, -1})]


class SalaryCb(CallbackData, prefix="sal"):
    query_id: RowId


class DigestCb(CallbackData, prefix="dg"):
    frequency: Annotated[str, one_of({"daily", "weekly", "off"})]


class SettingsCb(CallbackData, prefix="set"):
    field: Annotated[str, one_of({"lang", "city", "exp", "sch"})]


class LanguageCb(CallbackData, prefix="lang"):
    code: Annotated[str, one_of(LANGUAGES)]


class ForgetCb(CallbackData, prefix="fgt"):
    confirm: bool


def city_keyboard(lang: str, ctx: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for city_id, ru, en in CITIES:
        builder.button(text=ru if lang == "ru" else en, callback_data=CityCb(ctx=ctx, id=city_id))
    builder.button(text=t(lang, "any_city"), callback_data=CityCb(ctx=ctx, id=ANY))
    builder.button(text=t(lang, "other_city"), callback_data=CityCb(ctx=ctx, id=OTHER))
    builder.adjust(2)
    return builder.as_markup()


def experience_keyboard(lang: str, ctx: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for exp_id, label in EXPERIENCE_LABELS[lang].items():
        builder.button(text=label, callback_data=ExperienceCb(ctx=ctx, id=exp_id))
    builder.button(text=t(lang, "any"), callback_data=ExperienceCb(ctx=ctx, id=ANY))
    builder.adjust(2)
    return builder.as_markup()


def schedule_keyboard(lang: str, ctx: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for sched_id, label in SCHEDULE_LABELS[lang].items():
        builder.button(text=label, callback_data=ScheduleCb(ctx=ctx, id=sched_id))
    builder.button(text=t(lang, "any"), callback_data=ScheduleCb(ctx=ctx, id=ANY))
    builder.adjust(2)
    return builder.as_markup()


def answer_keyboard(lang: str, query_id: int, page: int, has_more: bool) -> InlineKeyboardMarkup:
    """Under a vacancy answer: paging, salary, and 👍/👎 stored with the query."""
    builder = InlineKeyboardBuilder()
    paging = 0
    if page > 0:
        builder.button(text=t(lang, "back"), callback_data=PageCb(query_id=query_id, page=page - 1))
        paging += 1
    if has_more:
        builder.button(text=t(lang, "more"), callback_data=PageCb(query_id=query_id, page=page + 1))
        paging += 1
    builder.button(text=t(lang, "salary_button"), callback_data=SalaryCb(query_id=query_id))
    builder.button(text="👍", callback_data=FeedbackCb(query_id=query_id, value=1))
    builder.button(text="👎", callback_data=FeedbackCb(query_id=query_id, value=-1))
    builder.adjust(*([paging] if paging else []), 1, 2)
    return builder.as_markup()


def digest_keyboard(lang: str, subscribed: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=t(lang, "digest_daily"), callback_data=DigestCb(frequency="daily"))
    builder.button(text=t(lang, "digest_weekly"), callback_data=DigestCb(frequency="weekly"))
    if subscribed:
        builder.button(text=t(lang, "digest_off"), callback_data=DigestCb(frequency="off"))
    builder.adjust(2, 1)
    return builder.as_markup()


def settings_keyboard(lang: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for field, key in (
        ("lang", "settings_language"),
        ("city", "settings_city"),
        ("exp", "settings_experience"),
        ("sch", "settings_schedule"),
    ):
        builder.button(text=t(lang, key), callback_data=SettingsCb(field=field))
    builder.adjust(2)
    return builder.as_markup()


def language_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code in LANGUAGES:
        builder.button(text=LANGUAGE_LABELS[code], callback_data=LanguageCb(code=code))
    return builder.as_markup()


def forget_keyboard(lang: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=t(lang, "forget_yes"), callback_data=ForgetCb(confirm=True))
    builder.button(text=t(lang, "forget_no"), callback_data=ForgetCb(confirm=False))
    return builder.as_markup()
