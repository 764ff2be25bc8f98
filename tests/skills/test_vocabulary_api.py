"""suggest, display, membership, size and pickling."""

from __future__ import annotations

import pickle

import pytest

from recommender.skills import SkillVocabulary
from recommender.skills.resources import load_resources
from recommender.skills.suggest import levenshtein, transliterate

SUGGESTIONS = [
    ("pyton", "python"),
    ("kubernets", "kubernetes"),
    ("джаваскрипт", "javascript"),
    ("javascrpt", "javascript"),
    ("postgre sql", "postgresql"),
    ("фигмаа", "figma"),
    ("blendr", "blender"),
]


@pytest.mark.parametrize(("term", "expected"), SUGGESTIONS)
def test_suggest_finds_the_closest_skill_first(vocab: SkillVocabulary, term: str, expected: str) -> None:
    assert vocab.suggest(term, n=3)[0] == expected


def test_suggest_respects_n_and_rejects_far_terms(vocab: SkillVocabulary) -> None:
    assert len(vocab.suggest("pyton", n=2)) <= 2
    assert vocab.suggest("qqqqqqqqqqzzzz") == []
    assert vocab.suggest("python", n=0) == []


def test_suggest_helpers() -> None:
    assert levenshtein("pyton", "python") == 1
    assert levenshtein("", "abc") == 3
    assert transliterate("джаваскрипт") == "javaskript"


DISPLAY = [
    ("postgresql", "PostgreSQL"),
    ("javascript", "JavaScript"),
    ("1с:предприятие", "1С:Предприятие"),
    ("figma", "Figma"),
    ("c++", "C++"),
    ("PostgreSQL", "PostgreSQL"),  # a display name given back maps to itself
]


@pytest.mark.parametrize(("skill", "expected"), DISPLAY)
def test_display_gives_the_human_spelling(vocab: SkillVocabulary, skill: str, expected: str) -> None:
    assert vocab.display(skill) == expected


def test_display_of_an_unknown_skill_is_the_skill_itself(vocab: SkillVocabulary) -> None:
    assert vocab.display("something new") == "something new"


def test_membership_and_size(vocab: SkillVocabulary) -> None:
    assert "python" in vocab
    assert "Python" in vocab
    assert "вышивание" not in vocab
    assert 42 not in vocab
    assert len(vocab) == len(vocab.skills) >= 300


def test_fields_and_sources(vocab: SkillVocabulary) -> None:
    assert vocab.field("figma") == "design"
    assert vocab.field("gpon") == "telecom"
    assert vocab.field("1с:зуп") == "1c"
    assert vocab.source("python") == "curated"
    assert vocab.canonical("k8s") == ["kubernetes"]
    assert vocab.canonical("c/c++") == ["c", "c++"]
    assert vocab.canonical("вышивание") == []


def test_curated_resource_is_large_enough() -> None:
    resources = load_resources()
    assert resources.alias_count >= 300
    fields = {skill.field for skill in resources.skills}
    assert {"design", "1c", "telecom", "marketing", "security", "embedded", "engineering"} <= fields
    assert {"трубопровод", "вахта", "развитие", "участие", "активность"} <= set(resources.stoplist)


def test_every_expansion_and_alias_resolves(vocab: SkillVocabulary) -> None:
    resources = load_resources()
    for name, targets in resources.expansions.items():
        assert vocab.canonical(name), name
        assert all(target.lower() in vocab for target in targets)
    aliases = [alias for skill in resources.skills for alias in skill.aliases]
    unresolved = [alias for alias in aliases if not vocab.canonical(alias)]
    assert unresolved == []


def test_pickle_round_trip_keeps_behaviour(vocab: SkillVocabulary) -> None:
    vocab.extract("python, sql")  # fill the caches: they must not break pickling
    restored = pickle.loads(pickle.dumps(vocab))
    text = "python3, k8s, джава, с++17, нейросетями, pyton"
    assert restored.extract(text) == vocab.extract(text)
    assert restored.suggest("pyton") == vocab.suggest("pyton")
    assert restored.display("postgresql") == "PostgreSQL"
    assert len(restored) == len(vocab)
