"""From an hh.ru JSON object (list item or card) to a row of ``collected_vacancies``."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from bot.storage.vacancies import VacancyRecord
from recommender.data import BadRecord, parse_vacancy

# Fields a search-list item and the full card both carry. If they are equal, the
# vacancy did not change since we stored its card, so the card need not be refetched.
FINGERPRINT_FIELDS = ("name", "area", "employer", "salary", "schedule", "published_at", "archived")


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
    return hashlib.sha1(json.dumps(picked, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def is_card(obj: dict[str, Any]) -> bool:
    return "description" in obj or "key_skills" in obj


def to_record(obj: Any, raw_json: str | None = None) -> VacancyRecord:
    """The row for one API object; raises BadRecord (from the loader) for unusable ones."""
    vacancy = parse_vacancy(obj)
    if not isinstance(obj, dict):  # parse_vacancy already refused non-objects; this narrows the type
        raise BadRecord("not an object")
    return VacancyRecord(vacancy, raw_json if raw_json is not None else dump_json(obj))
