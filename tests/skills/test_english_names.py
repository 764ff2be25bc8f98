"""Skill names in English for English-speaking users (issue 19: "СУБД 19%", "✗ you lack: Визуализация")."""

from __future__ import annotations

import pytest

from recommender.skills.english import display_in, english_name, has_cyrillic
from recommender.skills.resources import load_resources


def test_every_curated_skill_has_an_english_name() -> None:
    russian = [s.display for s in load_resources().skills if has_cyrillic(s.display)]
    assert len(russian) > 100
    untranslated = [name for name in russian if has_cyrillic(english_name(name))]
    assert untranslated == []


@pytest.mark.parametrize(
    ("russian", "english"),
    [
        ("СУБД", "DBMS"),
        ("Визуализация", "Visualization"),
        ("Проектирование", "Design and engineering"),
        ("Бухгалтерский учёт", "Accounting"),  # ё and е are one key
        ("бухгалтерский учет", "Accounting"),
        ("Математическая статистика", "Statistics"),
        ("1С: Бухгалтерия", "1C:Accounting"),
        ("Работа в команде", "Teamwork"),
        ("ООП", "OOP"),
    ],
)
def test_known_russian_names(russian: str, english: str) -> None:
    assert english_name(russian) == english


def test_english_and_unknown_names_stay() -> None:
    assert english_name("Python") == "Python"
    assert english_name("Какой-то редкий навык") == "Какой-то редкий навык"  # no invented translation
    assert display_in("ru", "СУБД") == "СУБД" and display_in("en", "СУБД") == "DBMS"
