"""Clean lists: one spelling per skill across scripts and languages, "Знание X" is X, mixed
Latin/Cyrillic letters repaired, a lone "c" is C only beside programming, no one-letter key skill."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from recommender.data.models import Vacancy
from recommender.skills import SkillVocabulary
from recommender.skills.normalize import canonical_name, repair_scripts


@pytest.fixture
def built(make_vacancy: Callable[..., Vacancy]) -> SkillVocabulary:
    cards = [
        ("Знание ЕСКД", "Компас-3D"),
        ("ЕСКД", "Compass 3D"),
        ("Знание ЕСКД", "Регресcионное тестирование"),  # a Latin "c" inside the Cyrillic word
        ("Регрессионное тестирование", "С"),  # "С": one Cyrillic letter, in every "работа с"
        ("Регресcионное тестирование", "С", "Знание Jira"),
        ("Опыт работы с Jira", "Jira", "С"),
        ("Знание компьютера", "Опыт работы с людьми"),  # their rest is no skill: kept whole
        ("Английский язык", "Знание английского языка"),  # the rest inflected: matched by lemmas
    ]
    vacancies = [make_vacancy(title="Инженер", key_skills=skills) for skills in cards * 2]
    return SkillVocabulary.build(vacancies, learn_from_text=False)


def test_one_spelling_per_skill(built: SkillVocabulary) -> None:
    assert built.canonical("Compass 3D") == built.canonical("Компас-3D") == ["компас-3d"]
    assert built.canonical("Знание ЕСКД") == ["ескд"]
    assert built.canonical("Опыт работы с Jira") == ["jira"]
    assert built.canonical("Знание английского языка") == built.canonical("Английский язык")
    assert built.canonical("Знание компьютера") == ["знание компьютера"]
    assert "компьютера" not in built and "людьми" not in built
    assert built.canonical("Регресcионное тестирование") == built.canonical("Регрессионное тестирование")
    shown = [built.display(s) for s in built.skills]
    # no "Знание X" beside X itself
    assert not any(s.startswith("знание ") and s.removeprefix("знание ") in built for s in built.skills)
    assert len(shown) == len({name.lower() for name in shown})  # no skill twice under two spellings
    assert all(repair_scripts(name) == name for name in shown)


def test_a_one_letter_key_skill_is_no_skill(built: SkillVocabulary) -> None:
    assert "с" not in built
    assert built.extract("Работа с документами и клиентами").skills == []


def test_mixed_scripts_are_repaired_where_a_name_is_read() -> None:
    assert repair_scripts("Регресcионное") == "Регрессионное"
    assert repair_scripts("СI/CD") == "CI/CD"
    assert repair_scripts("Unit-тестирование") == "Unit-тестирование"  # each word of one script
    assert canonical_name("Cистемы управления") == "системы управления"


@pytest.mark.parametrize(
    ("text", "typed", "in_prose"),
    [
        ("c", True, False),  # typed alone it is a skill; alone in prose, a letter
        ("c, python", True, True),
        ("Программист C", True, True),
        ("Опыт работы c клиентами, грамотная речь, навыки продаж", False, False),  # a Latin "c" for "с"
        ("Знание C и Python, опыт работы с Linux", True, True),
        ("Опыт работы c документами и 1с", False, False),
    ],
)
def test_a_lone_c_is_the_c_language_only_beside_programming(text: str, typed: bool, in_prose: bool) -> None:
    vocabulary = SkillVocabulary.default()
    assert ("c" in vocabulary.extract(text).skills) is typed
    vacancy = Vacancy(id="1", title="Специалист", text=f"{text}. " * 30)  # long: a vacancy's text
    assert ("c" in vocabulary.skills_of(vacancy)) is in_prose


def test_generic_activity_words_place_a_vacancy_but_are_never_shown(
    make_vacancy: Callable[..., Vacancy],
) -> None:
    """"Разработка" and "Программирование" as key skills name no field (every vacancy text has
    them: a field's most-asked skills listed them for accountants): they are still found, as
    evidence of the field, but are no hard skill (never a ✓, advice or a most-asked skill);
    "Разработка ПО" is one."""
    cards = [("Разработка", "Python"), ("Программирование", "Разработка ПО"), ("Разработка", "SQL")]
    built = SkillVocabulary.build([make_vacancy(key_skills=s) for s in cards * 2], learn_from_text=False)
    found = built.extract("Разработка сервисов на Python, программирование на SQL").skills
    assert {"разработка", "программирование", "python", "sql"} <= set(found)
    assert not built.is_hard("разработка") and not built.is_hard("программирование")
    assert built.is_hard("разработка по") and built.is_hard("python")
