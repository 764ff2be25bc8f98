"""Работа России's open-data vacancies → Vacancy."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from recommender.data import BadRecord, LoadSummary, load_vacancies, parse_trudvsem
from recommender.data.trudvsem import city_of, experience_level


def record(vacancy_id: str = "a1b2", **overrides: Any) -> dict[str, Any]:
    """One element of /api/v1/vacancies' results.vacancies, in the API's shape."""
    inner: dict[str, Any] = {
        "id": vacancy_id,
        "region": {"region_code": "7000000000000", "name": "Томская область"},
        "company": {"companycode": "1117017000825", "name": "ООО \"Ромашка\""},
        "creation-date": "2026-08-13",
        "date_modify": "2026-09-15T09:45:33+0300",
        "salary": "от 60000",
        "salary_min": 60000,
        "salary_max": 80000,
        "currency": "«руб.»",
        "job-name": "Программист 1С",
        "vac_url": f"https://trudvsem.ru/vacancy/card/1117017000825/{vacancy_id}",
        "employment": "Полная занятость",
        "schedule": "Полный рабочий день",
        "duty": "<p>Доработка конфигураций</p><ul><li>1С:ERP</li></ul>",
        "requirements": "Знание SQL &amp; 1С",
        "category": {"specialisation": "Информационные технологии"},
        "requirement": {"education": "Высшее", "experience": 2},
        "addresses": {"address": [{"location": "Томская область, г Томск, пр Ленина, 1"}]},
        "code_profession": "201294",
        "typicalPosition": "Программист",
        "skills": ["1С", "SQL", "1С"],
    }
    inner.update(overrides)
    return {"vacancy": inner}


def test_a_full_record():
    vacancy = parse_trudvsem(record())
    assert (vacancy.source, vacancy.id, vacancy.key) == ("trudvsem", "a1b2", "trudvsem:a1b2")
    assert vacancy.title == "Программист 1С" and vacancy.employer == 'ООО "Ромашка"'
    assert (vacancy.area, vacancy.area_id, vacancy.country) == ("Томск", "", "Россия")
    assert vacancy.region_code == "7000000000000"
    assert vacancy.salary is not None and vacancy.salary.monthly_net_rub == 70_000
    assert vacancy.salary.currency == "RUR" and vacancy.salary.period == "MONTH"
    assert vacancy.experience == "between1And3"
    assert (vacancy.schedule, vacancy.employment, vacancy.employment_form) == ("fullDay", "full", "FULL")
    assert vacancy.work_format == ("ON_SITE",)
    assert vacancy.key_skills == ("1С", "SQL")
    assert "<" not in vacancy.text and "SQL & 1С" in vacancy.text
    assert "Доработка конфигураций\n1С:ERP" in vacancy.text
    assert vacancy.published_at == datetime.fromisoformat("2026-08-13T00:00:00+03:00")
    assert vacancy.updated_at == datetime.fromisoformat("2026-09-15T09:45:33+0300")
    assert vacancy.url.endswith("/a1b2") and vacancy.detail == "card"
    assert [label.name for label in vacancy.labels] == ["Информационные технологии", "Программист"]
    assert all(label.id.startswith("trudvsem:") for label in vacancy.labels)


def test_the_inner_object_alone_is_read_too():
    assert parse_trudvsem(record()["vacancy"]).id == "a1b2"


@pytest.mark.parametrize(
    ("years", "level"),
    [(0, "noExperience"), (1, "between1And3"), (2, "between1And3"), (3, "between3And6"),
     (5, "between3And6"), (6, "moreThan6"), (15, "moreThan6"), (None, None), ("3", None), (-1, None)],
)
def test_years_of_experience_become_hh_levels(years, level):
    assert experience_level(years) == level


@pytest.mark.parametrize(
    ("address", "city"),
    [
        ("Алтайский край, г Заринск, Зеленая улица, 51", "Заринск"),
        ("г. Москва, ул Тверская, 1", "Москва"),
        ("Республика Крым, г Симферополь, ул Киевская, 1", "Симферополь"),
        ("Томская область, Каргасокский район, Каргасок село", ""),
    ],
)
def test_city_from_the_address(address, city):
    assert city_of(address) == city


def test_missing_pieces_leave_fields_empty_not_wrong():
    bare = record()["vacancy"]
    for key in ("salary", "salary_min", "salary_max", "addresses", "requirement", "schedule", "employment",
                "skills", "typicalPosition", "category", "date_modify", "company"):
        bare.pop(key)
    vacancy = parse_trudvsem(bare)
    assert vacancy.salary is None and vacancy.area == "Томская область"
    assert vacancy.experience is None and vacancy.schedule is None and vacancy.employment is None
    assert vacancy.key_skills == () and vacancy.labels == () and vacancy.employer == ""
    assert vacancy.updated_at == vacancy.published_at


def test_vakhta_and_remote_map_onto_hh_ids():
    vakhta = parse_trudvsem(record(schedule="Вахтовый метод", employment=None))
    assert (vakhta.schedule, vakhta.employment_form) == ("flyInFlyOut", "FLY_IN_FLY_OUT")
    assert vakhta.work_format == ()
    remote = parse_trudvsem(record(schedule="Удаленная работа"))
    assert remote.work_format == ("REMOTE",)
    odd = parse_trudvsem(record(schedule="Неполный рабочий день"))
    assert odd.schedule is None and odd.work_format == ()


def test_zero_means_no_salary_bound():
    vacancy = parse_trudvsem(record(salary_min=50_000, salary_max=0))
    assert vacancy.salary is not None and vacancy.salary.salary_to is None


@pytest.mark.parametrize(
    ("line", "bounds"),
    [("от 30000", (30000, None)), ("до 50 000", (None, 50000)), ("30000 - 50000", (30000, 50000)),
     ("45000", (45000, 45000)), ("по договоренности", (None, None)), (None, (None, None))],
)
def test_the_salary_line_when_the_numbers_are_missing(line, bounds):
    vacancy = parse_trudvsem(record(salary_min=None, salary_max=None, salary=line))
    got = (vacancy.salary.salary_from, vacancy.salary.salary_to) if vacancy.salary else (None, None)
    assert got == tuple(None if b is None else float(b) for b in bounds)


def test_an_unknown_currency_drops_the_salary_only():
    summary = LoadSummary()
    vacancy = parse_trudvsem(record(currency="«тугр.»"), on_bad_value=summary.bad_value)
    assert vacancy.salary is None and summary.bad_values == {"unknown_currency": 1}


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [({"id": None}, "missing_id"), ({"id": "  "}, "missing_id"), ({"id": 5}, "wrong_type"),
     ({"job-name": ""}, "missing_name"), ({"job-name": ["x"]}, "wrong_type"),
     ({"company": "ООО"}, "wrong_type"), ({"salary_min": "много"}, "wrong_type")],
)
def test_bad_records_raise_with_a_reason(overrides, reason):
    with pytest.raises(BadRecord) as caught:
        parse_trudvsem(record(**overrides))
    assert caught.value.reason == reason


def test_not_an_object():
    with pytest.raises(BadRecord) as caught:
        parse_trudvsem(["x"])
    assert caught.value.reason == "not_an_object"


def test_loader_reads_a_whole_response_and_mixes_sources(tmp_path, make_list_item):
    response = {"status": "200", "meta": {"total": 2, "limit": 100},
                "results": {"vacancies": [record("t1"), record("t2"), {"vacancy": {"id": "t3"}}]}}
    (tmp_path / "trudvsem.json").write_text(json.dumps(response, ensure_ascii=False))
    # the same id on both sources is two vacancies: the key is (source, id)
    (tmp_path / "hh.jsonl").write_text(json.dumps(make_list_item("t1")) + "\n")
    result = load_vacancies([tmp_path])
    assert sorted(v.key for v in result.vacancies) == ["hh:t1", "trudvsem:t1", "trudvsem:t2"]
    assert result.summary.skipped == {"missing_name": 1}


def test_real_sample(shared_data_dir):
    path = shared_data_dir / "samples" / "trudvsem_api_vacancies.json"
    result = load_vacancies([path])
    assert result.summary.kept == 5 and result.summary.skipped_total == 0
    raw = {v["vacancy"]["id"]: v["vacancy"] for v in json.loads(path.read_text())["results"]["vacancies"]}
    for vacancy in result.vacancies:
        source = raw[vacancy.id]
        assert vacancy.source == "trudvsem" and vacancy.title == source["job-name"].strip()
        assert vacancy.salary is not None and vacancy.salary.salary_from == source["salary_min"]
        assert vacancy.url == source["vac_url"] and vacancy.published_at is not None
        assert vacancy.experience == "between1And3"  # every sample asks for one year
