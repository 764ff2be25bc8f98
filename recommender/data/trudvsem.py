"""Работа России (trudvsem.ru open-data API) → ``Vacancy``.

One element of ``/api/v1/vacancies``' ``results.vacancies`` is ``{"vacancy": {...}}`` with
hyphenated and snake-case keys side by side (``job-name``, ``salary_min``, ``creation-date``,
``date_modify``). What maps where, and why:

- pay: ``salary_min``/``salary_max`` (else the ``salary`` line, "от 30000") in ``currency``
  (written "«руб.»"); the portal publishes
  monthly pay and does not say before or after tax, so ``gross`` is left unknown as hh's is
  when absent. 0 means "not given".
- place: the city from the first address ("г Заринск", "г. Томск"), else the region's name, and
  the region's code (what the portal's search takes); the country is Russia (the portal is
  Russia's employment service). hh's area ids do not apply.
- experience: required years (an integer) → hh's four levels; schedule and employment → hh's
  ids where one means the same thing, otherwise None (never a near miss).
- dates: ``creation-date`` (a day, Moscow time) is the publication, ``date_modify`` the update.
- labels: the portal's own systems, ids prefixed ``trudvsem:`` so they never meet hh's ids:
  ``category.specialisation`` as a specialization, ``typicalPosition`` as a professional role.
- skills: the ``skills`` list where present, de-duplicated; texts are cleaned of HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from recommender.data.areas import RUSSIA
from recommender.data.models import Label, Salary, Vacancy
from recommender.data.parse import BadRecord, dict_field
from recommender.data.salary import DEFAULT_BOUNDS, SalaryError, parse_salary
from recommender.data.text import html_to_text

SOURCE = "trudvsem"
MOSCOW_TIME = timezone(timedelta(hours=3))
_NOT_CHOSEN = "Ничего не выбрано"  # the portal's placeholder for an empty typical position
SCHEDULES = {
    "полный рабочий день": "fullDay",
    "сменный график": "shift",
    "гибкий график": "flexible",
    "удаленная работа": "remote",
    "удалённая работа": "remote",
    "вахтовый метод": "flyInFlyOut",
}
WORK_FORMATS = {"fullDay": ("ON_SITE",), "shift": ("ON_SITE",), "remote": ("REMOTE",)}
EMPLOYMENTS = {  # the portal's employment → (hh employment id, hh employment_form id)
    "полная занятость": ("full", "FULL"),
    "частичная занятость": ("part", "PART"),
    "временная": ("project", "PROJECT"),
    "сезонная": ("project", "PROJECT"),
    "стажировка": ("probation", None),
}
_AMOUNT = re.compile(r"\d[\d \u00a0]*\d|\d")
_CITY = re.compile(r"(?:^|,\s*)(?:г\.?|город)\s+([А-ЯЁ][А-Яа-яЁё\- ]+?)\s*(?:,|$)")


def experience_level(years: Any) -> str | None:
    """Required years → noExperience / between1And3 / between3And6 / moreThan6."""
    if isinstance(years, bool) or not isinstance(years, int | float) or years < 0:
        return None
    if years < 1:
        return "noExperience"
    if years < 3:
        return "between1And3"
    return "between3And6" if years < 6 else "moreThan6"


def _text(obj: dict, key: str) -> str:
    value = obj.get(key)
    return html_to_text(value) if isinstance(value, str) else ""


def _first_address(obj: dict) -> str:
    addresses = dict_field(obj, "addresses").get("address")
    first = addresses[0] if isinstance(addresses, list) and addresses else None
    location = first.get("location") if isinstance(first, dict) else None
    return location if isinstance(location, str) else ""


def city_of(address: str) -> str:
    """"Алтайский край, г Заринск, Зеленая улица, 51" → "Заринск"; "" when no town is named."""
    match = _CITY.search(address)
    return match.group(1).strip() if match else ""


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=MOSCOW_TIME)


def salary_text_bounds(text: Any) -> tuple[int | None, int | None]:
    """The portal's salary line ("от 30000", "до 50 000", "30000 - 50000", "45000") → (from, to);
    read only when salary_min and salary_max are absent."""
    if not isinstance(text, str):
        return None, None
    numbers = [int(n.replace(" ", "").replace("\u00a0", "")) for n in _AMOUNT.findall(text)]
    lowered = text.lower()
    if not numbers:
        return None, None
    if len(numbers) >= 2:
        return numbers[0], numbers[1]
    if lowered.lstrip().startswith("до"):
        return None, numbers[0]
    return numbers[0], (None if lowered.lstrip().startswith("от") else numbers[0])


def _pay(obj: dict, year: int | None, on_bad_value: Callable[[str], None] | None) -> Salary | None:
    currency = obj.get("currency")
    code = "RUR" if not isinstance(currency, str) or "руб" in currency.lower() else currency.strip("«» .")
    low, high = obj.get("salary_min") or None, obj.get("salary_max") or None
    if low is None and high is None:
        low, high = salary_text_bounds(obj.get("salary"))
    raw = {"from": low, "to": high, "currency": code}
    try:
        return parse_salary(raw, DEFAULT_BOUNDS, year=year)
    except SalaryError as exc:
        if exc.reason == "wrong_type":
            raise BadRecord(exc.reason) from exc
        if on_bad_value is not None:
            on_bad_value(exc.reason)
        return None


def _labels(obj: dict) -> tuple[tuple[Label, ...], tuple[Label, ...]]:
    category = dict_field(obj, "category").get("specialisation")
    specializations = (
        (Label(f"trudvsem:category/{category}", category),) if isinstance(category, str) and category else ()
    )
    position = obj.get("typicalPosition")
    roles: tuple[Label, ...] = ()
    if isinstance(position, str) and position and position != _NOT_CHOSEN:
        roles = (Label(f"trudvsem:position/{obj.get('code_profession') or position}", position),)
    return specializations, roles


def _skills(obj: dict) -> tuple[str, ...]:
    skills = obj.get("skills")
    if not isinstance(skills, list):
        return ()
    names = (s.strip() for s in skills if isinstance(s, str))
    return tuple(dict.fromkeys(name for name in names if name))


def _body(obj: dict) -> str:
    education = dict_field(obj, "requirement").get("education")
    parts = [_text(obj, "duty"), _text(obj, "requirements"), _text(obj, "qualification")]
    if isinstance(education, str) and education:
        parts.append(f"Образование: {education}")
    return "\n".join(p for p in parts if p)


def _unwrap(obj: Any) -> dict:
    if isinstance(obj, dict) and isinstance(obj.get("vacancy"), dict):
        obj = obj["vacancy"]
    if not isinstance(obj, dict):
        raise BadRecord("not_an_object")
    return obj


def _required(obj: dict, key: str, reason: str) -> str:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise BadRecord("wrong_type")
    if not value or not value.strip():
        raise BadRecord(reason)
    return value.strip()


def _card_url(obj: dict, vacancy_id: str) -> str:
    url = obj.get("vac_url")
    if isinstance(url, str) and url.startswith("http"):
        return url
    company = dict_field(obj, "company").get("companycode")
    return f"https://trudvsem.ru/vacancy/card/{company}/{vacancy_id}" if company else ""


def parse_trudvsem(obj: Any, *, on_bad_value: Callable[[str], None] | None = None) -> Vacancy:
    """One Работа России vacancy (``{"vacancy": {...}}`` or the inner object) → ``Vacancy``;
    raises ``BadRecord`` with a reason as ``parse_vacancy`` does."""
    obj = _unwrap(obj)
    raw_id, title = _required(obj, "id", "missing_id"), _required(obj, "job-name", "missing_name")
    published = _date(obj.get("creation-date"))
    schedule = SCHEDULES.get(str(obj.get("schedule") or "").strip().lower())
    employment_name = str(obj.get("employment") or "").strip().lower()
    employment, employment_form = EMPLOYMENTS.get(employment_name, (None, None))
    if schedule == "flyInFlyOut":
        employment_form = "FLY_IN_FLY_OUT"
    specializations, roles = _labels(obj)
    region = dict_field(obj, "region")
    return Vacancy(
        id=raw_id,
        title=title,
        employer=str(dict_field(obj, "company").get("name") or "").strip(),
        area=city_of(_first_address(obj)) or str(region.get("name") or ""),
        region_code=str(region.get("region_code") or ""),
        country=RUSSIA,
        text=_body(obj),
        key_skills=_skills(obj),
        experience=experience_level(dict_field(obj, "requirement").get("experience")),
        schedule=schedule,
        employment=employment,
        employment_form=employment_form,
        work_format=WORK_FORMATS.get(schedule or "", ()),
        specializations=specializations,
        professional_roles=roles,
        published_at=published,
        updated_at=_date(obj.get("date_modify")) or published,
        url=_card_url(obj, raw_id),
        salary=_pay(obj, published.year if published else None, on_bad_value),
        detail="card",
        source=SOURCE,
    )
