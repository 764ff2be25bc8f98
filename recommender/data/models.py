"""Typed records for vacancies of every source (hh.ru, Работа России), independent of where
they were read from. A vacancy is identified by ``(source, id)``; ``Vacancy.key`` is that pair
as one string, the form stored and passed around."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# hh.ru dictionary ids and their Russian names, in the order hh lists them.
EXPERIENCE_NAMES: dict[str, str] = {
    "noExperience": "Нет опыта",
    "between1And3": "От 1 года до 3 лет",
    "between3And6": "От 3 до 6 лет",
    "moreThan6": "Более 6 лет",
}
SCHEDULE_NAMES: dict[str, str] = {
    "fullDay": "Полный день",
    "shift": "Сменный график",
    "flexible": "Гибкий график",
    "remote": "Удаленная работа",
    "flyInFlyOut": "Вахтовый метод",
}
# The same ids as answers, the chart and the CLI show them, by language: short enough for a
# table on a phone. The one place they are written.
EXPERIENCE_LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "noExperience": "Нет опыта",
        "between1And3": "1–3 года",
        "between3And6": "3–6 лет",
        "moreThan6": "Более 6 лет",
    },
    "en": {
        "noExperience": "No experience",
        "between1And3": "1–3 years",
        "between3And6": "3–6 years",
        "moreThan6": "6+ years",
    },
}
# Column headers of a salary table, in years: the same in both languages.
EXPERIENCE_SHORT: dict[str, str] = {
    "noExperience": "0",
    "between1And3": "1–3",
    "between3And6": "3–6",
    "moreThan6": "6+",
}
SCHEDULE_LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "fullDay": "Полный день",
        "shift": "Сменный",
        "flexible": "Гибкий",
        "remote": "Удалённо",
        "flyInFlyOut": "Вахта",
    },
    "en": {
        "fullDay": "Full day",
        "shift": "Shifts",
        "flexible": "Flexible",
        "remote": "Remote",
        "flyInFlyOut": "Fly-in fly-out",
    },
}
EMPLOYMENT_NAMES: dict[str, str] = {
    "full": "Полная занятость",
    "part": "Частичная занятость",
    "project": "Проектная работа",
    "volunteer": "Волонтерство",
    "probation": "Стажировка",
}


def schedule_id(vacancy: Vacancy) -> str | None:
    """hh's old schedule id, or the one the new fields imply without guessing: items published
    since May 2026 carry only ``work_format`` and ``employment_form``. Remote among the formats →
    "remote" (the job can be done remotely, what the old id meant), a fly-in-fly-out form →
    "flyInFlyOut"; on-site, hybrid or field work says nothing of the hours."""
    if vacancy.schedule:
        return vacancy.schedule
    if "REMOTE" in vacancy.work_format:
        return "remote"
    if vacancy.employment_form == "FLY_IN_FLY_OUT":
        return "flyInFlyOut"
    return None


@dataclass(frozen=True, slots=True)
class Label:
    """An hh.ru dictionary entry: a specialization or a professional role."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Salary:
    """A salary as published plus one comparable figure.

    ``monthly_net_rub`` is the midpoint of from/to (or the one given), converted to
    roubles with a fixed table and to net pay when the vacancy states gross pay.
    ``period`` is hh's ``salary_range.mode`` (MONTH, HOUR, SHIFT, SERVICE, FLY_IN_FLY_OUT):
    only a MONTH salary (or one whose hours make a monthly figure sound) is ever a
    ``Vacancy.salary``; other pay is kept in ``Vacancy.other_pay``, where ``monthly_net_rub``
    is the net amount in roubles *per period*, never shown, filtered or trained as monthly.
    """

    salary_from: float | None
    salary_to: float | None
    currency: str
    gross: bool | None
    monthly_net_rub: float
    is_outlier: bool
    period: str = "MONTH"


@dataclass(frozen=True, slots=True)
class Vacancy:
    id: str  # the source's own id
    title: str
    employer: str = ""
    area: str = ""
    area_id: str = ""
    text: str = ""
    key_skills: tuple[str, ...] = ()
    experience: str | None = None
    schedule: str | None = None
    employment: str | None = None
    specializations: tuple[Label, ...] = ()
    professional_roles: tuple[Label, ...] = ()
    published_at: datetime | None = None
    url: str = ""
    salary: Salary | None = None
    # "card" for full vacancy cards (GET /vacancies/{id}), "list" for search items: how much
    # of the posting the record holds.
    detail: str = "list"
    # Closed at the source (hh's ``archived``, a 404 on re-check, gone from the feed).
    archived: bool = False
    # Where the vacancy comes from: "hh" (hh.ru) or "trudvsem" (Работа России).
    source: str = "hh"
    country: str = ""  # the country's name ("Россия", "Беларусь", ...); "" when unknown
    # hh's new dictionaries (2025+): work_format ids (ON_SITE, REMOTE, HYBRID, FIELD_WORK) and
    # employment_form id (FULL, PART, PROJECT, FLY_IN_FLY_OUT); the old ``schedule`` and
    # ``employment`` ids above are kept for old data.
    work_format: tuple[str, ...] = ()
    employment_form: str | None = None
    updated_at: datetime | None = None
    # Pay that is not a monthly salary (hourly, per shift, per service), kept with its period.
    other_pay: Salary | None = None
    # Links to the same job at other sources (a posting merged from several sources).
    also_at: tuple[str, ...] = ()
    # Работа России's region code (13 digits, "7000000000000" for Томская область): what its
    # search takes; "" for hh, whose place is ``area_id``.
    region_code: str = ""

    @property
    def key(self) -> str:
        """``"source:id"``: the vacancy's identity across sources."""
        return f"{self.source}:{self.id}"

    @property
    def labels(self) -> tuple[Label, ...]:
        """Specializations and professional roles together (two hh label systems)."""
        return self.specializations + self.professional_roles


@dataclass(slots=True)
class LoadSummary:
    """What a load read, kept and skipped (by reason)."""

    read: int = 0
    kept: int = 0
    duplicates: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    # Values dropped from records that were kept (e.g. an implausible salary), by reason.
    bad_values: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def bad_value(self, reason: str) -> None:
        self.bad_values[reason] = self.bad_values.get(reason, 0) + 1

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def describe(self) -> str:
        """One line: ``read 12 records: kept 9, duplicates merged 1, skipped 2 (truncated 1, …)``."""
        line = f"read {self.read:,} records: kept {self.kept:,}, duplicates merged {self.duplicates:,}"
        line += f", skipped {self.skipped_total:,}" + _reasons(self.skipped)
        if self.bad_values:
            line += f", bad values dropped {sum(self.bad_values.values()):,}" + _reasons(self.bad_values)
        return line


def _reasons(counts: dict[str, int]) -> str:
    return " (" + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())) + ")" if counts else ""


@dataclass(slots=True)
class LoadResult:
    vacancies: list[Vacancy]
    summary: LoadSummary
