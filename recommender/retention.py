"""How long a vacancy stays: in answers while open and recently seen, in training for a bounded history.

Answers: a vacancy leaves when its source says it is closed (``Vacancy.archived``) or when it
has not been seen for ``days`` (a posting the collector stopped finding is as good as closed).
"Seen" is the last time a source returned it: the collector's record of that, else the
vacancy's own ``updated_at`` or publication date. Training: the salary model learns pay over
time, so training keeps ``months`` of history, counted back from the newest publication in the
data (not from today: an archive of 2021 still trains), and drops what is older.

The clock is a parameter everywhere (``now``), so that tests and replays choose the day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta

from recommender.data.models import Vacancy

DEFAULT_RETENTION_DAYS = 30
DEFAULT_HISTORY_MONTHS = 18
DAYS_PER_MONTH = 30.44


def last_seen(vacancy: Vacancy, seen: Mapping[str, datetime] | None = None) -> datetime | None:
    """When a source last returned the vacancy: ``seen[key]`` when recorded, else its own dates."""
    recorded = seen.get(vacancy.key) if seen else None
    return recorded or vacancy.updated_at or vacancy.published_at


def is_current(
    vacancy: Vacancy,
    now: datetime,
    days: int = DEFAULT_RETENTION_DAYS,
    seen: Mapping[str, datetime] | None = None,
) -> bool:
    """Open at its source and seen within ``days`` before ``now`` (undated: kept while open)."""
    if vacancy.archived:
        return False
    when = last_seen(vacancy, seen)
    return when is None or when >= now - timedelta(days=days)


def expired_keys(
    vacancies: Iterable[Vacancy],
    now: datetime,
    days: int = DEFAULT_RETENTION_DAYS,
    seen: Mapping[str, datetime] | None = None,
) -> list[str]:
    """Keys of the vacancies that must leave answers and digests (closed or not seen for ``days``)."""
    return [v.key for v in vacancies if not is_current(v, now, days, seen)]


def history_start(newest: datetime, months: int = DEFAULT_HISTORY_MONTHS) -> datetime:
    return newest - timedelta(days=round(months * DAYS_PER_MONTH))


def within_history(
    vacancies: Iterable[Vacancy], newest: datetime, months: int = DEFAULT_HISTORY_MONTHS
) -> Iterator[Vacancy]:
    """The vacancies published within ``months`` before ``newest`` (undated ones are kept): a
    stream, so training never holds the dropped history."""
    start = history_start(newest, months)
    for vacancy in vacancies:
        if vacancy.published_at is None or vacancy.published_at >= start:
            yield vacancy


def training_history(vacancies: list[Vacancy], months: int = DEFAULT_HISTORY_MONTHS) -> list[Vacancy]:
    """``within_history`` counted back from the newest publication among ``vacancies``."""
    dates = [v.published_at for v in vacancies if v.published_at is not None]
    if not dates:
        return vacancies
    return list(within_history(vacancies, max(dates), months))
