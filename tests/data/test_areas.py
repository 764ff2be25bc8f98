"""Country from hh's areas tree, and the built-in fallback."""

from __future__ import annotations

import pytest

from recommender.data import country_index, country_of
from recommender.data.areas import BUILTIN_COUNTRIES

# The shape of GET /areas: countries at the top, nested regions and towns, "Другие регионы"
# holding further countries.
AREAS = [
    {"id": "113", "parent_id": None, "name": "Россия", "areas": [
        {"id": "1", "parent_id": "113", "name": "Москва", "areas": []},
        {"id": "1620", "parent_id": "113", "name": "Республика Марий Эл", "areas": [
            {"id": "1624", "parent_id": "1620", "name": "Йошкар-Ола", "areas": []},
        ]},
    ]},
    {"id": "16", "parent_id": None, "name": "Беларусь", "areas": [
        {"id": "2237", "parent_id": "16", "name": "Брестская область", "areas": [
            {"id": "1007", "parent_id": "2237", "name": "Брест", "areas": []},
        ]},
        {"id": "1002", "parent_id": "16", "name": "Минск", "areas": []},
    ]},
    {"id": "40", "parent_id": None, "name": "Казахстан", "areas": [
        {"id": "160", "parent_id": "40", "name": "Алматы", "areas": []},
    ]},
    {"id": "1001", "parent_id": None, "name": "Другие регионы", "areas": [
        {"id": "146", "parent_id": "1001", "name": "Сербия", "areas": [
            {"id": "7777", "parent_id": "146", "name": "Белград", "areas": []},
        ]},
    ]},
]


def test_the_tree_becomes_area_to_country():
    index = country_index(AREAS)
    assert index["1624"] == index["1"] == index["113"] == "Россия"
    assert index["1007"] == index["1002"] == index["2237"] == "Беларусь"
    assert index["160"] == "Казахстан"
    assert index["7777"] == index["146"] == "Сербия"
    assert "1001" not in index  # "other regions" is no country


def test_one_area_object_and_junk_nodes():
    assert country_index(AREAS[1]) == dict.fromkeys(["16", "2237", "1007", "1002"], "Беларусь")
    assert country_index([None, {"name": "без id"}, "x"]) == {}


@pytest.mark.parametrize(
    ("area_id", "name", "country"),
    [("1", "Москва", "Россия"), ("1002", "Минск", "Беларусь"), ("1003", "Гомель", "Беларусь"),
     ("2311", "Борисов", "Беларусь"), ("160", "Алматы", "Казахстан"), ("146", "Сербия", "Сербия"),
     ("", "Минск", "Беларусь"), ("", "Казань", "Россия"), ("", "", "")],
)
def test_builtin_fallback(area_id, name, country):
    assert country_of(area_id, name) == country


def test_a_given_map_wins_and_the_builtin_fills_its_gaps():
    assert country_of("9999", "Караганда", {"9999": "Казахстан"}) == "Казахстан"
    assert country_of("1002", "Минск", {}) == "Беларусь"


def test_belarus_areas_of_the_shared_cards_are_all_known(shared_data_dir):
    import gzip
    import json

    with gzip.open(shared_data_dir / "hh_cards_2021_2023.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    byr_areas = {obj["area"]["id"] for obj in rows if (obj.get("salary") or {}).get("currency") == "BYR"}
    assert byr_areas
    assert all(BUILTIN_COUNTRIES.get(area) == "Беларусь" for area in byr_areas)
