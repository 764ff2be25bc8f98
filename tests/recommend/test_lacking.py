"""A vacancy's ✗ list names what the student lacks of the answer's field: what the field asks for,
or of a curated field the answer is in, or what the vacancy's title names; never a skill of another
sector or domain that its key skills or text happen to name (issue #19, item 9)."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from recommender.data.models import Vacancy
from recommender.recommend import Filters
from recommender.recommend.recommender import MAX_K

from .conftest import SMALL_MODELS, make_corpus

NURSE_SKILLS = ["Сестринское дело", "Инъекции", "Первая помощь", "Медицинская документация"]
TEACHER_SKILLS = ["Педагогика", "Методика преподавания", "ФГОС", "Работа с детьми"]


def _vacancy(vid: str, title: str, key_skills: list[str], text: str, employer: str) -> Vacancy:
    return Vacancy(
        id=vid,
        title=title,
        employer=employer,
        area="Москва",
        area_id="1",
        text=text,
        key_skills=tuple(key_skills),
        url=f"https://hh.ru/vacancy/{vid}",
        detail="card",
    )


# The vacancies whose lists are checked: each names, besides its field's skills, one that is not of it.
ODD = [
    # one employer's key skill of another field in a Python developer's posting
    _vacancy(
        "data-odd",
        "Python-разработчик",
        ["Python", "SQL", "Pandas", "Адаптация персонала"],
        "Требования: Python, SQL, Pandas. Плюсом: PyTorch.",
        "Чат-боты и партнёры",
    ),
    # a nurse's posting whose text wants the clinic's social media kept too, and patient care
    _vacancy(
        "nurse-odd",
        "Медицинская сестра",
        ["Сестринское дело", "Инъекции"],
        "Обязанности: уколы, уход за больными, ведение соцсетей клиники, SMM.",
        "Клиника красоты",
    ),
    # a school's posting whose text mentions Python in passing: not a teacher's skill to learn
    _vacancy(
        "teacher-odd",
        "Учитель математики",
        ["Педагогика", "ФГОС"],
        "Требования: педагогика, ФГОС. Кружок по Python ведёт другой педагог.",
        "Школа 1",
    ),
    # ... and one whose title names Python: the job is about it, so the teacher lacks it
    _vacancy(
        "teacher-python",
        "Преподаватель Python для детей",
        ["Педагогика", "Python", "Методика преподавания"],
        "Требования: педагогика, Python, методика преподавания.",
        "Школа программирования",
    ),
]


def lacking_corpus() -> list[Vacancy]:
    rng = random.Random(5)
    vacancies = list(make_corpus())
    for field, titles, skills in (
        ("nurse", ["Медсестра", "Медицинская сестра процедурного кабинета"], NURSE_SKILLS),
        ("teacher", ["Учитель начальных классов", "Педагог дополнительного образования"], TEACHER_SKILLS),
    ):
        for i in range(30):
            chosen = rng.sample(skills, 3)
            vacancies.append(
                _vacancy(
                    f"{field}-{i:03d}",
                    rng.choice(titles),
                    chosen,
                    "Требования: " + ", ".join(chosen),
                    f"{field} {i}",
                )
            )
    # game studios listing a Python developer's skills among their C# / Unity programmers' key skills
    for i, employer in enumerate(["Игровая студия", "Игровая студия", "Студия игр"]):
        skills = ["C#", "Unity", "Python", "SQL", "Нейронные сети"]
        title = "Программист C# / Разработчик Unity"
        vacancies.append(_vacancy(f"gamedev-{i}", title, skills, ", ".join(skills), employer))
    # Instagram and SMM are skills of the marketing field the corpus knows
    for i in range(3):
        skills = ["SMM", "Копирайтинг", "Таргетированная реклама"]
        vacancies.append(_vacancy(f"smm-{i}", "SMM-менеджер", skills, ", ".join(skills), f"Агентство {i}"))
    return vacancies + ODD


@pytest.fixture(scope="module")
def rec() -> Any:
    from recommender.train import fit_parts

    parts = fit_parts(lacking_corpus(), models=("nmf",), salary=False, model_params=SMALL_MODELS)
    return parts.recommenders["nmf"]


def _listed(rec: Any, text: str) -> dict[str, Any]:
    """The answer's vacancies by id (all of those it lists)."""
    answer = rec.recommend(rec.vocabulary.parse(text), Filters(), k=MAX_K)
    return {v.id: v for v in answer.vacancies}


