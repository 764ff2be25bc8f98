"""Cities as people write them: one lookup for the dialogue, /settings and the filters."""

from __future__ import annotations

import pytest

from recommender.data.cities import CITIES, city_by_id, find_city

SPELLINGS = [
    ("спб", "Санкт-Петербург"),
    ("СПб", "Санкт-Петербург"),
    ("Питер", "Санкт-Петербург"),
    ("в Питере", "Санкт-Петербург"),
    ("санкт-петербург", "Санкт-Петербург"),
    ("Санкт Петербург", "Санкт-Петербург"),
    ("в Санкт-Петербурге", "Санкт-Петербург"),
    ("saint petersburg", "Санкт-Петербург"),
    ("St. Petersburg", "Санкт-Петербург"),
    ("spb", "Санкт-Петербург"),
    ("мск", "Москва"),
    ("МОСКВА", "Москва"),
    ("в Москве", "Москва"),
    ("из Москвы", "Москва"),
    ("moscow", "Москва"),
    ("Moskva", "Москва"),
    ("г. Москва", "Москва"),
    ("екб", "Екатеринбург"),
    ("Екатеринбурге", "Екатеринбург"),
    ("Yekaterinburg", "Екатеринбург"),
    ("ekaterinburg", "Екатеринбург"),
    ("нск", "Новосибирск"),
    ("в Новосибирске", "Новосибирск"),
    ("novosibirsk", "Новосибирск"),
    ("нн", "Нижний Новгород"),
    ("в Нижнем Новгороде", "Нижний Новгород"),
    ("Nizhny Novgorod", "Нижний Новгород"),
    ("nizhniy novgorod", "Нижний Новгород"),
    ("в Казани", "Казань"),
    ("казань", "Казань"),
    ("Kazan", "Казань"),
    ("in Kazan", "Казань"),
    ("в Перми", "Пермь"),
    ("perm", "Пермь"),
    ("Ростове-на-Дону", "Ростов-на-Дону"),
    ("ростов", "Ростов-на-Дону"),
    ("Rostov-on-Don", "Ростов-на-Дону"),
    ("в Набережных Челнах", "Набережные Челны"),
    ("Tyumen", "Тюмень"),
    ("tiumen", "Тюмень"),
    ("Chelyabinsk", "Челябинск"),
    ("в Кирове", "Киров (Кировская область)"),
    ("Ёкатеринбург", "Екатеринбург"),
    ("город Уфа", "Уфа"),
    ("во Владивостоке", "Владивосток"),
    ("Калининград", "Калининград"),
]


@pytest.mark.parametrize(("typed", "name"), SPELLINGS)
def test_spelling_finds_the_city(typed: str, name: str) -> None:
    city = find_city(typed)
    assert city is not None, typed
    assert city.name == name


@pytest.mark.parametrize(
    "typed", ["", "   ", "в", "python", "python, sql", "без опыта", "удаленка", "asdf qwer"]
)
def test_no_city_in_text(typed: str) -> None:
    assert find_city(typed) is None


def test_corpus_areas_are_found_in_their_cases() -> None:
    """An area outside the table but in the corpus (hh's spelling) is recognized too."""
    known = ["Кострома", "Великий Новгород", "Москва"]
    city = find_city("в Костроме", known)
    assert city is not None and city.name == "Кострома" and city.area_id == ""
    assert city.utc_offset is None
    great = find_city("великий новгород", known)
    assert great is not None and great.name == "Великий Новгород"
    assert find_city("Кострома") is None  # not without the corpus's names
    moscow = find_city("москва", known)
    assert moscow is not None and moscow.area_id == "1"


def test_table_is_consistent() -> None:
    ids = [c.area_id for c in CITIES]
    assert len(ids) == len(set(ids))
    for city in CITIES:
        assert find_city(city.name) == city
        assert find_city(city.name_en) == city, city.name_en
        assert city_by_id(city.area_id) == city
    assert city_by_id("999999") is None and city_by_id(None) is None


def test_time_zones_of_russia() -> None:
    offsets = {c.name: c.utc_offset for c in CITIES}
    assert offsets["Москва"] == 3 and offsets["Калининград"] == 2 and offsets["Екатеринбург"] == 5
    assert offsets["Новосибирск"] == 7 and offsets["Владивосток"] == 10 and offsets["Самара"] == 4


def test_namesakes_by_their_region() -> None:
    known = ["Киров (Калужская область)", "Киров (Кировская область)", "Дзержинск (Нижегородская область)"]
    kaluga = find_city("Киров (Калужская область)", known)
    assert kaluga is not None and kaluga.name == "Киров (Калужская область)"
    kirov = find_city("Киров", known)  # the bare name: the table's (the bigger) city
    assert kirov is not None and kirov.name == "Киров (Кировская область)" and kirov.area_id == "49"


def test_every_area_of_the_shared_data_is_read_back(shared_data_dir) -> None:  # type: ignore[no-untyped-def]
    """The corpus's own area names (hh's spelling, 1,700 areas) as written and in lower case."""
    from collections import Counter

    from recommender.data import iter_raw

    names: Counter[str] = Counter()
    for obj in iter_raw(
        [shared_data_dir / "hh_2025_2026.jsonl.gz", shared_data_dir / "hh_cards_2021_2023.jsonl.gz"]
    ):
        area = obj.get("area") if isinstance(obj, dict) else None
        if isinstance(area, dict) and area.get("name"):
            names[str(area["name"])] += 1
    known = list(names)
    assert len(known) > 100
    for spelling in (str, str.lower):
        missed = [n for n in known if getattr(find_city(spelling(n), known), "name", None) != n]
        assert missed == [], missed[:10]
