"""Skill names in English for English-speaking users (issue 19: "СУБД 19%", "✗ you lack: Визуализация")."""

from __future__ import annotations

import pytest

from recommender.skills.english import ENGLISH_FILE, display_in, english_name, has_cyrillic
from recommender.skills.resources import _lines, _read_text, load_resources


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
        # learned from vacancy texts, shown in "✗ you lack" and "Skills to learn"
        ("Интеграции", "Integrations"),
        ("Написание автотестов", "Writing automated tests"),
        ("Арбитражные суды", "Arbitration courts"),
        ("1С: Склад", "1C:Warehouse"),
        ("483-П", "Bank of Russia Regulation 483-P"),
        ("исходящие звонки", "outbound calls"),
    ],
)
def test_known_russian_names(russian: str, english: str) -> None:
    assert english_name(russian) == english


def test_english_and_unknown_names_stay() -> None:
    assert english_name("Python") == "Python"
    assert english_name("Какой-то редкий навык") == "Какой-то редкий навык"  # no invented translation
    assert display_in("ru", "СУБД") == "СУБД" and display_in("en", "СУБД") == "DBMS"


def test_the_table_is_english_and_names_each_skill_once() -> None:
    """Every line "<Russian> | <English>": the English side without Cyrillic (the reader sees it),
    each Russian key once as the table compares them (lower case, ё as е), so no line is dead."""
    lines = _lines(_read_text(ENGLISH_FILE))
    assert len(lines) > 900
    keys = []
    for line in lines:
        russian, _, english = line.rpartition(" | ")
        assert russian and english.strip() and not has_cyrillic(english), line
        keys.append(" ".join(russian.casefold().replace("ё", "е").split()))
    assert [key for key in keys if keys.count(key) > 1] == []
