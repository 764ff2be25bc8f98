"""Letting the student pick the field: an answer whose best matches split across job families
offers them; a choice re-ranks vacancies, specialization and advice within that family, from the
query's scores already computed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from recommender.evaluation.choice_eval import evaluate_field_choice, own_choice
from recommender.evaluation.fields_eval import family_queries
from recommender.recommend.choices import (
    MAX_CHOICES,
    FieldChoice,
    TitleFamilies,
    field_choices,
    subfield_choices,
)
from recommender.recommend.filters import SORTS, Filters
from recommender.recommend.recommender import chosen_field_tiers
from recommender.topics.families import in_family, title_family

from .conftest import SMALL_MODELS, make_corpus

QUERY = "python, sql, pandas"  # the data field's three titles (scientists, ML engineers, analysts) share it


def test_a_split_answer_offers_its_families(recommender: Any) -> None:
    result = recommender.recommend(recommender.vocabulary.parse(QUERY), k=10)
    keys = [c.key for c in result.fields]
    assert 2 <= len(keys) <= MAX_CHOICES and len(set(keys)) == len(keys)
    assert all(0 < c.share <= 1 for c in result.fields)
    assert [c.share for c in result.fields] == sorted((c.share for c in result.fields), reverse=True)
    for choice in result.fields:  # the label is a title of its family
        assert in_family(frozenset(title_family(choice.label, limit=None)), tuple(choice.key.split()))


def test_matches_of_one_family_offer_nothing() -> None:
    titles = ["Python-разработчик", "Senior Python Developer", "Разработчик Python", "Python-программист"] * 3
    voters = np.arange(len(titles))
    employers = np.arange(len(titles))
    assert field_choices(voters, titles, employers, TitleFamilies(titles)) == []
    mixed = titles[:6] + ["Системный аналитик", "Системный аналитик (BPMN)", "System analyst"] * 2
    offered = field_choices(np.arange(len(mixed)), mixed, np.arange(len(mixed)), TitleFamilies(mixed))
    assert [c.key for c in offered] == ["python разраб", "аналит систем"]  # word stems, sorted


def test_a_choice_ranks_its_family_first_and_names_it(recommender: Any) -> None:
    query = recommender.vocabulary.parse(QUERY)
    plain = recommender.recommend(query, k=10)
    for choice in plain.fields:
        chosen = recommender.recommend(query, k=5, field=choice.key)
        assert chosen.field == choice.key
        assert chosen.fields[: len(plain.fields)] == plain.fields  # the buttons stay as they were
        assert all(c.parent == choice.key for c in chosen.fields[len(plain.fields) :])  # then narrower ones
        words = tuple(choice.key.split())
        assert all(in_family(frozenset(title_family(v.title, limit=None)), words) for v in chosen.vacancies)
        assert chosen.specialization.label == choice.label
        assert chosen.skills_to_learn  # advice of the chosen family


def test_a_choice_leads_whatever_the_sort(recommender: Any) -> None:
    query = recommender.vocabulary.parse(QUERY)
    for sort in SORTS:
        plain = recommender.recommend(query, Filters(sort=sort), k=10)
        for choice in plain.fields:
            chosen = recommender.recommend(query, Filters(sort=sort), k=10, field=choice.key)
            families = [frozenset(title_family(v.title, limit=None)) for v in chosen.vacancies]
            inside = [in_family(f, tuple(choice.key.split())) for f in families]
            strong = [v.strong for v in chosen.vacancies]
            # the field's vacancies first, its strong ones (sharing a skill) before its others
            assert inside == sorted(inside, reverse=True), (sort, choice.key)
            assert strong == sorted(strong, reverse=True), sort
            assert all(i for i, s in zip(inside, strong, strict=True) if s), (sort, choice.key)


def test_within_a_chosen_field_its_vacancies_lead_those_of_other_fields() -> None:
    """A field's vacancy sharing no skill still comes before another field's sharing two: the
    student said which field they want; only the field's vacancies sharing one are strong."""
    shared = np.array([2, 0, 1, 0, 3])
    in_field = np.array([False, True, True, False, False])
    strong, weak = chosen_field_tiers(shared, in_field)
    assert strong.tolist() == [False, False, True, False, False]
    assert weak.tolist() == [True, True, False, False, True]


