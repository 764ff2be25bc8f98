"""SkillVocabulary.parse: a query parsed once, with one length cap."""

from __future__ import annotations

import pytest

from recommender.skills import MAX_QUERY_CHARS, Query, SkillVocabulary


def test_parse_gives_canonical_skills_unknown_terms_and_cleaned_text(vocab: SkillVocabulary) -> None:
    query = vocab.parse("  Python,\x00 постгрес, квантовая левитация  ")
    assert isinstance(query, Query)
    assert query.text.startswith("Python,") and "\x00" not in query.text
    assert "python" in query.skills and "postgresql" in query.skills
    assert [u.term for u in query.unknown] and not query.truncated


def test_suggestions_are_deterministic(vocab: SkillVocabulary) -> None:
    first = vocab.parse("pyton, figmma")
    again = SkillVocabulary.default().parse("pyton, figmma")
    assert first == again
    assert any("python" in u.suggestions for u in first.unknown)


def test_one_cap_for_every_input(vocab: SkillVocabulary) -> None:
    query = vocab.parse("python, " * 1000)
    assert len(query.text) == MAX_QUERY_CHARS and query.truncated
    assert query.skills == ("python",)


@pytest.mark.parametrize("bad", [None, 42, "", "   ", "\x00\x01"])
def test_bad_input_is_an_empty_query(vocab: SkillVocabulary, bad: object) -> None:
    query = vocab.parse(bad)
    assert query.empty and query.text == "" and not query.unknown


def test_query_of_stored_skills_does_not_reparse_text(vocab: SkillVocabulary) -> None:
    query = vocab.query_of(["postgresql", "Python", "no such skill"])
    assert query.skills == ("postgresql", "python")
    assert query.text == "PostgreSQL, Python"


@pytest.mark.parametrize(
    ("term", "first", "never"),
    [
        # a word of a longer skill, not a string that merely looks alike
        ("переводы", "письменный перевод", "ведение переговоров"),
        ("pyton", "python", None),
        # a word only loosely alike is no suggestion
        ("учитель", None, "желание учиться новому"),
    ],
)
def test_did_you_mean_reads_the_words_of_longer_skills(
    term: str, first: str | None, never: str | None
) -> None:
    from recommender.skills.suggest import SuggestIndex

    skills = ["ведение переговоров", "письменный перевод", "python", "желание учиться новому", "figma"]
    suggested = SuggestIndex([(skill, skill) for skill in skills]).suggest(term)
    assert (suggested[0] if suggested else None) == first
    assert never not in suggested
