"""From a source's JSON object (an hh.ru list item or card, a Работа России vacancy) to a row
of ``collected_vacancies``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from bot.storage.vacancies import VacancyRecord
from recommender.data import BadRecord, Vacancy, parse_record

# Fields a search-list item and the full card both carry. If they are equal, the
# vacancy did not change since we stored its card, so the card need not be refetched.
FINGERPRINT_FIELDS = ("name", "area", "employer", "salary", "schedule", "published_at", "archived")
# Their 2026 replacements, counted only when present, so the fingerprints of stored older
# cards stay what they were (a changed fingerprint costs a card request).
NEW_FINGERPRINT_FIELDS = ("salary_range", "work_format")


def dump_json(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def fingerprint(obj: dict[str, Any]) -> str:
    """A hash of the fields shared by list items and cards (ids inside nested dicts only)."""
    picked: dict[str, Any] = {}
    for key in FINGERPRINT_FIELDS:
        value = obj.get(key)
        if isinstance(value, dict) and key in ("area", "employer", "schedule"):
            value = value.get("id")
        if key == "archived":
            value = bool(value)
        picked[key] = value
    for key in NEW_FINGERPRINT_FIELDS:
        if obj.get(key) is not None:
            picked[key] = obj[key]
    return hashlib.sha1(json.dumps(picked, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def is_card(obj: dict[str, Any]) -> bool:
    return "description" in obj or "key_skills" in obj


def to_record(
    obj: Any,
    raw_json: str | None = None,
    *,
    countries: Mapping[str, str] | None = None,
    on_bad_value: Callable[[str], None] | None = None,
) -> VacancyRecord:
    """The row for one API object of either source (an hh.ru item or card, a Работа России
    vacancy: the loader's dispatcher tells them apart); raises BadRecord for unusable ones.
    ``countries``: hh area id -> country, from hh.ru's areas tree (the built-in table without);
    ``on_bad_value(reason)``: a value dropped while the vacancy is kept (an unknown currency)."""
    vacancy = parse_record(obj, countries=countries, on_bad_value=on_bad_value)
    if not isinstance(obj, dict):  # parse_record already refused non-objects; this narrows the type
        raise BadRecord("not an object")
    return record_of(vacancy, raw_json if raw_json is not None else dump_json(obj))


def record_of(vacancy: Vacancy, raw_json: str) -> VacancyRecord:
    """The row for a parsed vacancy of any source, with the source's object it came from."""
    return VacancyRecord(vacancy, raw_json)
