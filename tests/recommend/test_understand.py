"""Bundle.understand and Bundle.query_of_profile: the library's one reading of typed text and of
stored skills, on the small seeded corpus (tests/recommend/conftest.py)."""

from __future__ import annotations

import dataclasses
from typing import Any

from recommender.data.models import Vacancy


def test_a_skills_list_is_read_as_the_vocabulary_parses_it(parts: Any) -> None:
    understood = parts.understand("  python,\x00 sql ")
    # cleaned: a control character read as a space
    assert understood.query == parts.vocabulary.parse("python,  sql")
    assert understood.corrections == () and understood.title is None


def test_near_certain_typos_are_corrected_and_said(parts: Any) -> None:
    understood = parts.understand("javascrpt, html")
    assert [(c.term, c.skill) for c in understood.corrections] == [("javascrpt", "javascript")]
    assert set(understood.query.skills) == {"javascript", "html"} and not understood.query.unknown
    assert understood.query.text == "javascrpt, html"  # the text as typed, cleaned


def test_a_job_title_typed_alone_is_its_fields_skills(parts: Any, canonical: dict[str, set[str]]) -> None:
    understood = parts.understand("верстальщик")
    assert understood.title == "верстальщик" and understood.query.text == "верстальщик"
    assert len(understood.query.skills) >= 3 and set(understood.query.skills) <= canonical["frontend"]
    # a longer text is a skills list, never a title
    assert parts.understand("верстальщик без опыта работы в москве").title is None


def test_nothing_printable_is_an_empty_query(parts: Any) -> None:
    for text in ("", "  \x00\x07 ", None):
        understood = parts.understand(text)
        assert understood.query.text == "" and understood.query.empty and understood.title is None


def test_a_stored_profile_is_checked_against_the_bundle_and_keeps_its_typo_targets(parts: Any) -> None:
    query = parts.query_of_profile(
        ["python", "Figma", "no such skill"], "python, figmma", [("figmma", ["figma", "no such skill"])]
    )
    assert query.skills == ("python", "figma") and query.text == "python, figmma"
    assert [(u.term, u.suggestions) for u in query.unknown] == [("figmma", ["figma"])]
    assert query.typo_targets == {"figma"}
    assert parts.query_of_profile(["sql"]).text == parts.vocabulary.display("sql")


def test_an_updated_bundle_reads_titles_of_its_own_vacancies(parts: Any, corpus: list[Vacancy]) -> None:
    assert parts.understand("Испытатель").title is None  # read once: the index is built for this bundle
    testers = [
        dataclasses.replace(v, id=f"test-bench-{i}", title="Испытатель", url=f"https://hh.ru/vacancy/test-bench-{i}")
        for i, v in enumerate(v for v in corpus if v.id.startswith("embedded"))
    ][:6]
    updated = parts.updated(testers)
    understood = updated.understand("испытатель")
    assert understood.title == "испытатель" and understood.query.skills
    assert parts.understand("испытатель").title is None  # the bundle it came from is unchanged
