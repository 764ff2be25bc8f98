"""The measures that catch bad answers: title families, roles, label accuracy, long-tail advice,
the naive baseline and the no-topic ablation (small fixtures; real data at the end, skipped
where ../shared is absent)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from recommender.data.models import Label, Vacancy
from recommender.data.split import train_test_split
from recommender.evaluation.fields_eval import (
    evaluate_label_accuracy,
    evaluate_roles,
    evaluate_title_families,
    family_queries,
    majority_role,
    role_of,
    topic_roles,
)
from recommender.evaluation.naive import NaiveTfidfRecommender
from recommender.evaluation.queries import REPORT_QUERIES, field_check
from recommender.evaluation.skills_eval import RoleLift, SkillCase, evaluate_skill_advice, frequent_skills
from recommender.evaluation.systems import SupervisedRoles, without_topic_terms
from recommender.recommend import VacancyIndex
from recommender.topics.families import in_family, names_a_field, title_family


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Python Developer", "Разработчик Python"),
        ("Senior Python-разработчик (Django) в Яндекс", "Middle Python программист"),
        ("Программист 1С", "1C разработчик"),
        ("UX/UI designer", "Дизайнер UI/UX"),
        ("QA Engineer", "Инженер по тестированию"),
        ("DevOps-инженер", "DevOps Engineer"),
        ("Data Scientist (NLP)", "Ведущий data scientist"),
        ("Менеджер по продажам", "Sales manager"),
        ("Front-end разработчик", "Frontend developer"),
        ("Специалист службы поддержки", "Специалист поддержки"),  # a company's unit names no job
        ("Руководитель отдела продаж", "Head of sales"),
        ("System Analyst / Системный аналитик", "Системный аналитик"),  # bilingual: no narrower field
        ("Content manager", "Контент-менеджер"),
        ("2D Artist", "2D-художник"),
    ],
)
def test_spellings_of_one_job_are_one_family(a, b):
    assert set(title_family(a)) == set(title_family(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Python-разработчик", "Java-разработчик"),
        ("Системный аналитик", "Бизнес-аналитик"),
        ("UI/UX дизайнер", "Графический дизайнер"),
        ("Руководитель отдела продаж", "Руководитель отдела разработки"),
    ],
)
def test_different_jobs_are_different_families(a, b):
    assert set(title_family(a)) != set(title_family(b))


def test_family_membership_and_generic_titles():
    family = title_family("Python-разработчик")
    assert in_family(frozenset(title_family("Backend Python developer", limit=None)), family)
    assert not in_family(frozenset(title_family("Разработчик", limit=None)), family)
    assert not names_a_field(title_family("Специалист"))
    assert not names_a_field(title_family("Ведущий инженер"))
    assert names_a_field(title_family("Тестировщик"))
    assert names_a_field(title_family("Системный аналитик"))


def _vacancy(i: int, title: str, text: str, skills: tuple[str, ...] = (), role: str | None = None) -> Vacancy:
    roles = (Label(str(i), role),) if role else ()
    return Vacancy(
        id=f"v{i}",
        title=title,
        employer=f"e{i}",
        text=text,
        key_skills=skills,
        professional_roles=roles,
        detail="card",
    )


def _naive(vacancies: list[Vacancy], docs: list[list[str]]) -> NaiveTfidfRecommender:
    return NaiveTfidfRecommender(vacancies, VacancyIndex(vacancies, docs, docs), min_df=1)


def test_naive_search_ranks_by_title_and_text_and_advises_its_neighbours_skills():
    vacancies = [
        _vacancy(0, "UI/UX дизайнер", "figma photoshop прототипы"),
        _vacancy(1, "Python-разработчик", "python django sql"),
        _vacancy(2, "Дизайнер интерфейсов", "figma sketch"),
        _vacancy(3, "Бухгалтер", "1с excel"),
    ]
    docs = [["figma", "adobe photoshop"], ["python", "django", "sql"], ["figma", "sketch"], ["1с", "excel"]]
    naive = _naive(vacancies, docs)
    assert naive.top_vacancy_rows(["figma"], 2) == [0, 2] or naive.top_vacancy_rows(["figma"], 2) == [2, 0]
    assert naive.top_vacancy_rows(["figma"], 5, np.asarray([1, 2, 3])) == [2]  # restricted, positives only
    assert set(naive.advise(["figma"], 5)) == {"adobe photoshop", "sketch"}
    assert naive.advise(["python"], 5) == ["django", "sql"]
    assert naive.top_vacancy_rows(["кобол"], 3) == []


class _FixedRanker:
    """Returns the given rows for every query: the metric alone is under test."""

    def __init__(self, rows: list[int]) -> None:
        self.rows = rows

    def top_vacancy_rows(self, skills, n, rows=None):
        allowed = self.rows if rows is None else [r for r in self.rows if r in set(rows.tolist())]
        return allowed[:n]


def test_title_family_precision_counts_titles_of_the_held_out_family():
    train = [_vacancy(i, t, "") for i, t in enumerate(["Python Developer"] * 6 + ["Java-разработчик"] * 6)]
    test = [dataclasses.replace(_vacancy(99, "Senior Python-разработчик", "python"), detail="list")]

    class _Vocab:
        def skills_of(self, vacancy):
            return ["python"]

    queries, families = family_queries(_Vocab(), train, test, max_queries=10)
    assert [q.family for q in queries] == [("python", "разраб")]
    results = evaluate_title_families(
        {"good": _FixedRanker([0, 1, 2, 3, 6]), "bad": _FixedRanker([6, 7, 8, 9, 10])}, queries, families
    )
    assert results["good"]["precision@5"] == pytest.approx(0.8)
    assert results["bad"]["precision@5"] == 0.0


def test_role_precision_ranks_among_cards_with_a_role_and_label_accuracy():
    roles = ["Дизайнер", "Дизайнер", "Программист", None, "Программист"]
    card_rows = np.asarray([0, 1, 2, 4])
    queries = [("Дизайнер", ["figma"]), ("Программист", ["python"])]
    result = evaluate_roles({"fixed": _FixedRanker([3, 0, 1, 2, 4])}, queries, card_rows, roles, k=2)
    # row 3 has no role and is never a candidate: the top 2 are rows 0 and 1
    assert result["fixed"]["precision@2"] == pytest.approx(0.5)
    assert majority_role([0, 1, 2, 3], roles) == "Дизайнер"
    assert topic_roles([0, 0, 1, None, 1], roles, 3) == ["Дизайнер", "Программист", None]
    accuracy = evaluate_label_accuracy({"always design": lambda skills: "Дизайнер"}, queries)
    assert accuracy["always design"]["accuracy"] == 0.5


def test_supervised_roles_ceiling_learns_the_roles_from_key_skills():
    skills = [["figma", "sketch"], ["figma", "ui"], ["python", "django"], ["python", "sql"]] * 3
    roles = ["Дизайнер", "Дизайнер", "Программист", "Программист"] * 3
    for kind in SupervisedRoles.KINDS:
        ceiling = SupervisedRoles(skills, roles, kind=kind)
        assert ceiling.predict_role(["sketch"]) == "Дизайнер", kind
        assert ceiling.predict_role(["django", "sql"]) == "Программист", kind
        assert ceiling.predict_role([]) is None
    logistic = SupervisedRoles(skills, roles)
    assert logistic.predict_roles(["sketch"], 2) == ["Дизайнер", "Программист"]


def test_role_of_skips_the_catch_all_role():
    assert role_of(_vacancy(0, "x", "", role="Другое")) is None
    assert role_of(_vacancy(0, "x", "", role="Тестировщик")) == "Тестировщик"


def test_long_tail_recall_gives_nothing_for_popular_advice_and_lift_rewards_field_skills():
    docs = [["git", "sql", "figma"], ["git", "sql", "sketch"], ["git", "python"], ["git", "sql", "django"]]
    roles = ["Дизайнер", "Дизайнер", "Программист", "Программист"]
    frequent = frequent_skills(docs, n=2)
    assert frequent == {"git", "sql"}
    lift = RoleLift(docs, roles)
    assert lift.lift("Дизайнер", "figma") > 1.0 > lift.lift("Дизайнер", "python")
    cases = [SkillCase("c1", ["figma"], ["sketch", "git"], "Дизайнер")]
    results = evaluate_skill_advice(
        {"popular": lambda q, n: ["git", "sql"], "field": lambda q, n: ["sketch", "figma"]},
        cases,
        frequent=frequent,
        lift=lift,
    )
    assert results["popular"]["recall@10"] == 0.5 and results["popular"]["long_tail_recall@10"] == 0.0
    assert results["field"]["long_tail_recall@10"] == 1.0
    assert results["field"]["mean_lift"] > results["popular"]["mean_lift"]


def test_field_check_of_the_report_queries():
    design = field_check(
        REPORT_QUERIES[2], "UI/UX дизайнер", ["figma", "sketch", "ux", "ui", "adobe illustrator"]
    )
    assert design["met"]
    generic = field_check(REPORT_QUERIES[1], "Инженер-программист", ["arm", "uart", "i2c", "spi", "rtos"])
    assert generic["skills_ok"] and not generic["label_ok"] and not generic["met"]
    tools = field_check(REPORT_QUERIES[0], "Data Scientist", ["sql", "docker", "git", "django", "pytorch"])
    assert tools["label_ok"] and not tools["skills_ok"]


def test_no_topic_ablation_zeroes_the_topic_terms_only(recommender):
    clone = without_topic_terms(recommender)
    assert clone.params.topic_weight == 0.0 and clone.name.endswith("-no-topic")
    assert recommender.params.topic_weight > 0  # the original is untouched
    assert clone.params.overlap_weight == recommender.params.overlap_weight


def test_whole_evaluation_reports_every_system_on_every_measure(corpus, tmp_path):
    from recommender.evaluation.report import evaluate_parts, write_report
    from recommender.train import fit_parts

    from .conftest import FIELDS, field_of

    role_names = {field: spec["titles"][0] for field, spec in FIELDS.items()}
    mixed = [
        dataclasses.replace(v, professional_roles=(Label(field_of(v.id), role_names[field_of(v.id)]),))
        if i % 2 == 0
        else dataclasses.replace(v, detail="list")
        for i, v in enumerate(corpus)
    ]
    train, test = train_test_split(mixed)
    parts = fit_parts(
        train, models=("nmf",), salary=False, model_params={"nmf": {"n_components": 5, "min_df": 1}}
    )
    results = evaluate_parts(parts, train, test, max_queries=40, topic_quality=False)
    assert {"nmf", "nmf-no-topic", "nmf-report", "naive", "random"} <= set(results["systems"])
    for section in ("title_families", "roles", "label_accuracy"):
        assert results[section]["nmf"]["queries"] > 0, section
        assert {"nmf", "nmf-no-topic", "naive", "random"} <= set(results[section]), section
    # cleanly separated fields: each topic stands for one role, as the classifier fitted to them
    assert results["label_accuracy"]["nmf"]["accuracy"] >= 0.8
    ceilings = {n: v["accuracy"] for n, v in results["label_accuracy"].items() if n.startswith("supervised-")}
    assert set(ceilings) == {f"supervised-{k}" for k in SupervisedRoles.KINDS} | {"supervised-logistic-top2"}
    assert ceilings["supervised-logistic"] >= 0.8
    assert ceilings["supervised-logistic-top2"] >= ceilings["supervised-logistic"]
    assert results["targets"]["label_accuracy"]["ceiling"] == max(
        v for n, v in ceilings.items() if n != "supervised-logistic-top2"
    )
    assert results["roles"]["nmf"]["precision@5"] > results["roles"]["random"]["precision@5"]
    assert results["skills"]["nmf"]["long_tail_recall@10"] >= 0
    assert set(results["targets"]) >= {
        "title_family_gain_over_naive",
        "long_tail_recall_ratio",
        "label_accuracy",
    }
    assert set(results["report_fields"]) == set(REPORT_QUERIES)
    results.update(salary={"available": False, "reason": "test"}, command="test", data={"paths": []})
    md, _ = write_report(results, tmp_path / "evaluation.md")
    text = md.read_text()
    for heading in ("## Every system on every measure", "## Vacancies of the user's field", "report (NMF)"):
        assert heading in text


@pytest.mark.shared_data
@pytest.mark.slow
def test_real_cards_evaluation_beats_chance_and_popularity(shared_data_dir):
    """On the real cards (train/test by id hash): every new measure is computed and ahead of chance."""
    from recommender.data import load_vacancies
    from recommender.evaluation.report import evaluate_parts
    from recommender.train import fit_parts

    cards = load_vacancies([shared_data_dir / "hh_cards_2021_2023.jsonl.gz"]).vacancies
    train, test = train_test_split(cards)
    parts = fit_parts(train, models=("nmf",), salary=False, model_params={"nmf": {"n_components": 40}})
    results = evaluate_parts(parts, train, test, max_queries=150, topic_quality=False, ablation=False)
    families, roles, labels = results["title_families"], results["roles"], results["label_accuracy"]
    assert families["nmf"]["queries"] >= 50
    assert families["nmf"]["precision@5"] > 3 * families["random"]["precision@5"]
    assert roles["nmf"]["precision@5"] > roles["random"]["precision@5"]
    assert labels["nmf"]["accuracy"] > labels["random"]["accuracy"]
    skills = results["skills"]
    assert skills["popularity"]["long_tail_recall@10"] == 0.0  # the favourites are excluded by definition
    assert skills["nmf"]["long_tail_recall@10"] > skills["popularity"]["long_tail_recall@10"]
    assert skills["nmf"]["mean_lift"] > skills["popularity"]["mean_lift"]


@pytest.mark.shared_data
def test_real_titles_mostly_name_a_field(shared_data_dir):
    import itertools

    from recommender.data import iter_raw

    titles = [
        obj.get("name", "")
        for obj in itertools.islice(iter_raw([shared_data_dir / "hh_it_2021.jsonl.gz"]), 5000)
    ]
    named = [t for t in titles if names_a_field(title_family(t))]
    assert len(named) >= 0.6 * len(titles)
    assert title_family("Программист 1С (удаленно)") == ("разраб", "1с")
