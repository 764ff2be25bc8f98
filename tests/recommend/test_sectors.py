"""Students from every field: a nurse, a teacher and an accountant get their own field, never
another sector's; a sector the corpus holds few of is named as such; strong means strong."""

from __future__ import annotations

import random
from typing import Any

import pytest

from recommender.data.models import Vacancy
from recommender.evaluation.sectors_eval import SECTOR_QUERIES, evaluate_sector_queries
from recommender.recommend.choices import choice_key
from recommender.recommend.sector_rows import MIN_SECTOR_ROWS
from recommender.skills import SkillVocabulary
from recommender.skills.sectors import SHARED_SECTORS, Sectors
from recommender.topics.families import in_family, title_family

from .conftest import SMALL_MODELS, make_corpus

# Non-IT fields beside the IT ones of make_corpus: nurses and drivers share "консультирование",
# accountants and 1С programmers share 1С; lawyers are too few to name a field of.
OTHER_FIELDS: dict[str, tuple[list[str], list[str], int]] = {
    "nurse": (
        ["Медсестра", "Медицинская сестра процедурного кабинета", "Медбрат"],
        ["Сестринское дело", "Инъекции", "Первая помощь", "Уход за пациентами", "Консультирование"],
        40,
    ),
    "driver": (
        ["Водитель категории B", "Персональный водитель", "Водитель-экспедитор"],
        ["Водительское удостоверение категории B", "Консультирование", "Знание города", "Грузоперевозки"],
        40,
    ),
    "teacher": (
        ["Учитель начальных классов", "Учитель математики", "Педагог дополнительного образования"],
        ["Педагогика", "Методика преподавания", "Работа с детьми", "ФГОС", "MS Word"],
        40,
    ),
    "accountant": (
        ["Бухгалтер", "Главный бухгалтер", "Бухгалтер по расчету заработной платы"],
        ["Бухгалтерский учёт", "1С:Бухгалтерия", "Налоговый учёт", "Первичная документация", "Excel", "1С"],
        40,
    ),
    "writer": (
        ["Технический писатель"],
        ["Техническая документация", "MS Word", "Английский язык", "Консультирование"],
        30,
    ),
    "lawyer": (["Юрист"], ["Договорная работа", "Гражданское право", "Excel"], 5),
}


def sector_corpus() -> list[Vacancy]:
    rng = random.Random(11)
    vacancies = list(make_corpus())
    for field, (titles, skills, count) in OTHER_FIELDS.items():
        for i in range(count):
            chosen = rng.sample(skills, min(len(skills), rng.randint(3, 4)))
            vacancies.append(
                Vacancy(
                    id=f"{field}-{i:03d}",
                    title=rng.choice(titles),
                    employer=f"Работодатель {field} {i}",
                    area="Москва",
                    area_id="1",
                    text="Требования: " + ", ".join(chosen),
                    key_skills=tuple(chosen),
                    url=f"https://hh.ru/vacancy/{field}-{i:03d}",
                    detail="card",
                )
            )
    return vacancies


@pytest.fixture(scope="module")
def rec() -> Any:
    from recommender.train import fit_parts

    parts = fit_parts(sector_corpus(), models=("nmf",), salary=False, model_params=SMALL_MODELS)
    return parts.recommenders["nmf"]


def ask(rec: Any, text: str, k: int = 10) -> Any:
    return rec.recommend(rec.vocabulary.parse(text), k=k)


def test_titles_name_their_sector_by_the_first_title_word() -> None:
    sectors = Sectors.default()
    assert sectors.of_title("Программист 1С: Бухгалтерия") == "it"
    assert sectors.of_title("Бухгалтер со знанием 1С") == "finance"
    assert sectors.of_title("Ночная дежурная медсестра") == "medicine"
    assert sectors.of_title("Инженер-программист") == "it"
    assert sectors.of_title("Администратор в стоматологическую клинику") is None
    assert sectors.of_title("Ведущий инженер по санитарному содержанию") is None


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("медсестра, уколы", "medicine"),
        ("nurse", "medicine"),
        ("учитель", "education"),
        ("1с, бухгалтерия, excel", "finance"),
        ("1с программист, бухгалтерия", "it"),
        ("accountant", "finance"),
    ],
)
def test_queries_name_their_sector(text: str, sector: str) -> None:
    vocabulary = SkillVocabulary.default()
    query = vocabulary.parse(text)
    guess = Sectors.default().of_query(query.text, query.skills, vocabulary.field)
    assert guess is not None and guess.sector.id == sector


def test_two_sectors_named_equally_name_none() -> None:
    assert Sectors.default().of_query("бухгалтер, юрист", [], lambda skill: None) is None


@pytest.mark.parametrize("text", ["медсестра, уколы", "медсестра", "nurse", "сестринское дело"])
def test_a_nurse_gets_nursing_never_driving(rec: Any, text: str) -> None:
    result = ask(rec, text)
    assert result.sector is not None and result.sector.id == "medicine" and not result.sector.thin
    assert "водител" not in result.specialization.label.lower()
    top = [v.title for v in result.vacancies[:5]]
    assert all(Sectors.default().of_title(t) == "medicine" for t in top), top
    advice = {a.skill for a in result.skills_to_learn}
    assert "водительское удостоверение категории b" not in advice


