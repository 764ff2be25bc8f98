"""hh.ru's 2025–2026 fields: salary_range with its period, work_format, employment_form, country."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from recommender.data import LoadSummary, load_vacancies, parse_vacancy
from recommender.data.money import rub_per_unit
from tests.data.conftest import list_item


def new_item(vacancy_id: str = "7", **overrides):
    """A search item published since May 2026: only the new fields, no schedule/employment."""
    item = list_item(vacancy_id, published_at="2026-06-02T10:00:00+0300", **overrides)
    del item["schedule"]
    item.update(
        salary=None,
        work_format=[{"id": "REMOTE", "name": "Удалённо"}, {"id": "HYBRID", "name": "Гибрид"}],
        employment_form={"id": "PART", "name": "Частичная"},
        working_hours=[{"id": "HOURS_4", "name": "4 часа"}],
    )
    item.update(overrides)
    return item


def salary_range(mode: str, low=None, high=None, currency="RUR", gross=False, frequency=None):
    return {
        "from": low, "to": high, "currency": currency, "gross": gross,
        "mode": {"id": mode, "name": mode}, "frequency": frequency and {"id": frequency, "name": frequency},
    }


def test_items_with_only_the_new_fields():
    pay = salary_range("MONTH", 100_000, 140_000, frequency="MONTHLY")
    vacancy = parse_vacancy(new_item(salary_range=pay))
    assert vacancy.work_format == ("REMOTE", "HYBRID")
    assert vacancy.employment_form == "PART"
    assert vacancy.schedule is None and vacancy.employment is None
    assert vacancy.salary is not None and vacancy.salary.monthly_net_rub == 120_000
    assert vacancy.salary.period == "MONTH" and vacancy.other_pay is None
    assert vacancy.published_at == vacancy.updated_at == datetime.fromisoformat("2026-06-02T10:00:00+0300")


@pytest.mark.parametrize("mode", ["HOUR", "SHIFT", "SERVICE", "FLY_IN_FLY_OUT"])
def test_pay_per_other_period_is_never_a_monthly_salary(mode):
    # hh keeps the deprecated ``salary`` beside salary_range with the same amount and no period:
    # read alone, 1 000 an hour became a monthly salary of 1 000.
    old = {"from": 1000, "to": None, "currency": "RUR", "gross": False}
    vacancy = parse_vacancy(new_item(salary=old, salary_range=salary_range(mode, 1000)))
    assert vacancy.salary is None
    assert vacancy.other_pay is not None
    assert (vacancy.other_pay.period, vacancy.other_pay.salary_from) == (mode, 1000)
    assert vacancy.other_pay.is_outlier is False


def test_old_salary_is_the_fallback_for_old_items():
    vacancy = parse_vacancy(list_item("1"))
    assert vacancy.salary is not None and vacancy.salary.period == "MONTH"
    assert vacancy.salary.monthly_net_rub == 100_000
    assert vacancy.work_format == () and vacancy.employment_form is None and vacancy.schedule == "remote"


def test_salary_range_wins_over_the_old_salary():
    old = {"from": 50_000, "to": None, "currency": "RUR", "gross": False}
    vacancy = parse_vacancy(new_item(salary=old, salary_range=salary_range("MONTH", 90_000)))
    assert vacancy.salary is not None and vacancy.salary.salary_from == 90_000


def test_foreign_pay_is_converted_with_its_years_rate_and_keeps_its_currency():
    v2021 = parse_vacancy(list_item("1", salary={"from": 4000, "currency": "USD", "gross": False}))
    v2026 = parse_vacancy(new_item(salary_range=salary_range("MONTH", 4000, currency="USD")))
    assert v2021.salary is not None and v2026.salary is not None
    assert v2021.salary.currency == v2026.salary.currency == "USD"
    assert v2021.salary.monthly_net_rub == pytest.approx(4000 * (rub_per_unit("USD", 2021) or 0))
    assert v2026.salary.monthly_net_rub == pytest.approx(4000 * (rub_per_unit("USD", 2026) or 0))
    assert v2021.salary.monthly_net_rub != v2026.salary.monthly_net_rub


def test_unknown_currency_drops_the_salary_not_the_vacancy():
    summary = LoadSummary()
    vacancy = parse_vacancy(
        new_item(salary_range=salary_range("MONTH", 1000, currency="XYZ")), on_bad_value=summary.bad_value
    )
    assert vacancy.salary is None and vacancy.other_pay is None and vacancy.title
    assert summary.bad_values == {"unknown_currency": 1}


def test_unknown_period_drops_the_salary_and_counts_it():
    summary = LoadSummary()
    vacancy = parse_vacancy(new_item(salary_range=salary_range("YEAR", 1000)), on_bad_value=summary.bad_value)
    assert vacancy.salary is None and summary.bad_values == {"unknown_period": 1}


def test_created_at_stands_in_for_a_missing_published_at():
    item = list_item("1", created_at="2024-02-20T10:24:43+0300")
    del item["published_at"]
    assert parse_vacancy(item).published_at == datetime.fromisoformat("2024-02-20T10:24:43+0300")


@pytest.mark.parametrize(
    ("area", "country"),
    [
        ({"id": "1", "name": "Москва"}, "Россия"),
        ({"id": "1002", "name": "Минск"}, "Беларусь"),
        ({"id": "1007", "name": "Брест"}, "Беларусь"),
        ({"id": "160", "name": "Алматы"}, "Казахстан"),
        ({"id": "40", "name": "Казахстан"}, "Казахстан"),
    ],
)
def test_country_from_the_builtin_areas(area, country):
    assert parse_vacancy(list_item("1", area=area)).country == country


def test_country_from_a_given_areas_map():
    item = list_item("1", area={"id": "9999", "name": "Караганда"})
    assert parse_vacancy(item, countries={"9999": "Казахстан"}).country == "Казахстан"


def test_archived_is_kept():
    assert parse_vacancy(new_item(archived=True)).archived is True


def test_real_2025_search_page_and_card(shared_data_dir):
    samples = shared_data_dir / "samples"
    result = load_vacancies([samples / "hh_search_response_2025.json", samples / "hh_vacancy_card_2025.json"])
    assert result.summary.kept == 11 and result.summary.skipped_total == 0
    page = json.loads((samples / "hh_search_response_2025.json").read_text())
    by_id = {v.id: v for v in result.vacancies}
    for item in page["items"]:
        vacancy = by_id[item["id"]]
        assert vacancy.work_format == tuple(f["id"] for f in item.get("work_format") or [])
        mode = ((item.get("salary_range") or {}).get("mode") or {}).get("id")
        if mode and mode != "MONTH":
            assert vacancy.salary is None
        if vacancy.other_pay is not None:
            assert vacancy.other_pay.period == mode
        assert vacancy.country == "Россия"


def test_real_2025_2026_file_reads_periods_and_formats(shared_data_dir):
    result = load_vacancies([shared_data_dir / "hh_2025_2026.jsonl.gz"])
    vacancies = result.vacancies
    assert result.summary.skipped_total == 0
    hourly = [v for v in vacancies if v.other_pay is not None and v.other_pay.period == "HOUR"]
    assert hourly and all(v.salary is None for v in hourly)
    assert sum(1 for v in vacancies if "REMOTE" in v.work_format) > 100
    assert all(v.employment_form for v in vacancies)
    assert {v.country for v in vacancies} >= {"Россия"}
    assert all(v.published_at is not None and v.published_at.year >= 2025 for v in vacancies)


@pytest.mark.parametrize(
    ("schedule", "formats", "form", "expected"),
    [
        ("fullDay", ("REMOTE",), None, "fullDay"),  # the old id, where hh still sends it
        (None, ("REMOTE",), None, "remote"),
        (None, ("REMOTE", "HYBRID"), None, "remote"),
        (None, ("ON_SITE",), None, None),
        (None, ("HYBRID",), None, None),
        (None, (), "FLY_IN_FLY_OUT", "flyInFlyOut"),
        (None, (), "FULL", None),
    ],
)
def test_schedule_from_the_new_fields(schedule, formats, form, expected):
    from dataclasses import replace

    from recommender.data.models import schedule_id

    vacancy = replace(parse_vacancy(new_item()), schedule=schedule, work_format=formats, employment_form=form)
    assert schedule_id(vacancy) == expected
