"""Inline keyboards and their callback data. Callback data carry short ids (query ids,
hh dictionary ids, page numbers), never names, so they stay far below Telegram's 64 bytes."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Annotated, Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from pydantic import AfterValidator, Field, model_validator

from bot.services.advisor import MIN_SALARIES, PAGE_SIZE
from bot.services.formatting import sort_label
from bot.texts import (
    CITIES,
    EMPLOYMENT_LABELS,
    EXPERIENCE_LABELS,
    LANGUAGE_LABELS,
    LANGUAGES,
    SCHEDULE_LABELS,
    t,
)
from recommender.recommend import EMPLOYMENTS, SORTS, Filters

ANY = "any"
OTHER = "other"
# Where a refinement button was pressed: the /start dialogue, /settings, or settings opened from /digest.
DIALOGUE = "d"
SETTINGS = "s"
DIGEST = "g"
MAX_PAGE = 200
MAX_FIELD_CHOICES = 4  # recommender.recommend.choices.MAX_CHOICES
FIELDS_PER_ROW = 2  # a field's label is a job title: two fit a phone's row
# the fields offered, then the narrower ones within a chosen field (choices.subfield_choices)
MAX_FIELD_BUTTONS = 2 * MAX_FIELD_CHOICES
NARROWER_MARK = "↳ "

MAX_ROW = 8  # buttons in a row when no sizes are given (as aiogram's builder)
FILTER_FIELDS = ("salary", "employment")  # the answer's filters, each on a vacancy field


class Keyboard:
    """What aiogram's ``InlineKeyboardBuilder`` does here (``button``, ``adjust``,
    ``as_markup``: the same rows), without its cost: the builder deep-copies every button so
    far for each one added (an answer's keyboard: 1.6 ms with the builder, 0.19 ms here)."""

    def __init__(self) -> None:
        self._buttons: list[InlineKeyboardButton] = []
        self._sizes: tuple[int, ...] = (MAX_ROW,)

    def button(self, *, text: str, callback_data: CallbackData) -> None:
        self._buttons.append(InlineKeyboardButton(text=text, callback_data=callback_data.pack()))

    def adjust(self, *sizes: int) -> None:
        """Rows of these sizes in turn, the last size repeated for the rest."""
        if any(size < 1 for size in sizes):
            raise ValueError(f"row sizes must be positive: {sizes}")
        self._sizes = sizes or (MAX_ROW,)

    def as_markup(self) -> InlineKeyboardMarkup:
        rows: list[list[InlineKeyboardButton]] = []
        start = 0
        while start < len(self._buttons):
            size = self._sizes[min(len(rows), len(self._sizes) - 1)]
            rows.append(self._buttons[start : start + size])
            start += size
        return InlineKeyboardMarkup(inline_keyboard=rows)


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
Context = Annotated[str, one_of({DIALOGUE, SETTINGS, DIGEST})]
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


class FieldCb(CallbackData, prefix="fd"):
    """A field the answer offers (its index in the answer's stored fields), -1 for all of them."""

    query_id: RowId
    choice: Annotated[int, Field(ge=-1, le=MAX_FIELD_BUTTONS - 1)]


class SortCb(CallbackData, prefix="so"):
    query_id: RowId
    sort: Annotated[str, one_of(SORTS)]


class ViewCb(CallbackData, prefix="vw"):
    """Which keyboard the answer shows: its main buttons, the filters, the per-vacancy actions."""

    query_id: RowId
    view: Annotated[str, one_of({"main", "filters", "actions"})]


# The values each filter button can set: salary stated "1"/"0", a minimum salary or an hh
# employment id, "" for any.
FILTER_VALUES = {
    "sal": frozenset({"0", "1"}),
    "min": frozenset({"", *map(str, MIN_SALARIES)}),
    "emp": frozenset({"", *EMPLOYMENTS}),
}


class FilterCb(CallbackData, prefix="fl"):
    query_id: RowId
    key: Annotated[str, one_of(FILTER_VALUES)]  # salary stated, minimum salary, employment
    value: str

    @model_validator(mode="after")
    def _value_fits_key(self) -> FilterCb:
        if self.value not in FILTER_VALUES[self.key]:
            raise ValueError("not a value this filter can take")
        return self

    def applied_to(self, filters: Filters) -> Filters:
        """``filters`` with this button's filter set."""
        if self.key == "sal":
            return filters.replace(with_salary=self.value == "1")
        if self.key == "min":
            return filters.replace(min_salary=int(self.value) if self.value else None)
        return filters.replace(employment=self.value or None)


class ActionCb(CallbackData, prefix="act"):
    query_id: RowId
    action: Annotated[str, one_of({"hide", "save", "reject"})]
    n: Annotated[int, Field(ge=0, lt=PAGE_SIZE)]  # the vacancy's place on the page shown


MAX_TYPO_TERMS = 5  # typo buttons under one answer: terms × their suggestions
EXAMPLES = (
    "python, sql, pandas",
    "figma, photoshop, ux",
    "1с, бухгалтерия, excel",
    "docker, linux, kubernetes",
)


class TypoCb(CallbackData, prefix="ty"):
    """ "pyton → Python?": the answer's n-th unknown term read as its s-th suggestion."""

    query_id: RowId
    n: Annotated[int, Field(ge=0, lt=MAX_TYPO_TERMS)]
    s: Annotated[int, Field(ge=0, lt=3)]


class ExampleCb(CallbackData, prefix="ex"):
    n: Annotated[int, Field(ge=0, lt=len(EXAMPLES))]


class FeedbackCb(CallbackData, prefix="fb"):
    query_id: RowId
    value: Annotated[int, one_of({1, -1})]


class SalaryCb(CallbackData, prefix="sal"):
    query_id: RowId


class DigestCb(CallbackData, prefix="dg"):
    """A frequency to set, "off", or "view": back to the digest from its settings, nothing changed."""

    frequency: Annotated[str, one_of({"daily", "weekly", "off", "view"})]


class SettingsCb(CallbackData, prefix="set"):
    field: Annotated[str, one_of({"lang", "city", "exp", "sch", "skills", "menu"})]


class DigestSettingsCb(SettingsCb, prefix="dset"):
    """The same settings opened from /digest: they come back to it."""


class LanguageCb(CallbackData, prefix="lang"):
    code: Annotated[str, one_of(LANGUAGES)]


class ForgetCb(CallbackData, prefix="fgt"):
    confirm: bool


class UnsaveCb(CallbackData, prefix="uns"):
    """Remove a saved vacancy from /saved: its stored key ("source:id") in two parts (":" separates
    callback data's fields)."""

    source: Annotated[str, Field(pattern=r"^[a-z]{1,12}$")]
    id: Annotated[str, Field(pattern=r"^[\w.-]{1,40}$")]

    @property
    def vacancy_key(self) -> str:
        return f"{self.source}:{self.id}"


def city_keyboard(lang: str, ctx: str) -> InlineKeyboardMarkup:
    builder = Keyboard()
    for city_id, ru, en in CITIES:
        builder.button(text=ru if lang == "ru" else en, callback_data=CityCb(ctx=ctx, id=city_id))
    builder.button(text=t(lang, "any_city"), callback_data=CityCb(ctx=ctx, id=ANY))
    builder.button(text=t(lang, "other_city"), callback_data=CityCb(ctx=ctx, id=OTHER))
    builder.adjust(2)
    return builder.as_markup()


def experience_keyboard(lang: str, ctx: str) -> InlineKeyboardMarkup:
    builder = Keyboard()
    for exp_id, label in EXPERIENCE_LABELS[lang].items():
        builder.button(text=label, callback_data=ExperienceCb(ctx=ctx, id=exp_id))
    builder.button(text=t(lang, "any"), callback_data=ExperienceCb(ctx=ctx, id=ANY))
    builder.adjust(2)
    return builder.as_markup()


def schedule_keyboard(lang: str, ctx: str) -> InlineKeyboardMarkup:
    builder = Keyboard()
    for sched_id, label in SCHEDULE_LABELS[lang].items():
        builder.button(text=label, callback_data=ScheduleCb(ctx=ctx, id=sched_id))
    builder.button(text=t(lang, "any"), callback_data=ScheduleCb(ctx=ctx, id=ANY))
    builder.adjust(2)
    return builder.as_markup()


def answer_keyboard(
    lang: str,
    query_id: int,
    page: int,
    has_more: bool,
    filters: Filters | None = None,
    *,
    view: str = "main",
    shown: int = 0,
    stale: bool = False,
    offered: Collection[str] = FILTER_FIELDS,
    fields: Sequence[str] = (),
    field: int | None = None,
    narrower: int = 0,
) -> InlineKeyboardMarkup:
    """Under a vacancy answer: the fields to choose from (``fields``: their labels, the last
    ``narrower`` of them the narrower fields within the chosen one, on their own row; ``field``: the
    chosen one's index), paging, sort, filters and per-vacancy actions, salary, 👍/👎.
    ``stale``: the vacancies shown are old, so the date sort is not called "newest first";
    ``offered``: the filters the shown vacancies' fields can answer.

    Every button carries the answer's query id: the state it acts on is stored with that
    answer, so an old message keeps paging with its own filters."""
    filters = filters or Filters()
    if view == "filters":
        return filters_keyboard(lang, query_id, filters, offered)
    if view == "actions":
        return actions_keyboard(lang, query_id, shown, first=page * PAGE_SIZE + 1)
    builder = Keyboard()
    sizes = []
    split = len(fields) - max(0, min(narrower, len(fields)))  # the first narrower field's index
    for first, row in ((0, fields[:split]), (split, fields[split:])):
        for index, label in enumerate(row[:MAX_FIELD_CHOICES], start=first):
            mark = ("✓ " if index == field else "") + (NARROWER_MARK if first else "")
            builder.button(text=mark + label[:40], callback_data=FieldCb(query_id=query_id, choice=index))
        full, rest = divmod(min(len(row), MAX_FIELD_CHOICES), FIELDS_PER_ROW)
        sizes += [FIELDS_PER_ROW] * full + [rest] * (rest > 0)
    if page > 0:
        builder.button(text=t(lang, "back"), callback_data=PageCb(query_id=query_id, page=page - 1))
    if has_more:
        builder.button(text=t(lang, "more"), callback_data=PageCb(query_id=query_id, page=page + 1))
    if page > 0 or has_more:
        sizes.append((page > 0) + has_more)
    for sort in SORTS:
        mark = "✓ " if filters.sort == sort else ""
        builder.button(
            text=mark + sort_label(lang, sort, stale=stale),
            callback_data=SortCb(query_id=query_id, sort=sort),
        )
    builder.button(text=t(lang, "filters_button"), callback_data=ViewCb(query_id=query_id, view="filters"))
    if shown:
        builder.button(
            text=t(lang, "actions_button"), callback_data=ViewCb(query_id=query_id, view="actions")
        )
    builder.button(text=t(lang, "salary_button"), callback_data=SalaryCb(query_id=query_id))
    builder.button(text="👍", callback_data=FeedbackCb(query_id=query_id, value=1))
    builder.button(text="👎", callback_data=FeedbackCb(query_id=query_id, value=-1))
    builder.adjust(*sizes, len(SORTS), 2 if shown else 1, 3)
    return builder.as_markup()


def _next(values: tuple, current: object) -> object:
    """The value after ``current`` in a cycle that includes "none" (None) first."""
    cycle = (None, *values)
    return cycle[(cycle.index(current) + 1) % len(cycle)] if current in cycle else cycle[1]


def typo_keyboard(
    lang: str, query_id: int, unknown: Sequence[tuple[str, Sequence[str]]], display: Callable[[str], str]
) -> InlineKeyboardMarkup:
    """One row per unknown term: "pyton → Python?" for each of its suggestions."""
    builder = Keyboard()
    sizes = []
    for n, (term, suggestions) in enumerate(unknown[:MAX_TYPO_TERMS]):
        for s, skill in enumerate(suggestions[:3]):
            label = f"{term[:20]} → {display(skill)[:30]}?"
            builder.button(text=label, callback_data=TypoCb(query_id=query_id, n=n, s=s))
        sizes.append(min(len(suggestions), 3))
    builder.adjust(*sizes)
    return builder.as_markup()


def examples_keyboard(lang: str) -> InlineKeyboardMarkup:
    builder = Keyboard()
    for n, example in enumerate(EXAMPLES):
        builder.button(text=example, callback_data=ExampleCb(n=n))
    builder.adjust(2)
    return builder.as_markup()


def filters_keyboard(
    lang: str, query_id: int, filters: Filters, offered: Collection[str] = FILTER_FIELDS
) -> InlineKeyboardMarkup:
    """Each button shows a filter's value; pressing moves it to the next value. Only filters on
    fields the answer's vacancies carry are ``offered`` ("salary", "employment")."""
    builder = Keyboard()
    if "salary" in offered:
        _salary_buttons(builder, lang, query_id, filters)
    if "employment" in offered:
        employment = EMPLOYMENT_LABELS[lang].get(filters.employment or "", t(lang, "filter_any"))
        builder.button(
            text=t(lang, "filter_employment", value=employment),
            callback_data=FilterCb(
                query_id=query_id, key="emp", value=str(_next(EMPLOYMENTS, filters.employment) or "")
            ),
        )
    builder.button(text=t(lang, "filter_done"), callback_data=ViewCb(query_id=query_id, view="main"))
    builder.adjust(1)
    return builder.as_markup()


def _salary_buttons(builder: Keyboard, lang: str, query_id: int, filters: Filters) -> None:
    mark = "✓ " if filters.with_salary else ""
    builder.button(
        text=mark + t(lang, "filter_with_salary"),
        callback_data=FilterCb(query_id=query_id, key="sal", value="0" if filters.with_salary else "1"),
    )
    minimum = f"{filters.min_salary // 1000}k" if filters.min_salary else t(lang, "filter_any")
    builder.button(
        text=t(lang, "filter_min_salary", value=minimum),
        callback_data=FilterCb(
            query_id=query_id, key="min", value=str(_next(MIN_SALARIES, filters.min_salary) or "")
        ),
    )


def actions_keyboard(lang: str, query_id: int, shown: int, first: int = 1) -> InlineKeyboardMarkup:
    """One row per vacancy on the page (numbered as listed): hide, save, not for me."""
    builder = Keyboard()
    for n in range(shown):
        for action in ("hide", "save", "reject"):
            builder.button(
                text=t(lang, f"action_{action}", n=first + n),
                callback_data=ActionCb(query_id=query_id, action=action, n=n),
            )
    builder.button(text=t(lang, "filter_done"), callback_data=ViewCb(query_id=query_id, view="main"))
    builder.adjust(*([3] * shown), 1)
    return builder.as_markup()


def digest_keyboard(lang: str, frequency: str | None) -> InlineKeyboardMarkup:
    """Frequency (the current one ticked), unsubscribe, and the criteria: skills and filters."""
    builder = Keyboard()
    for choice in ("daily", "weekly"):
        mark = "✓ " if frequency == choice else ""
        builder.button(text=mark + t(lang, f"digest_{choice}"), callback_data=DigestCb(frequency=choice))
    if frequency is not None:
        builder.button(text=t(lang, "digest_off"), callback_data=DigestCb(frequency="off"))
    builder.button(text=t(lang, "digest_edit_skills"), callback_data=SettingsCb(field="skills"))
    builder.button(text=t(lang, "digest_edit_filters"), callback_data=DigestSettingsCb(field="menu"))
    builder.adjust(2, *([1] if frequency is not None else []), 2)
    return builder.as_markup()


def settings_keyboard(lang: str, ctx: str = SETTINGS) -> InlineKeyboardMarkup:
    """/settings' fields; opened from /digest (``ctx`` DIGEST): the digest's filters and a way back."""
    builder = Keyboard()
    fields: tuple[tuple[str, str], ...] = (
        ("city", "settings_city"), ("exp", "settings_experience"), ("sch", "settings_schedule"),
    )  # fmt: skip
    if ctx != DIGEST:
        fields = (("lang", "settings_language"), *fields)
    callback = DigestSettingsCb if ctx == DIGEST else SettingsCb
    for field, key in fields:
        builder.button(text=t(lang, key), callback_data=callback(field=field))
    if ctx == DIGEST:
        builder.button(text=t(lang, "back_to_digest"), callback_data=DigestCb(frequency="view"))
        builder.adjust(3, 1)
    else:
        builder.adjust(2)
    return builder.as_markup()


def language_keyboard() -> InlineKeyboardMarkup:
    builder = Keyboard()
    for code in LANGUAGES:
        builder.button(text=LANGUAGE_LABELS[code], callback_data=LanguageCb(code=code))
    return builder.as_markup()


SAVED_ROW = 5


def saved_keyboard(lang: str, vacancy_keys: Sequence[str]) -> InlineKeyboardMarkup:
    """✖ N under /saved: one button per listed vacancy, numbered as listed."""
    builder = Keyboard()
    for n, key in enumerate(vacancy_keys, start=1):
        source, _, vacancy_id = key.partition(":")
        unsave = UnsaveCb(source=source, id=vacancy_id)
        builder.button(text=t(lang, "unsave_button", n=n), callback_data=unsave)
    builder.adjust(SAVED_ROW)
    return builder.as_markup()


def forget_keyboard(lang: str) -> InlineKeyboardMarkup:
    builder = Keyboard()
    builder.button(text=t(lang, "forget_yes"), callback_data=ForgetCb(confirm=True))
    builder.button(text=t(lang, "forget_no"), callback_data=ForgetCb(confirm=False))
    return builder.as_markup()
