"""Typed answers at the dialogue's button steps, read as that step's answer (both languages)."""

from __future__ import annotations

import pytest

from bot.services.step_answers import (
    canonical_area,
    read_city,
    read_experience,
    read_schedule,
    setting_of_text,
)
from bot.texts import EXPERIENCE_LABELS, SCHEDULE_LABELS

EXPERIENCE = [
    ("без опыта", "noExperience"),
    ("Нет опыта", "noExperience"),
    ("опыта нет", "noExperience"),
    ("нет", "noExperience"),
    ("студент", "noExperience"),
    ("меньше года", "noExperience"),
    ("no experience", "noExperience"),
    ("0", "noExperience"),
    ("1-3 года", "between1And3"),
    ("1–3 года", "between1And3"),
    ("от 1 до 3 лет", "between1And3"),
    ("2 года", "between1And3"),
    ("год", "between1And3"),
    ("two years", "between1And3"),
    ("1-3 years", "between1And3"),
    ("3-6 лет", "between3And6"),
    ("5 лет", "between3And6"),
    ("больше 3", "between3And6"),
    ("больше 6", "moreThan6"),
    ("Более 6 лет", "moreThan6"),
    ("6+", "moreThan6"),
    ("6+ years", "moreThan6"),
    ("more than 6", "moreThan6"),
    ("10 лет", "moreThan6"),
    ("не важно", None),
    ("skip", None),
]


@pytest.mark.parametrize(("typed", "expected"), EXPERIENCE)
def test_experience_typed(typed: str, expected: str | None) -> None:
    choice = read_experience(typed, EXPERIENCE_LABELS.values())
    assert choice is not None, typed
    assert choice.value == expected


SCHEDULE = [
    ("удаленка", "remote"),
    ("удалёнка", "remote"),
    ("Удалённо", "remote"),
    ("из дома", "remote"),
    ("remote", "remote"),
    ("офис", "fullDay"),
    ("в офисе", "fullDay"),
    ("полный день", "fullDay"),
    ("Full day", "fullDay"),
    ("сменный", "shift"),
    ("2/2", "shift"),
    ("гибкий график", "flexible"),
    ("вахта", "flyInFlyOut"),
    ("гибрид", None),
    ("hybrid", None),
    ("любой", None),
    ("doesn't matter", None),
]


@pytest.mark.parametrize(("typed", "expected"), SCHEDULE)
def test_schedule_typed(typed: str, expected: str | None) -> None:
    choice = read_schedule(typed, SCHEDULE_LABELS.values())
    assert choice is not None, typed
    assert choice.value == expected


@pytest.mark.parametrize("typed", ["python, sql", "excel, word, 1с", "кот", "", "   ", "удаленка python"])
def test_not_an_answer(typed: str) -> None:
    assert read_experience(typed, EXPERIENCE_LABELS.values()) is None
    assert read_schedule(typed, SCHEDULE_LABELS.values()) is None


def test_city_typed() -> None:
    spb = read_city("спб")
    assert spb is not None and (spb.area_id, spb.name) == ("2", "Санкт-Петербург")
    anywhere = read_city("не важно")
    assert anywhere is not None and (anywhere.area_id, anywhere.name) == (None, None)
    assert read_city("python, sql") is None
    assert read_city("Урюпинск") is None  # not a city the corpus or the table knows...
    town = read_city("Урюпинск", any_name=True)  # ...but typed after "Другой…": taken as typed
    assert town is not None and (town.area_id, town.name) == (None, "Урюпинск")
    assert read_city("<b>Урюпинск</b>", any_name=True) is None
    assert read_city("python, sql", any_name=True) is None
    corpus = read_city("в Костроме", ["Кострома"])
    assert corpus is not None and corpus.name == "Кострома"


def test_stored_names_read_as_hh_writes_them() -> None:
    assert canonical_area("спб") == "Санкт-Петербург"
    assert canonical_area("Урюпинск") == "Урюпинск"
    assert canonical_area(None) is None


@pytest.mark.parametrize(
    ("typed", "field", "value"),
    [
        ("спб", "city", "Санкт-Петербург"),
        ("в Казани", "city", "Казань"),
        ("без опыта", "experience", "noExperience"),
        ("3 года опыта", "experience", "between3And6"),
        ("удаленка", "schedule", "remote"),
        ("офис", "schedule", "fullDay"),
    ],
)
def test_setting_typed_outside_the_dialogue(typed: str, field: str, value: str) -> None:
    setting = setting_of_text(typed)
    assert setting is not None
    found = getattr(setting, field)
    assert (found.name if field == "city" else found) == value


@pytest.mark.parametrize(
    "typed", ["python", "python, sql", "нет", "5", "1с", "Go", "не важно", "Москва, python"]
)
def test_skills_and_vague_words_are_no_setting(typed: str) -> None:
    assert setting_of_text(typed) is None
