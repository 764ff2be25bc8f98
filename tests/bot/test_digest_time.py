"""When the next digest comes, said in the user's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services.digests import local_time_text, next_digest_at, utc_offset_of
from bot.storage.digests import Subscriber

NOW = datetime(2026, 12, 7, 18, 0, 30, tzinfo=UTC)


def subscriber(
    city_id: str | None = None, city_name: str | None = None, frequency: str = "daily"
) -> Subscriber:
    return Subscriber(
        user_id=1, language="ru", frequency=frequency, skills=("python",), skills_text="python",
        city_id=city_id, experience=None, cursor_at=None, cursor_key=None, city_name=city_name,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("city_id", "city_name", "offset"),
    [
        (None, None, 3),
        ("1", "Москва", 3),
        ("3", "Екатеринбург", 5),
        (None, "Новосибирск", 7),
        (None, "владивосток", 10),
        (None, "Калининград", 2),
        (None, "Урюпинск", 3),  # unknown: Moscow time
    ],
)
def test_offset_of_the_users_city(city_id: str | None, city_name: str | None, offset: int) -> None:
    assert utc_offset_of(subscriber(city_id, city_name)) == offset


def test_local_time_names_the_zone_and_never_shows_earlier() -> None:
    assert local_time_text("ru", NOW, 3) == "07.12 21:01 (МСК)"  # 21:00:30 rounded up
    assert local_time_text("ru", NOW.replace(second=0), 5) == "07.12 23:00 (МСК+2, местное время)"
    assert local_time_text("ru", NOW.replace(second=0), 2) == "07.12 20:00 (МСК-1, местное время)"
    assert local_time_text("en", NOW.replace(second=0), 10) == "08.12 04:00 (local time, UTC+10)"
    assert local_time_text("en", NOW.replace(second=0, tzinfo=None), 3) == "07.12 21:00 (Moscow time)"


def test_next_digest_a_period_after_the_last_and_not_before_the_next_look() -> None:
    tick = timedelta(minutes=1)
    assert next_digest_at(subscriber(), None, NOW, tick) == NOW + tick
    assert next_digest_at(None, None, NOW, tick) == NOW + tick
    sent = NOW - timedelta(hours=2)
    due = next_digest_at(subscriber(frequency="daily"), sent, NOW, tick)
    assert timedelta(hours=21) < due - NOW < timedelta(hours=22)
    assert next_digest_at(subscriber(), NOW - timedelta(days=3), NOW, tick) == NOW + tick
