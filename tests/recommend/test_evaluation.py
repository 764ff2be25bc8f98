"""The evaluation harness: metrics, baselines, cases, and a whole run on the seeded corpus."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from recommender.data.split import train_test_split
from recommender.evaluation import (
    CooccurrenceBaseline,
    PopularityBaseline,
    is_design_skill,
    ndcg_at_k,
    recall_at_k,
)
from recommender.evaluation.report import evaluate_parts, write_report
from recommender.evaluation.skills_eval import make_skill_cases, skill_advice_by_group
from recommender.evaluation.vacancies_eval import main_title_word
from recommender.recommend import SkillMatrix


def test_recall_and_ndcg():
    assert recall_at_k(["a", "b", "c"], {"a", "c", "z", "y"}, 3) == 0.5
    assert recall_at_k(["a"], set(), 10) == 0.0
    assert ndcg_at_k(["a", "b"], {"a", "b"}, 10) == pytest.approx(1.0)
    assert ndcg_at_k(["x", "a"], {"a"}, 10) == pytest.approx(1 / math.log2(3))


def test_baselines_rank_by_popularity_and_cooccurrence():
    docs = [["python", "sql"], ["python", "django"], ["python", "django"], ["figma", "ux"], ["sql"], ["sql"]]
    matrix = SkillMatrix.build(docs)
    assert PopularityBaseline(matrix).advise(["python"], 2) == ["sql", "django"]
    assert CooccurrenceBaseline(matrix).advise(["python"], 2) == ["django", "sql"]
    assert CooccurrenceBaseline(matrix).advise(["figma"], 5) == ["ux"]


def test_skill_cases_hide_half_deterministically(vocabulary, corpus):
    cases = make_skill_cases(vocabulary, corpus, max_cases=50)
    assert len(cases) == 50
    assert cases == make_skill_cases(vocabulary, corpus, max_cases=50)
    for case in cases:
        assert case.visible and not set(case.visible) & set(case.hidden)
        assert len(case.hidden) == (len(case.visible) + len(case.hidden)) // 2


def test_skill_advice_by_source_and_year_keeps_groups_large_enough(vocabulary, corpus):
    cases = make_skill_cases(vocabulary, corpus, max_cases=50)
    assert all(case.group.startswith(("hh ", "trudvsem ")) for case in cases)
    odd = [dataclasses.replace(c, group="trudvsem 2026") for c in cases[:5]]  # too few to report
    table = skill_advice_by_group(
        {"first": lambda skills, k: list(skills)[:k]}, [*cases[5:], *odd], min_cases=10
    )
    assert "trudvsem 2026" not in table
    assert sum(t["first"]["cases"] for t in table.values()) == len(cases) - 5


def test_design_markers_and_title_words():
    assert all(
        is_design_skill(s) for s in ["figma", "adobe photoshop", "ux/ui", "3d-моделирование", "веб-дизайн"]
    )
    assert not any(is_design_skill(s) for s in ["python", "sql", "build", "linux", "guide"])
    assert main_title_word("Junior Python-разработчик") == "python"
    assert main_title_word("Ведущий программист 1С") == "программист"


def test_whole_evaluation_on_the_seeded_corpus(corpus, tmp_path):
    from recommender.train import fit_parts

    # half the corpus poses as search-list items, as in hh_it_2021
    mixed = [dataclasses.replace(v, detail="list") if i % 2 else v for i, v in enumerate(corpus)]
    train, test = train_test_split(mixed)
    parts = fit_parts(
        train, models=("nmf",), salary=False, model_params={"nmf": {"n_components": 5, "min_df": 1}}
    )
    results = evaluate_parts(parts, train, test, max_queries=30, coherence_sample=200)
    skills = results["skills"]
    assert set(skills) == {"nmf", "nmf-no-topic", "nmf-report", "naive", "popularity", "co-occurrence"}
    assert skills["nmf"]["recall@10"] > skills["popularity"]["recall@10"]
    vacancies = results["vacancies"]
    assert vacancies["nmf"]["precision@5"] > vacancies["random"]["precision@5"]
    assert vacancies["nmf"]["precision@5"] >= 0.9  # the fields are cleanly separated here
    assert 0 < results["topics"]["nmf"]["diversity"] <= 1
    assert set(results["targets"]) >= {
        "skill_recall_gain",
        "vacancy_precision@5",
        "design_top10",
        "alias_same_top5",
    }
    results.update(
        salary={"available": False, "reason": "not part of this test"}, command="test", data={"paths": []}
    )
    md, js = write_report(results, tmp_path / "evaluation.md")
    text = md.read_text()
    for section in (
        "## Targets",
        "## Skill recommendation",
        "## Vacancy recommendation",
        "## Topic quality",
        "## The report's three queries",
        "## Specializations for common queries",
        "## Salary",
    ):
        assert section in text
    # the same skill cases split by the held-out card's source and year, product and baseline
    by_group = results["skills_by_source_year"]
    assert by_group and all(set(table) == {"nmf", "co-occurrence"} for table in by_group.values())
    assert sum(next(iter(t.values()))["cases"] for t in by_group.values()) <= skills["nmf"]["cases"]
    assert "by the held-out card's source and publication year" in text
    specs = results["specializations"]
    assert len(specs) == 13 and all(set(per_model) == {"nmf"} for per_model in specs.values())
    design = specs["photoshop, figma"]["nmf"]
    assert design is not None and design["label"] in text
    assert "дизайнер" in design["label"].lower()  # the design field, named after its titles
    assert json.loads(js.read_text())["skills"]["nmf"]["cases"] == skills["nmf"]["cases"]


def test_the_evaluation_ranks_without_a_today(corpus, monkeypatch):
    """``jobrec evaluate`` never passes a today, so no vacancy is moved up for being recent and
    its held-out metrics are those of the ranking by relevance alone."""
    from recommender.recommend.recommender import Recommender
    from recommender.train import fit_parts

    asked: list[object] = []
    recent_rows = Recommender.recent_rows

    def spy(self, today):
        asked.append(today)
        return recent_rows(self, today)

    monkeypatch.setattr(Recommender, "recent_rows", spy)
    train, test = train_test_split(corpus)
    parts = fit_parts(
        train, models=("nmf",), salary=False, model_params={"nmf": {"n_components": 5, "min_df": 1}}
    )
    evaluate_parts(parts, train, test, max_queries=10, topic_quality=False, ablation=False)
    assert asked and set(asked) == {None}  # the answers were ranked, none by recency
