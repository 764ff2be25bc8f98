"""The reading of typed text that needs no corpus: near-certain corrections, typo targets, titles."""

from __future__ import annotations

from recommender.skills.query import Query, UnknownTerm
from recommender.skills.understand import (
    MIN_HEADED,
    TitleIndex,
    autocorrect,
    title_stems,
    without_job_titles,
)


def test_autocorrect_applies_only_a_single_one_edit_suggestion() -> None:
    query = Query(
        text="pyton, постгря, sqll",
        skills=("pandas",),
        unknown=(
            UnknownTerm("pyton", ["python", "gpon", "pytorch"]),
            UnknownTerm("постгря", ["postgresql", "postman"]),
            UnknownTerm("sqll", ["sql", "sqlite"]),
        ),
    )
    corrected, corrections = autocorrect(query, lambda s: {"python": "Python", "sql": "SQL"}.get(s, s))
    assert [(c.term, c.skill) for c in corrections] == [("pyton", "python"), ("sqll", "sql")]
    assert corrected.skills == ("pandas", "python", "sql")
    assert [u.term for u in corrected.unknown] == ["постгря"]
    # what the user probably meant by the typo left unknown stays on the query
    assert corrected.typo_targets == {"postgresql"}


def test_nothing_to_correct_leaves_the_query_as_it_was() -> None:
    query = Query(text="кв", unknown=(UnknownTerm("кв", ["кд"]),))  # too short to correct unasked
    assert autocorrect(query, str) == (query, ())
    assert query.typo_targets == {"кд"}


def test_titles_beginning_with_the_word_name_the_job_when_there_are_enough() -> None:
    titles = ["Бухгалтер"] * MIN_HEADED + ["Главный бухгалтер", "Программист 1С: Бухгалтерия"]
    index = TitleIndex(titles)
    assert index.rows_named(title_stems("бухгалтер")) == set(range(MIN_HEADED))
    few = TitleIndex(titles[MIN_HEADED - 1 :])  # one title beginning with it: every title with it counts
    assert few.rows_named(title_stems("бухгалтер")) == {0, 1, 2}
    assert not index.rows_named(title_stems("сварщик"))


def test_a_job_title_typed_beside_skills_is_not_reported_unknown() -> None:
    query = Query(
        text="teacher, english, qwzx",
        skills=("английский язык",),
        unknown=(UnknownTerm("teacher", ["rancher"]), UnknownTerm("qwzx", [])),
    )
    # "teacher" names the education sector's field; "qwzx" names nothing and stays unknown
    assert [u.term for u in without_job_titles(query).unknown] == ["qwzx"]
    assert without_job_titles(query).skills == query.skills