def test_a_teacher_gets_teaching_not_writing_or_programming(rec: Any) -> None:
    for text in ("учитель", "педагогика, английский язык", "teacher"):
        result = ask(rec, text)
        assert result.sector is not None and result.sector.id == "education", text
        label = result.specialization.label.lower()
        assert "писатель" not in label and "программист" not in label, label
        assert all(Sectors.default().of_title(v.title) == "education" for v in result.vacancies[:5])
        sectors, field_of = Sectors.default(), rec.vocabulary.field
        advised = [sectors.of_skill(a.skill, field_of) for a in result.skills_to_learn]
        assert all(s in (None, "education", *SHARED_SECTORS) for s in advised), result.skills_to_learn


def test_an_accountant_is_not_a_1c_programmer_unless_programming_is_typed(rec: Any) -> None:
    result = ask(rec, "1с, бухгалтерия, excel")
    assert result.sector is not None and result.sector.id == "finance"
    assert "программист" not in result.specialization.label.lower()
    assert all("Программист" not in v.title and "Разработчик" not in v.title for v in result.vacancies[:5])
    assert "1с программирование" not in {a.skill for a in result.skills_to_learn}
    programmer = ask(rec, "1с программист, скд")
    assert programmer.sector is None  # IT: the topics tell its fields apart
    assert any("1С" in v.title for v in programmer.vacancies[:3])


def test_a_chosen_field_outranks_the_sector_the_skills_name(rec: Any) -> None:
    """A 1С programmer's 1С:Бухгалтерия names accounting; one who chose "Программист 1С" (an earlier
    answer's button, remembered) gets 1С programmers, each with a skill of theirs, and the field's name."""
    query = rec.vocabulary.parse("1с, бухгалтерия, excel")
    assert ask(rec, "1с, бухгалтерия, excel").sector.id == "finance"
    key = choice_key("Программист 1С")
    chosen = rec.recommend(query, k=5, field=key)
    assert chosen.field == key
    assert all(in_family(title_family(v.title, limit=None), tuple(key.split())) for v in chosen.vacancies)
    assert all(v.matched_skills for v in chosen.vacancies)
    assert in_family(title_family(chosen.specialization.label, limit=None), tuple(key.split()))


def test_a_thin_sector_is_named_and_said_to_be_thin(rec: Any) -> None:
    result = ask(rec, "юрист, договорная работа")
    assert result.sector is not None and result.sector.id == "law"
    assert result.sector.thin and result.sector.vacancies == 5 < MIN_SECTOR_ROWS
    assert result.specialization.label == result.sector.name_ru  # the sector, not a field of another one
    assert result.vacancies[0].title == "Юрист"


def test_the_non_it_table_is_large_and_every_answer_stays_in_its_sector(rec: Any) -> None:
    expected = {sector for _, sector in SECTOR_QUERIES}
    assert len(SECTOR_QUERIES) >= 40
    assert {"medicine", "education", "finance", "law", "hr", "logistics", "retail", "catering"} <= expected
    assert {"construction", "engineering", "marketing"} <= expected
    assert any(q.isascii() for q, _ in SECTOR_QUERIES) and any(not q.isascii() for q, _ in SECTOR_QUERIES)
    section = evaluate_sector_queries(rec)
    # the fixture holds few of most sectors: each answer names its own sector, never another one
    assert section["summary"]["other_sector"] == 0
    assert section["summary"]["in_field"] >= 0.9
    for row in section["rows"]:
        if row["expected"] in ("medicine", "education", "finance"):
            assert row["in_field"] and not row["thin"] and row["top_in_sector"] >= 0.8, row


def test_strong_matches_share_two_skills_or_name_the_field(rec: Any) -> None:
    result = ask(rec, "python, sql, nlp", k=100)
    strong = [v for v in result.vacancies if v.strong]
    assert strong and len(strong) == min(result.total_vacancies, len(result.vacancies))
    label_words = set(result.specialization.label.lower().split())
    for match in result.vacancies:
        names_field = label_words <= set(match.title.lower().replace("-", " ").split())
        shared = len(match.matched_skills)
        assert match.strong == (shared >= 2 or (names_field and shared >= 1)), match
    ticked = [bool(v.matched_skills) for v in result.vacancies]
    assert ticked == sorted(ticked, reverse=True)  # a ✓ ranks above no ✓
    one = ask(rec, "figma", k=50)
    assert all("figma" in v.matched_skills for v in one.vacancies if v.strong)
    assert one.total_vacancies == sum(v.strong for v in one.vacancies)


def test_advice_never_comes_from_a_domain_the_user_is_not_in(rec: Any) -> None:
    column = rec.index.skills.column_of
    foreign = rec.foreign_domain_skills(["python", "sql"], None)
    assert foreign[column["figma"]] and foreign[column["скд"]]  # design, 1С: not a Python user's
    assert not foreign[column["git"]] and not foreign[column["pandas"]]
    assert not rec.foreign_domain_skills(["figma"], None)[column["figma"]]
    for text in ("python, sql, pandas", "c, stm32"):
        advised = {rec.vocabulary.field(a.skill) for a in ask(rec, text).skills_to_learn}
        assert not advised & {"design", "1c", "gamedev", "marketing"}, text