def test_a_key_skill_of_another_field_is_not_lacking(rec: Any) -> None:
    vacancy = _listed(rec, "python, sql")["data-odd"]
    assert "pandas" in vacancy.missing_skills  # the vacancy's own field
    assert "pytorch" in vacancy.missing_skills  # named in the text only, yet of the answer's field
    assert "адаптация персонала" not in vacancy.missing_skills


def test_a_nurse_lacks_patient_care_not_social_media(rec: Any) -> None:
    vacancy = _listed(rec, "сестринское дело, инъекции")["nurse-odd"]
    assert "уход за пациентами" in vacancy.missing_skills  # the text's, of the nurse's field
    assert "smm" not in vacancy.missing_skills


def test_another_sectors_skill_is_lacking_only_where_the_title_names_it(rec: Any) -> None:
    listed = _listed(rec, "педагогика, методика преподавания")
    assert "python" not in listed["teacher-odd"].missing_skills
    assert "python" in listed["teacher-python"].missing_skills


def test_lackable_is_what_the_field_asks_for_or_is_of_it(rec: Any) -> None:
    ranking = rec.rank(rec.vocabulary.parse("python, sql"))
    column_of = rec.index.skills.column_of
    lackable = ranking.lackable
    assert lackable[column_of["pandas"]]
    assert not lackable[column_of["адаптация персонала"]]
    assert not lackable[column_of["smm"]]
    # only hard skills, and never one the advice would bar
    assert not (lackable & ~rec._hard).any()
    assert not (lackable & rec.foreign_domain_skills(ranking.skills, ranking.specialization)).any()


@pytest.mark.parametrize(
    "text", ["python, sql", "сестринское дело, инъекции", "педагогика, методика преподавания", "figma, ux"]
)
def test_lists_are_clean(rec: Any, text: str) -> None:
    answer = rec.recommend(rec.vocabulary.parse(text), Filters(), k=MAX_K)
    have = set(answer.skills_recognized)
    for vacancy in answer.vacancies:
        assert len(set(vacancy.missing_skills)) == len(vacancy.missing_skills), vacancy
        assert len(set(vacancy.matched_skills)) == len(vacancy.matched_skills), vacancy
        assert not set(vacancy.missing_skills) & (have | set(vacancy.matched_skills)), vacancy
    advice = [s.skill for s in answer.skills_to_learn]
    assert len(set(advice)) == len(advice)


def test_another_fields_postings_do_not_make_the_fields_demand(rec: Any) -> None:
    """Two Unity studios listing Python, SQL and нейросети among their C# programmers' key skills
    made C# a Python developer's advice: postings whose titles name a domain the answer is not in
    (and none of the user's skills) are left out of the field's demand."""
    ranking = rec.rank(rec.vocabulary.parse("python, sql, pandas"))
    assert "c#" not in [a.skill for a in ranking.skills_to_learn]
    assert ranking.demand[rec.index.skills.column_of["c#"]] == 0
    assert ranking.demand[rec.index.skills.column_of["pandas"]] > 0


def test_a_posting_is_of_another_field_by_its_title(rec: Any) -> None:
    rows = np.asarray(rec.index.rows_of([f"hh:{vid}" for vid in ("gamedev-0", "gamedev-2", "data-odd")]))
    python_answer = frozenset({"programming", "data"})
    other = rec.other_field_postings(rows, ("python", "sql"), python_answer)
    assert other.tolist() == [True, True, False]
    # a Unity developer's own answer: the studios' postings are of it
    assert not rec.other_field_postings(rows, ("unity", "c#"), frozenset({"gamedev"})).any()
    assert not rec.other_field_postings(rows, ("c#",), python_answer).any()  # the title names the user's C#
