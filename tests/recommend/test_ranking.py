"""Rank once, filter many times: an answer's parts come from one ``Ranking``, and re-filtering or
paging it gives what a fresh recommender answers, without ranking the corpus again."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from counting_recommender import CountingRecommender, fresh

from recommender.recommend import Filters

QUERIES = ("stm32, микроконтроллеры, uart", "figma, photoshop, ux", "python, sql, pandas", "react, css", "1с")
FILTERS = (
    Filters(),
    Filters(area="Москва"),
    Filters(experience="noExperience", sort="date"),
    Filters(area="Новосибирск", schedule="remote", sort="salary"),
    Filters(area="Санкт-Петербург", experience="between1And3"),
)
TODAY = date(2026, 1, 15)


def test_one_ranking_refiltered_and_paged_answers_as_a_fresh_recommender(recommender: Any) -> None:
    reused = fresh(recommender)
    for text in QUERIES:
        query = reused.vocabulary.parse(text)
        ranking = reused.rank(query)
        assert ranking is not None
        for filters in FILTERS:
            for offset in (0, 5):
                listing = reused.vacancies(ranking, filters, 5, offset=offset, today=TODAY)
                answer = reused.recommendation(query, ranking, listing).to_dict()
                # a new recommender for each answer: no ranking, tier or order kept from another
                expected = fresh(recommender).recommend(query, filters, 5, offset=offset, today=TODAY)
                assert answer == expected.to_dict(), (text, filters, offset)


def test_the_parts_are_those_of_the_whole_answer(recommender: Any) -> None:
    for text in QUERIES:
        query = recommender.vocabulary.parse(text)
        whole = fresh(recommender).recommend(query, k=5)
        ranking = fresh(recommender).rank(query)
        assert ranking is not None and whole.vacancies
        assert ranking.specialization == whole.specialization
        assert ranking.skills_to_learn == whole.skills_to_learn
        assert ranking.fields == whole.fields
        assert list(ranking.skills) == whole.skills_recognized
        assert recommender.recognized(query) == ranking.skills


def test_a_chosen_field_is_ranked_once_and_its_pages_reuse_it(recommender: Any) -> None:
    counting = fresh(recommender, CountingRecommender)
    query = counting.vocabulary.parse("python, sql, pandas")
    choices = counting.recommend(query).fields
    field = choices[0].key if choices else None
    first = counting.recommend(query, k=5, field=field)
    before = dict(counting.calls)
    pages = [counting.recommend(query, FILTERS[1], k=5, offset=5 * page, field=field) for page in range(1, 4)]
    assert counting.calls == before  # every page: the kept ranking, its parts and tiers
    assert pages[0].specialization == first.specialization and pages[0].field == first.field


def test_no_known_skill_has_no_ranking(recommender: Any) -> None:
    query = recommender.vocabulary.parse("фиигма, джавасрипт")
    assert recommender.rank(query) is None
    answer = recommender.recommendation(query, None)
    assert answer.skills_recognized == [] and answer.vacancies == [] and answer.unknown_terms


def test_a_warmed_recommender_answers_as_a_cold_one(recommender: Any) -> None:
    warmed = fresh(recommender).warm()
    for text in QUERIES:
        query = recommender.vocabulary.parse(text)
        for filters in FILTERS[:3]:
            expected = fresh(recommender).recommend(query, filters, 5, today=TODAY).to_dict()
            assert warmed.recommend(query, filters, 5, today=TODAY).to_dict() == expected, (text, filters)


def test_other_weights_rank_with_their_own_scores(recommender: Any) -> None:
    """The ablation's copy answers with its weights, never from the kept rankings of the original."""
    original = fresh(recommender)
    query = original.vocabulary.parse("python, sql, pandas")
    kept = original.recommend(query, k=10)
    params = dataclasses.replace(original.params, topic_weight=0.0, title_topic_weight=0.0)
    ablated = original.with_params(params).recommend(query, k=10)
    scratch = fresh(recommender)
    scratch.params = params
    assert ablated.to_dict() == scratch.recommend(query, k=10).to_dict()
    assert [v.score for v in ablated.vacancies] != [v.score for v in kept.vacancies]
    assert original.recommend(query, k=10).to_dict() == kept.to_dict()  # the original's untouched


def test_fewer_rankings_are_kept_over_a_larger_corpus() -> None:
    from recommender.recommend.recommender import MAX_KEPT, MIN_KEPT, kept_entries

    assert kept_entries(100) == kept_entries(106_309) == MAX_KEPT
    assert kept_entries(300_000) == 3
    assert kept_entries(1_000_000) == kept_entries(5_000_000) == MIN_KEPT


def test_field_masks_kept_are_bounded() -> None:
    from recommender.recommend.choices import MAX_FIELD_MASKS, TitleFamilies, choice_key

    families = TitleFamilies(["Python-разработчик", "Бухгалтер", "Системный аналитик"])
    key = choice_key("Python-разработчик")
    first = families.rows(key)
    assert first.tolist() == [True, False, False]
    for n in range(MAX_FIELD_MASKS + 10):
        families.rows(f"слово{n} другое{n}")
    assert len(families._rows) == MAX_FIELD_MASKS
    assert families.rows(key).tolist() == first.tolist()  # read again when asked
