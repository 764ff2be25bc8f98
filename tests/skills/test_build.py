"""build() on small synthetic corpora: key_skills, filters, and skills learned from texts."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from recommender.data.models import Vacancy
from recommender.skills import SkillVocabulary, coverage

LABELS = ("design", "backend", "sales", "support")


@pytest.fixture
def corpus(make_vacancy: Callable[..., Vacancy]) -> list[Vacancy]:
    """400 vacancies in four fields; a design tool and a design phrase occur only in texts."""
    vacancies = []
    for i in range(400):
        label = LABELS[i % 4]
        text = f"Вакансия номер {i}. Офис в центре города. Оформление по ТК."  # re-posts count once
        if label == "backend":
            text += " Пишем на Python."
        if label == "sales":
            text += " Холодные звонки."
        if label == "design":
            text += " Опыт работы в Figma."
            if i < 60:  # 15 design vacancies
                text += " Знание Zeplin и векторной графики. Опыт с векторной графикой. Базы PostgresSQL."
        if i % 25 == 0:  # 16 vacancies of every field: generic, not distinctive
            text += " Светлый кабинет и кухня."
        vacancies.append(make_vacancy(title=f"Специалист {label}", text=text, labels=(label,)))
    for i in range(15):  # English-language vacancies: their words are not tools
        vacancies.append(make_vacancy(title="Engineer", text=f"Meet the deadline with the team daily {i}.",
                                      labels=(LABELS[i % 4],)))
    vacancies.append(make_vacancy(title="Дизайнер", key_skills=("Rare Thing", "Бюджет")))  # seen once
    cards = [
        ("Houdini", "Figma", "Усидчивость", "Инженер", "Работа в команде"),
        ("Houdini", "Figma", "Честный", "Усидчивость", "Инженер", "Работа в команде"),
        ("Figma, Houdini", "Инженер", "Усидчивость", "Работа в команде", "Adobe After Effect"),
    ]
    for i, key_skills in enumerate(cards * 2):
        card = make_vacancy(title=f"Дизайнер {i}", text="", key_skills=key_skills, labels=("design",))
        vacancies.append(card)
    return vacancies


@pytest.fixture
def built(corpus: list[Vacancy]) -> SkillVocabulary:
    return SkillVocabulary.build(corpus, min_text_df=5)


def test_key_skills_become_skills_with_their_spelling(built: SkillVocabulary) -> None:
    assert "houdini" in built
    assert built.display("houdini") == "Houdini"
    assert built.source("houdini") == "key_skills"


def test_key_skills_keep_curated_names(built: SkillVocabulary) -> None:
    assert built.source("figma") == "curated"
    assert built.display("figma") == "Figma"


def test_misspelt_key_skill_joins_the_known_skill(built: SkillVocabulary) -> None:
    assert "adobe after effect" not in built
    assert built.canonical("Adobe After Effect") == ["adobe after effects"]


def test_a_key_skill_spelled_without_spaces_is_the_skill_with_them(make_vacancy) -> None:
    """One spelling per skill: "RESTAPI" was REST API's twin shown beside it (a ✗ list named both)."""
    cards = [
        ("RESTAPI", "MSOffice", "Web API", "ANSI C++"),
        ("RESTAPI", "MSOffice", "WebAPI", "Web API", "ANSI C++"),
    ]
    vacancies = [make_vacancy(title=f"Программист {i}", key_skills=k) for i, k in enumerate(cards * 2)]
    built = SkillVocabulary.build(vacancies, learn_from_text=False)
    assert built.canonical("RESTAPI") == ["rest api"]
    assert built.canonical("MSOffice") == ["ms office"]
    assert built.canonical("WebAPI") == built.canonical("Web API") == ["web api"]
    assert "restapi" not in built and "webapi" not in built
    assert built.canonical("ANSI C++") != built.canonical("ANSI C")  # "+" is not punctuation here


