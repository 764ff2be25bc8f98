"""hh.ru API JSON (search items and full cards) → ``Vacancy``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from recommender.data.models import Label, Vacancy
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


def _dict_field(obj: dict, key: str) -> dict:
    value = obj.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRecord("wrong_type")
    return value


def _dictionary_id(obj: dict, key: str) -> str | None:
    value = _dict_field(obj, key).get("id")
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
) -> Vacancy:
    """Build a ``Vacancy`` from one API object; raises ``BadRecord`` with a reason.

    An implausible salary (outside ``PLAUSIBLE_MONTHLY_RUB``) is dropped, the vacancy kept, and
    ``on_bad_value("implausible_salary")`` told so it can be counted."""
    if not isinstance(obj, dict):
        raise BadRecord("not_an_object")
    vacancy_id, title = _identity(obj)
    is_card = "description" in obj
    text = html_to_text(_text_field(obj, "description")) if is_card else snippet_to_text(obj.get("snippet"))
    try:
        salary = parse_salary(obj.get("salary"), salary_bounds)
    except SalaryError as exc:
        if exc.reason != "implausible_salary":
            raise BadRecord(exc.reason) from exc
        salary = None
        if on_bad_value is not None:
            on_bad_value(exc.reason)
    area = _dict_field(obj, "area")
    return Vacancy(
        id=vacancy_id,
        title=title,
        employer=str(_dict_field(obj, "employer").get("name") or ""),
        area=str(area.get("name") or ""),
        area_id=str(area.get("id") or ""),
        text=text,
        key_skills=_key_skills(obj.get("key_skills")),
        experience=_dictionary_id(obj, "experience"),
        schedule=_dictionary_id(obj, "schedule"),
        employment=_dictionary_id(obj, "employment"),
        specializations=_labels(obj.get("specializations")),
        professional_roles=_labels(obj.get("professional_roles")),
        published_at=_published(obj.get("published_at")),
        url=_text_field(obj, "alternate_url") or f"https://hh.ru/vacancy/{vacancy_id}",
        salary=salary,
        detail="card" if is_card else "list",
        source="hh",
        archived=bool(obj.get("archived", False)),
    )
