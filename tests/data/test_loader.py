from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from recommender.data import load_vacancies


def write_jsonl(path: Path, rows: list, *, compress: bool = False) -> Path:
    text = "\n".join(row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows)
    if compress:
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        path.write_text(text + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("compress", [False, True])
def test_jsonl_plain_and_gzip(tmp_path, make_list_item, make_card, compress):
    path = write_jsonl(tmp_path / ("v.jsonl.gz" if compress else "v.jsonl"),
                       [make_list_item("1"), make_card("2")], compress=compress)
    result = load_vacancies([path])
    assert [v.id for v in result.vacancies] == ["1", "2"]
    assert result.summary.kept == 2 and result.summary.skipped_total == 0


def test_json_array_search_page_and_folder(tmp_path, make_list_item, make_card):
    (tmp_path / "array.json").write_text(json.dumps([make_list_item("1"), make_list_item("2")]))
    (tmp_path / "page.json").write_text(json.dumps({"items": [make_list_item("3")], "found": 1}))
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "4.json").write_text(json.dumps(make_card("4"), indent=2))
    (cards / "notes.txt").write_text("not data")
    result = load_vacancies([tmp_path])
    assert sorted(v.id for v in result.vacancies) == ["1", "2", "3", "4"]


def test_list_item_fields(tmp_path, make_list_item):
    vacancy = load_vacancies([write_jsonl(tmp_path / "v.jsonl", [make_list_item("7")])]).vacancies[0]
    assert vacancy.title == "Junior Python разработчик"
    assert vacancy.employer == "ООО Ромашка" and vacancy.area == "Москва" and vacancy.area_id == "1"
    assert vacancy.text == "Знание Python и SQL.\nРазработка & поддержка сервисов."
    assert vacancy.experience == "noExperience" and vacancy.schedule == "remote"
    assert vacancy.specializations[0].id == "1.221"
    assert vacancy.published_at is not None and vacancy.published_at.year == 2021
    assert vacancy.url == "https://hh.ru/vacancy/7" and vacancy.detail == "list"


def test_card_fields(tmp_path, make_card):
    vacancy = load_vacancies([write_jsonl(tmp_path / "v.jsonl", [make_card("8")])]).vacancies[0]
    assert vacancy.detail == "card"
    assert vacancy.text == "Мы ищем аналитика\nSQL\nPower BI"
    assert vacancy.key_skills == ("SQL", "Power BI")
    assert vacancy.employment == "full"
    assert vacancy.professional_roles[0].name.startswith("BI-аналитик")


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("{not json", "broken_json"),
        ("[1, 2", "broken_json"),
        ('"just a string"', "not_an_object"),
        ({"name": "Без id"}, "missing_id"),
        ({"id": "", "name": "Пустой id"}, "missing_id"),
        ({"id": "5"}, "missing_name"),
        ({"id": "5", "name": "   "}, "missing_name"),
        ({"id": "5", "name": 42}, "wrong_type"),
        ({"id": ["5"], "name": "x"}, "wrong_type"),
        ({"id": "5", "name": "x", "area": "Москва"}, "wrong_type"),
        ({"id": "5", "name": "x", "key_skills": "SQL"}, "wrong_type"),
        ({"id": "5", "name": "x", "salary": {"from": "много", "currency": "RUR"}}, "wrong_type"),
    ],
)
def test_bad_records_are_skipped_and_counted(tmp_path, make_list_item, row, reason):
    path = write_jsonl(tmp_path / "v.jsonl", [make_list_item("1"), row, make_list_item("2")])
    result = load_vacancies([path])
    assert [v.id for v in result.vacancies] == ["1", "2"]
    assert result.summary.skipped == {reason: 1}
    assert result.summary.read == 3


def test_broken_json_file_is_counted_not_raised(tmp_path):
    (tmp_path / "bad.json").write_text('{"id": "1", "name": ')
    result = load_vacancies([tmp_path / "bad.json"])
    assert result.vacancies == [] and result.summary.skipped == {"broken_json": 1}


def test_duplicates_merged_later_wins(tmp_path, make_list_item):
    rows = [make_list_item("1", name="old"), make_list_item("2"), make_list_item("1", name="new")]
    result = load_vacancies([write_jsonl(tmp_path / "v.jsonl", rows)])
    assert [v.id for v in result.vacancies] == ["2", "1"]
    assert result.vacancies[1].title == "new"
    assert result.summary.duplicates == 1 and result.summary.kept == 2


def test_empty_file_and_missing_path(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n\n")
    assert load_vacancies([tmp_path / "empty.jsonl"]).vacancies == []
    with pytest.raises(FileNotFoundError):
        load_vacancies([tmp_path / "nope.jsonl"])


def test_integer_ids_become_strings(tmp_path, make_list_item):
    result = load_vacancies([write_jsonl(tmp_path / "v.jsonl", [make_list_item(123)])])
    assert result.vacancies[0].id == "123"


def test_undated_rows_of_a_harvest_get_its_date(tmp_path, make_list_item):
    from datetime import datetime

    undated = make_list_item("1")
    del undated["published_at"]
    dated = make_list_item("2")
    path = write_jsonl(tmp_path / "hh_2024_2025_tables.jsonl.gz", [undated, dated], compress=True)
    by_id = {v.id: v for v in load_vacancies([path]).vacancies}
    assert by_id["1"].published_at == datetime.fromisoformat("2025-09-17T00:00:00+03:00")
    assert by_id["2"].published_at == datetime.fromisoformat("2021-11-02T11:13:37+0300")
    other = write_jsonl(tmp_path / "other.jsonl", [undated])
    assert load_vacancies([other]).vacancies[0].published_at is None