def test_a_key_skill_in_cyrillic_look_alikes_is_the_latin_skill(make_vacancy) -> None:
    """One spelling per skill across scripts: "РНР" typed in Cyrillic letters is PHP (678 postings
    named it, shown beside PHP)."""
    cards = [("РНР", "PHP", "MySQL", "В2В продажи", "B2B продажи")] * 4
    vacancies = [make_vacancy(title=f"Программист {i}", key_skills=k) for i, k in enumerate(cards)]
    built = SkillVocabulary.build(vacancies, learn_from_text=False)
    assert built.canonical("РНР") == built.canonical("PHP") == ["php"]
    assert "рнр" not in built
    assert built.canonical("В2В продажи") == built.canonical("B2B продажи")
    assert built.extract("опыт на РНР от года").skills == ["php"]


def test_rare_key_skills_traits_titles_and_stoplist_are_left_out(built: SkillVocabulary) -> None:
    for left_out in ["rare thing", "усидчивость", "честный", "инженер", "работа в команде", "бюджет"]:
        assert left_out not in built


def test_text_only_tool_is_learned(built: SkillVocabulary) -> None:
    assert "zeplin" in built
    assert built.source("zeplin") == "text"
    assert built.display("zeplin") == "Zeplin"  # the casing the texts use
    assert built.extract("zeplin").skills == ["zeplin"]


def test_corpus_skills_inherit_the_field_of_their_neighbours(built: SkillVocabulary) -> None:
    assert built.field("zeplin") == "design"  # learned from texts, next to Figma
    assert built.field("houdini") == "design"  # a key skill of cards that also name Figma
    assert built.field("python") == "programming"  # curated fields stay


def test_frequent_misspelling_becomes_an_alias_not_a_skill(built: SkillVocabulary) -> None:
    assert "postgressql" not in built
    assert built.extract("PostgresSQL").skills == ["postgresql"]


def test_distinctive_phrase_is_learned_with_a_readable_name(built: SkillVocabulary) -> None:
    assert "векторная графика" in built
    assert built.extract("владение векторной графикой").skills == ["векторная графика"]


def test_generic_words_are_not_learned(built: SkillVocabulary) -> None:
    for generic in ["светлый кабинет", "deadline", "daily", "кухня"]:
        assert generic not in built


def test_learning_can_be_switched_off(corpus: list[Vacancy]) -> None:
    plain = SkillVocabulary.build(corpus, learn_from_text=False)
    assert "zeplin" not in plain
    assert "houdini" in plain


def test_skills_of_joins_key_skills_title_and_text(built: SkillVocabulary, make_vacancy) -> None:
    vacancy = make_vacancy(
        title="Дизайнер (Figma)",
        text="Нужен опыт с Zeplin, фотошопом и 3D, дизайн интерфейсов.",
        key_skills=("Houdini", "Figma", "Работа в команде"),
    )
    skills = built.skills_of(vacancy)
    assert skills[:2] == ["houdini", "figma"]
    assert {"дизайн интерфейсов", "zeplin", "adobe photoshop", "3d-моделирование"} <= set(skills)
    assert len(skills) == len(set(skills))


def test_coverage_share_and_median(built: SkillVocabulary, make_vacancy) -> None:
    vacancies = [
        make_vacancy(text="Python и SQL"),
        make_vacancy(text="Docker"),
        make_vacancy(title="Курьер", text="Доставка заказов пешком"),
    ]
    share, median = coverage(built, vacancies)
    assert share == pytest.approx(2 / 3)
    assert median == 1.0
    assert coverage(built, []) == (0.0, 0.0)
    assert coverage(built, vacancies, per_vacancy=[["a"], [], []]) == (pytest.approx(1 / 3), 0.0)


def test_build_on_an_empty_corpus_is_the_curated_vocabulary() -> None:
    empty = SkillVocabulary.build([])
    assert len(empty) == len(SkillVocabulary.default())


def test_vacancies_with_odd_fields_are_skipped_not_fatal(make_vacancy) -> None:
    odd = [
        make_vacancy(title="", text="", key_skills=("", "   ", "!!!", "x" * 500)),
        make_vacancy(title="Python", text="<p>" * 50, key_skills=("Python",) * 3),
    ]
    vocabulary = SkillVocabulary.build(odd)
    assert vocabulary.skills_of(odd[1]) == ["python"]
    assert vocabulary.skills_of(odd[0]) == []