def test_a_chosen_field_offers_the_narrower_fields_its_matches_split_into() -> None:
    titles = ["Python-разработчик"] * 6 + ["Python-разработчик Django"] * 4 + ["Backend Python Developer"] * 4
    rows, employers = np.arange(len(titles)), np.arange(len(titles))
    narrower = subfield_choices(rows, "python разраб", employers, TitleFamilies(titles))
    assert [c.key for c in narrower] == ["django python разраб", "backend python разраб"]
    assert all(c.parent == "python разраб" for c in narrower)
    assert narrower[0].label == "Python-разработчик Django"
    # a family of another field is never offered as a narrower one
    assert subfield_choices(rows, "аналит систем", employers, TitleFamilies(titles)) == []


@pytest.fixture(scope="module")
def with_narrower() -> Any:
    """The test corpus with half its data analysts titled "Аналитик данных маркетплейсов"."""
    from recommender.train import fit_parts

    corpus = [
        replace(v, title=v.title + " маркетплейсов") if v.title == "Аналитик данных" and i % 2 else v
        for i, v in enumerate(make_corpus())
    ]
    return fit_parts(corpus, models=("nmf",), salary=False, model_params=SMALL_MODELS).recommenders["nmf"]


def test_a_narrower_field_is_offered_and_applies_within_its_parent(with_narrower: Any) -> None:
    query = with_narrower.vocabulary.parse(QUERY)
    plain = with_narrower.recommend(query, k=10)
    analysts = next(c for c in plain.fields if c.key == "аналит данн")
    within = with_narrower.recommend(query, k=10, field=analysts.key)
    narrower = [c for c in within.fields if c.parent]
    assert [c.key for c in narrower] == ["аналит данн маркет"] and narrower[0].parent == analysts.key
    assert narrower[0].label == "Аналитик данных маркетплейсов"
    chosen = with_narrower.recommend(query, k=10, field=narrower[0].key)
    assert chosen.field == narrower[0].key
    assert chosen.vacancies and all(v.title == "Аналитик данных маркетплейсов" for v in chosen.vacancies[:5])
    assert chosen.fields == within.fields  # the same buttons, to go back or to a sibling
    # remembered from that answer, it means nothing to a designer's
    designer = with_narrower.vocabulary.parse("figma, ux, прототипирование")
    assert with_narrower.recommend(designer, field=narrower[0].key).field is None
    # a narrower field of no vacancy is ignored
    assert with_narrower.recommend(query, k=10, field=analysts.key + " несуществ").field is None


def test_a_choice_reuses_the_query_scores(recommender: Any) -> None:
    query = recommender.vocabulary.parse(QUERY)
    recommender.recommend(query, k=5)
    first = recommender.cached_scores(query.skills)
    recommender.recommend(query, k=5, field=recommender.recommend(query).fields[0].key)
    assert recommender.cached_scores(query.skills)[0] is first[0]  # not scored again


def test_an_unknown_field_is_ignored(recommender: Any) -> None:
    query = recommender.vocabulary.parse(QUERY)
    plain = recommender.recommend(query, k=5)
    odd = recommender.recommend(query, k=5, field="несуществующая профессия")
    assert odd.field is None and [v.id for v in odd.vacancies] == [v.id for v in plain.vacancies]


def test_own_choice_is_the_most_specific_family_of_the_title() -> None:
    choices = [FieldChoice("аналит", "Аналитик", 0.3), FieldChoice("аналит данн", "Аналитик данных", 0.3)]
    assert own_choice(choices, "Ведущий аналитик данных").key == "аналит данн"
    assert own_choice(choices, "Data Scientist") is None


def test_choosing_the_own_field_raises_title_family_precision(recommender: Any) -> None:
    corpus = make_corpus()
    train, test = corpus[::2], corpus[1::2]
    queries, families = family_queries(recommender.vocabulary, corpus, test, max_queries=100)
    section = evaluate_field_choice(recommender, queries, families)
    assert section["queries"] > 0 and train
    assert section["chosen"] >= section["unchosen"]
    assert 0 < section["applied"] <= 1
    assert 0 <= section["own_narrower_offered"] <= section["own_offered"] <= section["offered"] <= 1
    assert section["chosen_from_buttons"] >= section["unchosen"]
