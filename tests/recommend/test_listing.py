"""How an answer lists vacancies: dates, archive, employment and salary filters, hidden
vacancies, the three sorts, weaker matches after strong ones, and ranking over other vacancies."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from recommender.data.models import Vacancy
from recommender.recommend import Filters
from recommender.recommend.recommender import RECENT_DAYS

from .conftest import SMALL_MODELS, make_corpus

QUERY = "c, stm32, микроконтроллеры, uart"
NEWEST = datetime(2021, 11, 30, 12, 0)
EMPLOYMENTS = ("full", "part", "probation", "project")


def dated(vacancies: list[Vacancy]) -> list[Vacancy]:
    """Each vacancy a day older than the previous one, every 10th archived, employments cycling."""
    return [
        dataclasses.replace(
            v,
            published_at=NEWEST - timedelta(days=i % 60),
            archived=i % 10 == 9,
            employment=EMPLOYMENTS[i % len(EMPLOYMENTS)],
        )
        for i, v in enumerate(vacancies)
    ]


@pytest.fixture(scope="module")
def listing() -> tuple[Any, list[Vacancy]]:
    from recommender.train import fit_parts

    corpus = dated(make_corpus())
    parts = fit_parts(corpus, models=("nmf",), salary=False, model_params=SMALL_MODELS)
    return parts.recommenders["nmf"], corpus


def test_dates_and_employment_are_shown_and_archived_never(listing: tuple[Any, list[Vacancy]]) -> None:
    recommender, corpus = listing
    by_id = {v.id: v for v in corpus}
    result = recommender.recommend(recommender.vocabulary.parse(QUERY), k=40)
    assert result.vacancies
    for match in result.vacancies:
        source = by_id[match.id]
        assert not source.archived
        assert source.published_at is not None
        assert match.published_at == source.published_at.date().isoformat()
        assert match.employment == source.employment
    assert recommender.index.period() == (
        min(v.published_at for v in corpus if v.published_at).date(),
        NEWEST.date(),
    )


def test_employment_salary_and_minimum_filters(listing: tuple[Any, list[Vacancy]]) -> None:
    recommender, _ = listing
    part = recommender.recommend(recommender.vocabulary.parse(QUERY), Filters(employment="part"), k=20)
    assert part.vacancies and all(v.employment == "part" for v in part.vacancies)
    paid = recommender.recommend(recommender.vocabulary.parse(QUERY), Filters(with_salary=True), k=20)
    assert paid.vacancies and all(v.salary for v in paid.vacancies)
    rich = recommender.recommend(recommender.vocabulary.parse(QUERY), Filters(min_salary=80_000), k=20)
    assert rich.vacancies and all(v.salary and v.salary >= 80_000 for v in rich.vacancies)
    assert rich.total_vacancies < paid.total_vacancies


def test_hidden_vacancies_are_left_out(listing: tuple[Any, list[Vacancy]]) -> None:
    recommender, _ = listing
    first = recommender.recommend(recommender.vocabulary.parse(QUERY), k=5)
    hidden = {first.vacancies[0].key, first.vacancies[2].key}
    again = recommender.recommend(recommender.vocabulary.parse(QUERY), k=5, exclude_keys=hidden)
    assert hidden.isdisjoint(v.key for v in again.vacancies)
    assert again.vacancies[0].id == first.vacancies[1].id


def test_sorts_order_strong_matches_by_salary_and_date(listing: tuple[Any, list[Vacancy]]) -> None:
    recommender, _ = listing
    by_salary = recommender.recommend(recommender.vocabulary.parse(QUERY), Filters(sort="salary"), k=10)
    salaries = [v.salary or 0 for v in by_salary.vacancies]
    assert salaries == sorted(salaries, reverse=True) and salaries[0] > 0
    by_date = recommender.recommend(recommender.vocabulary.parse(QUERY), Filters(sort="date"), k=10)
    dates = [v.published_at for v in by_date.vacancies]
    assert dates == sorted(dates, reverse=True)
    relevance = recommender.recommend(recommender.vocabulary.parse(QUERY), k=10)
    # every sort lists strong matches only while there are enough of them
    assert by_date.total_vacancies >= 10
    assert all(v.strong for v in by_salary.vacancies + by_date.vacancies + relevance.vacancies)


def test_weaker_matches_follow_the_strong_ones(listing: tuple[Any, list[Vacancy]]) -> None:
    recommender, _ = listing
    result = recommender.recommend(recommender.vocabulary.parse("c, git"), k=100)
    assert result.total_candidates > result.total_vacancies > 0
    strong = [v.strong for v in result.vacancies]
    assert strong == sorted(strong, reverse=True)  # no strong match after a weak one
    assert sum(strong) == min(result.total_vacancies, len(strong))
    # strong: both skills in ✓, or the field's title and one; a vacancy with a ✓ above any without
    label_words = set(result.specialization.label.lower().split())
    for match in result.vacancies:
        titled = label_words <= set(match.title.lower().replace("-", " ").split())
        assert match.strong == (len(match.matched_skills) >= 2 or (titled and len(match.matched_skills) >= 1))
    ticked = [bool(v.matched_skills) for v in result.vacancies]
    assert ticked == sorted(ticked, reverse=True)
    assert len(result.vacancies) >= min(result.total_candidates, 100) - 5  # near-duplicates skipped


def test_freshness_breaks_near_ties(listing: tuple[Any, list[Vacancy]]) -> None:
    recommender, _ = listing
    flat = dataclasses.replace(recommender.params, freshness_weight=0.0)
    fresh_first = recommender.recommend(recommender.vocabulary.parse(QUERY), k=10)
    plain = type(recommender)(
        name="plain",
        vocabulary=recommender.vocabulary,
        topic_model=recommender.topic_model,
        index=recommender.index,
        doc_topic=recommender.doc_topic,
        topic_labels=recommender.topic_labels,
        topic_shares=recommender.topic_shares,
        params=flat,
    ).recommend(recommender.vocabulary.parse(QUERY), k=10)
    plain_scores = [v.score for v in plain.vacancies]
    assert plain_scores == sorted(plain_scores, reverse=True)
    weight = recommender.params.freshness_weight
    pairs = list(zip(fresh_first.vacancies, fresh_first.vacancies[1:], strict=False))
    inverted = [(a, b) for a, b in pairs if a.score < b.score]
    assert inverted, "the fixture has near ties a fresher vacancy wins"
    # only close scores are reordered, and always in favour of the fresher vacancy
    assert all(b.score - a.score <= weight and a.published_at > b.published_at for a, b in inverted)


def test_recommender_over_fresh_vacancies(tmp_path: Any) -> None:
    from recommender.bundle import load_bundle
    from recommender.train import train_bundle

    corpus = make_corpus()
    train_bundle(corpus, tmp_path, models=("nmf",), salary=False, model_params=SMALL_MODELS)
    bundle = load_bundle(tmp_path)
    fields = ("embedded", "design")
    fresh = [dataclasses.replace(v, id=f"new-{v.id}", url="") for v in corpus if v.id.startswith(fields)]
    over = bundle.recommender_over(fresh)
    result = over.recommend(bundle.understand(QUERY).query, Filters(area="Москва"), k=5)
    assert result.vacancies and all(v.id.startswith("new-embedded") for v in result.vacancies)
    assert all(v.area == "Москва" for v in result.vacancies)
    assert result.specialization is not None
    assert bundle.recommender_over([]).recommend(bundle.understand(QUERY).query, k=5).vacancies == []


def _recent(match: Any, today: date) -> bool:
    return today - date.fromisoformat(match.published_at) < timedelta(days=RECENT_DAYS)


def test_recent_strong_matches_lead_older_better_ones(listing: tuple[Any, list[Vacancy]]) -> None:
    recommender, _ = listing
    today = NEWEST.date() + timedelta(days=25)  # only the corpus's newest five days are recent
    query = recommender.vocabulary.parse(QUERY)
    k = min(40, recommender.recommend(query, k=1).total_vacancies)  # the strong matches only
    plain = recommender.recommend(query, k=k)
    result = recommender.recommend(query, k=k, today=today)
    assert k >= 10 and all(v.strong for v in result.vacancies)
    recent = [_recent(v, today) for v in result.vacancies]
    assert 0 < sum(recent) < len(recent)
    assert recent == sorted(recent, reverse=True)  # every recent strong match before every older one
    # by relevance among themselves: the recent ones in the order the plain answer gives them
    plain_recent = [v.id for v in plain.vacancies if _recent(v, today)]
    assert [v.id for v in result.vacancies if _recent(v, today)][: len(plain_recent)] == plain_recent[
        : sum(recent)
    ]
    first_old = result.vacancies[sum(recent)]
    assert first_old.score > result.vacancies[0].score  # a better-scored old match now follows
    assert not _recent(plain.vacancies[0], today)  # and it led before


def test_a_recent_weak_match_never_leads_an_old_strong_one(listing: tuple[Any, list[Vacancy]]) -> None:
    recommender, _ = listing
    today = NEWEST.date() + timedelta(days=25)
    result = recommender.recommend(recommender.vocabulary.parse("c, git"), k=100, today=today)
    strong = [v.strong for v in result.vacancies]
    assert strong == sorted(strong, reverse=True)
    assert any(not v.strong and _recent(v, today) for v in result.vacancies)
    assert any(v.strong and not _recent(v, today) for v in result.vacancies)


def test_without_a_today_or_a_recent_vacancy_the_order_is_unchanged(
    listing: tuple[Any, list[Vacancy]],
) -> None:
    recommender, _ = listing
    query = recommender.vocabulary.parse("c, git")
    plain = [v.id for v in recommender.recommend(query, k=60).vacancies]
    assert [v.id for v in recommender.recommend(query, k=60, today=None).vacancies] == plain
    long_after = NEWEST.date() + timedelta(days=400)  # nothing recent: nothing moves
    assert [v.id for v in recommender.recommend(query, k=60, today=long_after).vacancies] == plain
    # the date and salary sorts ignore it: they already say what they order by
    for sort in ("date", "salary"):
        by = Filters(sort=sort)
        assert [v.id for v in recommender.recommend(query, by, k=30).vacancies] == [
            v.id for v in recommender.recommend(query, by, k=30, today=NEWEST.date()).vacancies
        ]
