"""What a vacancy listing is filtered and sorted by: one object from a stored answer down to the index.

The bot stores ``Filters.to_dict()`` as JSON with each answer message and reads it back with
``Filters.from_dict`` when the message is paged or re-sorted, possibly long after, so the keys
are part of the stored format and reading never fails on what an older release wrote.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

SORTS = ("relevance", "salary", "date")
EMPLOYMENTS = ("full", "part", "probation", "project")  # hh ids: полная, частичная, стажировка, проектная


@dataclass(frozen=True, slots=True)
class Filters:
    """``area`` is a city name (any case) or an hh area id; ``experience``, ``schedule`` and
    ``employment`` are hh ids; ``min_salary`` is monthly net roubles and implies ``with_salary``;
    ``sort`` orders the vacancies within a relevance tier (one of SORTS); ``country`` keeps the
    vacancies of one country (``Vacancy.country``; RUSSIA includes those of unknown country), so
    "all Russia" and a relaxed Russian city never bring vacancies from abroad."""

    area: str | None = None
    experience: str | None = None
    schedule: str | None = None
    employment: str | None = None
    with_salary: bool = False
    min_salary: int | None = None
    sort: str = "relevance"
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON; unset filters are left out to keep stored rows small."""
        return {k: v for k, v in dataclasses.asdict(self).items() if v not in (None, False)}

    @classmethod
    def from_dict(cls, data: Any) -> Filters:
        """From stored JSON; unknown keys and malformed values are dropped, never raised on."""
        if not isinstance(data, dict):
            return cls()
        text = {
            k: data[k] if isinstance(data.get(k), str) else None
            for k in ("area", "experience", "schedule", "country")
        }
        employment = data.get("employment") if data.get("employment") in EMPLOYMENTS else None
        minimum = data.get("min_salary")
        return cls(
            **text,
            employment=employment,
            with_salary=data.get("with_salary") is True,
            # JSON true is an int to Python, and no salary
            min_salary=minimum if type(minimum) is int and minimum > 0 else None,
            sort=data["sort"] if data.get("sort") in SORTS else "relevance",
        )

    def replace(self, **changes: Any) -> Filters:
        return dataclasses.replace(self, **changes)
