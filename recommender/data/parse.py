"""hh.ru API JSON (search items and full cards) → ``Vacancy``.

New fields (2025+, per hh's OpenAPI specification) are read first and the deprecated ones are
the fallback for old data: ``salary_range`` (with ``mode``) before ``salary`` (``frequency``,
how often the pay is paid out, leaves the amount's period as ``mode`` says); ``work_format``
and ``employment_form`` beside the old ``schedule`` and ``employment`` ids, which stay.
Dates: hh's ``published_at`` and ``created_at`` both mean "published" (moved when an employer
re-publishes), ``initial_created_at`` (cards only) is when the posting was first created. hh
gives no modification time, so ``updated_at`` is the latest publication: the freshest evidence
that the posting was live.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from recommender.data.areas import country_of
from recommender.data.models import Label, Salary, Vacancy
from recommender.data.salary import DEFAULT_BOUNDS, SalaryError, parse_salary
from recommender.data.text import html_to_text, snippet_to_text


class BadRecord(ValueError):
    """A record that cannot become a ``Vacancy``; ``reason`` is its counter key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _text_field(obj: dict, key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRecord("wrong_type")
    return value.strip()


def dict_field(obj: dict, key: str) -> dict:
    """``obj[key]`` as a dict ({} when absent); ``BadRecord("wrong_type")`` when it is not one."""
    value = obj.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRecord("wrong_type")
    return value


def _dictionary_id(obj: dict, key: str) -> str | None:
    value = dict_field(obj, key).get("id")
    return str(value) if value is not None else None


def _labels(items: Any) -> tuple[Label, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise BadRecord("wrong_type")
    return tuple(
        Label(str(item["id"]), str(item.get("name") or ""))
        for item in items
        if isinstance(item, dict) and item.get("id") is not None
    )


def _key_skills(items: Any) -> tuple[str, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise BadRecord("wrong_type")
    names = (item.get("name") if isinstance(item, dict) else item for item in items)
    return tuple(name.strip() for name in names if isinstance(name, str) and name.strip())


def _published(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _ids(items: Any) -> tuple[str, ...]:
    """``[{id, name}, ...]`` (hh's ``work_format``) → the ids."""
    if items is None:
        return ()
    if not isinstance(items, list):
        raise BadRecord("wrong_type")
    return tuple(str(item["id"]) for item in items if isinstance(item, dict) and item.get("id") is not None)


# Reasons a salary is dropped and the vacancy kept; any other SalaryError makes a bad record.
_DROPPABLE_SALARY = frozenset({"implausible_salary", "unknown_currency", "unknown_period"})


def _pay(
    obj: dict,
    year: int | None,
    bounds: tuple[float, float],
    on_bad_value: Callable[[str], None] | None,
) -> tuple[Salary | None, Salary | None]:
    """(monthly salary, other pay): ``salary_range`` first, the old ``salary`` as fallback."""
    raw = obj.get("salary_range") or obj.get("salary")
    try:
        pay = parse_salary(raw, bounds, year=year)
    except SalaryError as exc:
        if exc.reason not in _DROPPABLE_SALARY:
            raise BadRecord(exc.reason) from exc
        if on_bad_value is not None:
            on_bad_value(exc.reason)
        return None, None
    if pay is None or pay.period == "MONTH":
        return pay, None
    return None, pay


def _identity(obj: dict) -> tuple[str, str]:
    raw_id = obj.get("id")
    if raw_id is None or raw_id == "":
        raise BadRecord("missing_id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        raise BadRecord("wrong_type")
    title = obj.get("name")
    if title is None or (isinstance(title, str) and not title.strip()):
        raise BadRecord("missing_name")
    if not isinstance(title, str):
        raise BadRecord("wrong_type")
    return str(raw_id), title.strip()


def parse_vacancy(
    obj: Any,
    *,
    salary_bounds: tuple[float, float] = DEFAULT_BOUNDS,
    on_bad_value: Callable[[str], None] | None = None,
    countries: Mapping[str, str] | None = None,
) -> Vacancy:
    """Build a ``Vacancy`` from one API object; raises ``BadRecord`` with a reason.

    A salary that cannot be used (implausible, in a currency without a rate, of an unknown
    period) is dropped, the vacancy kept, and ``on_bad_value(reason)`` told so it can be
    counted. ``countries`` maps hh area ids to countries (``areas.country_index`` of hh's
    ``/areas``); the built-in table is used without it."""
    if not isinstance(obj, dict):
        raise BadRecord("not_an_object")
    vacancy_id, title = _identity(obj)
    is_card = "description" in obj
    text = html_to_text(_text_field(obj, "description")) if is_card else snippet_to_text(obj.get("snippet"))
    published = _published(obj.get("published_at")) or _published(obj.get("created_at"))
    salary, other_pay = _pay(obj, published.year if published else None, salary_bounds, on_bad_value)
    area = dict_field(obj, "area")
    area_id, area_name = str(area.get("id") or ""), str(area.get("name") or "")
    return Vacancy(
        id=vacancy_id,
        title=title,
        employer=str(dict_field(obj, "employer").get("name") or ""),
        area=area_name,
        area_id=area_id,
        country=country_of(area_id, area_name, countries),
        text=text,
        key_skills=_key_skills(obj.get("key_skills")),
        experience=_dictionary_id(obj, "experience"),
        schedule=_dictionary_id(obj, "schedule"),
        employment=_dictionary_id(obj, "employment"),
        specializations=_labels(obj.get("specializations")),
        professional_roles=_labels(obj.get("professional_roles")),
        published_at=published,
        updated_at=published,
        url=_text_field(obj, "alternate_url") or f"https://hh.ru/vacancy/{vacancy_id}",
        salary=salary,
        other_pay=other_pay,
        work_format=_ids(obj.get("work_format")),
        employment_form=_dictionary_id(obj, "employment_form"),
        detail="card" if is_card else "list",
        source="hh",
        archived=bool(obj.get("archived", False)),
    )
