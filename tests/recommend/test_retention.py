"""Retention with an injected clock: closed or long-unseen vacancies leave answers; training keeps
a bounded history counted back from the newest publication."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from recommender.data.models import Vacancy
from recommender.retention import expired_keys, is_current, training_history, within_history

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def vacancy(
    vid: str, *, days_ago: float | None = None, updated_days_ago: float | None = None, **kw
) -> Vacancy:
    published = None if days_ago is None else NOW - timedelta(days=days_ago)
    updated = None if updated_days_ago is None else NOW - timedelta(days=updated_days_ago)
    return Vacancy(id=vid, title="Python-разработчик", published_at=published, updated_at=updated, **kw)


def test_a_closed_vacancy_leaves_whatever_its_dates() -> None:
    assert not is_current(vacancy("1", days_ago=1, archived=True), NOW)


def test_a_vacancy_unseen_for_more_than_the_retention_leaves() -> None:
    assert is_current(vacancy("1", days_ago=29.9), NOW, days=30)
    assert not is_current(vacancy("2", days_ago=30.1), NOW, days=30)
    assert is_current(vacancy("2", days_ago=30.1), NOW, days=31)


def test_the_last_sighting_counts_not_the_publication() -> None:
    old_but_seen = vacancy("1", days_ago=90, updated_days_ago=2)
    assert is_current(old_but_seen, NOW)
    recorded = {"hh:3": NOW - timedelta(days=1)}  # the collector saw it yesterday
    assert is_current(vacancy("3", days_ago=200), NOW, seen=recorded)
    assert not is_current(vacancy("3", days_ago=200), NOW + timedelta(days=31), seen=recorded)


def test_expired_keys_name_source_and_id() -> None:
    rows = [
        vacancy("1", days_ago=1),
        vacancy("2", days_ago=45),
        vacancy("3", days_ago=1, archived=True, source="trudvsem"),
        vacancy("4"),  # undated and open: kept
    ]
    assert expired_keys(rows, NOW) == ["hh:2", "trudvsem:3"]


def test_training_keeps_months_back_from_the_newest_publication() -> None:
    rows = [
        vacancy("new", days_ago=0),
        vacancy("year", days_ago=365),
        vacancy("old", days_ago=600),
        vacancy("undated"),
    ]
    kept = [v.id for v in training_history(rows, months=18)]
    assert kept == ["new", "year", "undated"]
    # counted from the data's newest day, not today: an archive three years old still trains
    shifted = [
        vacancy(v.id, days_ago=None if v.published_at is None else (NOW - v.published_at).days + 1000)
        for v in rows
    ]
    assert [v.id for v in training_history(shifted, months=18)] == kept
    assert [v.id for v in within_history(iter(rows), NOW, months=6)] == ["new", "undated"]
