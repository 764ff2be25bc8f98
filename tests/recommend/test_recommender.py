"""Recommender behaviour on the seeded five-field corpus (real vocabulary, real NMF)."""

from __future__ import annotations

import json

import pytest

from recommender.recommend import Filters

EMBEDDED_QUERY = "stm32, микроконтроллеры, uart"
DESIGN_QUERY = "figma, photoshop, ux"


def field(vacancy_id: str) -> str:
    return vacancy_id.split("-")[0]


def test_embedded_query_finds_embedded_vacancies_and_topic(recommender, canonical):
    result = recommender.recommend(recommender.vocabulary.parse(EMBEDDED_QUERY), k=5)
    assert result.skills_recognized, "the vocabulary should know stm32 and uart"
    assert [field(v.id) for v in result.vacancies] == ["embedded"] * 5
    top = [s.skill for s in result.specialization.top_skills[:5]]
    assert sum(s in canonical["embedded"] for s in top) >= 4, top
    first = result.vacancies[0]
    assert set(first.matched_skills) <= set(result.skills_recognized)
    assert not set(first.missing_skills) & set(result.skills_recognized)


def test_each_field_ranks_its_own_vacancies_first(recommender, corpus):
    for name in ("frontend", "1c", "design", "data"):
        skills = ", ".join(
            v for v in [*dict.fromkeys(s for x in corpus if field(x.id) == name for s in x.key_skills)][:3]
        )
        result = recommender.recommend(recommender.vocabulary.parse(skills), k=5)
        assert [field(v.id) for v in result.vacancies] == [name] * 5, (name, skills)


def test_skills_to_learn_come_from_the_field_and_exclude_known(recommender, canonical):
    result = recommender.recommend(recommender.vocabulary.parse(DESIGN_QUERY), k=5)
    advice = [s.skill for s in result.skills_to_learn]
    assert advice
    assert not set(advice) & set(result.skills_recognized)
    design = [s for s in advice[:5] if s in canonical["design"]]
    assert len(design) >= 4, advice
    assert all(0.0 <= s.share <= 1.0 for s in result.skills_to_learn)
    # shown in order of the share it prints
    assert [s.share for s in result.skills_to_learn] == sorted(
        (s.share for s in result.skills_to_learn), reverse=True
    )


def test_results_are_deterministic(recommender):
    first = json.dumps(
        recommender.recommend(recommender.vocabulary.parse(EMBEDDED_QUERY), k=10).to_dict(),
        ensure_ascii=False,
    )
    for _ in range(3):
        assert (
            json.dumps(
                recommender.recommend(recommender.vocabulary.parse(EMBEDDED_QUERY), k=10).to_dict(),
                ensure_ascii=False,
            )
            == first
        )


def test_no_known_skill_gives_empty_result_with_suggestions(recommender):
    result = recommender.recommend(recommender.vocabulary.parse("фиигма, джавасрипт"), k=5)
    assert result.skills_recognized == []
    assert result.vacancies == [] and result.skills_to_learn == [] and result.specialization is None
    assert [u.term for u in result.unknown_terms]
    assert any(u.suggestions for u in result.unknown_terms), result.unknown_terms


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        ",,,;;",
        "🙂🙂🙂",
        "a" * 100_000,
        "\x00\x01\x02",
        "SELECT * FROM users; --",
        "<script>alert(1)</script>",
        "1" * 50,
        "python " * 5000,
        None,
        12345,
        "c++, c#, .net, 1с, c/c++",
        "ПИТОН, СКЛ",
    ],
)
def test_nasty_inputs_never_raise(recommender, text):
    result = recommender.recommend(recommender.vocabulary.parse(text), k=5)
    payload = result.to_dict()
    assert set(payload) >= {"query", "skills_recognized", "vacancies", "skills_to_learn", "unknown_terms"}
    json.dumps(payload, ensure_ascii=False)


@pytest.mark.parametrize("k", [0, -3, 1, 1000])
def test_k_is_clamped(recommender, k):
    result = recommender.recommend(recommender.vocabulary.parse(EMBEDDED_QUERY), k=k)
    assert 0 <= len(result.vacancies) <= max(0, min(k, 100))


def test_area_schedule_experience_filters(recommender):
    query = recommender.vocabulary.parse(EMBEDDED_QUERY)
    moscow = recommender.recommend(query, Filters(area="Москва"), k=5)
    assert moscow.vacancies and all(v.area == "Москва" for v in moscow.vacancies)
    by_id = recommender.recommend(query, Filters(area="2"), k=5)
    assert by_id.vacancies and all(v.area == "Санкт-Петербург" for v in by_id.vacancies)
    remote = recommender.recommend(query, Filters(schedule="remote", experience="noExperience"), k=5)
    assert remote.vacancies
    assert all(v.schedule == "remote" and v.experience == "noExperience" for v in remote.vacancies)
    nowhere = recommender.recommend(query, Filters(area="Атлантида"), k=5)
    assert nowhere.vacancies == [] and nowhere.total_vacancies == 0
    assert nowhere.skills_recognized  # the query itself was understood


def test_near_duplicates_are_shown_once(recommender):
    result = recommender.recommend(recommender.vocabulary.parse(EMBEDDED_QUERY), k=30)
    keys = [(v.title.lower(), v.employer.lower()) for v in result.vacancies]
    assert len(keys) == len(set(keys))


def test_paging_continues_without_repeats(recommender):
    first = recommender.recommend(recommender.vocabulary.parse(EMBEDDED_QUERY), k=5)
    second = recommender.recommend(recommender.vocabulary.parse(EMBEDDED_QUERY), k=5, offset=5)
    both = recommender.recommend(recommender.vocabulary.parse(EMBEDDED_QUERY), k=10)
    assert [v.id for v in first.vacancies + second.vacancies] == [v.id for v in both.vacancies]
    assert first.total_vacancies >= 10


def test_vacancy_fields_are_filled(recommender):
    result = recommender.recommend(recommender.vocabulary.parse(EMBEDDED_QUERY), k=10)
    for v in result.vacancies:
        assert v.url == f"https://hh.ru/vacancy/{v.id}"
        assert v.title and v.employer and v.area
        assert (v.salary is None) == (v.pay is None)
    assert any(v.salary for v in result.vacancies)
    assert all(a.score >= b.score for a, b in zip(result.vacancies, result.vacancies[1:], strict=False))
