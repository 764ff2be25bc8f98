"""Which specialization a query gets: one field, or two when the query sits between them."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("query", "first", "second"),
    [
        ("figma, sketch", "design", None),
        ("stm32, uart, i2c", "embedded", None),
        ("figma, stm32", {"design", "embedded"}, {"design", "embedded"}),
    ],
)
def test_a_query_between_two_fields_shows_both(recommender, canonical, query, first, second):
    spec = recommender.recommend(recommender.vocabulary.parse(query), k=3).specialization
    assert spec is not None

    def field_of(s):
        top = {item.skill for item in s.top_skills[:5]}
        return max(canonical, key=lambda f: len(top & canonical[f]))

    if isinstance(first, set):
        assert {field_of(spec), field_of(spec.second)} == first
        assert spec.second.label != spec.label and spec.second.score <= spec.score
    else:
        assert field_of(spec) == first
        assert spec.second is None


def test_the_second_specialization_is_in_the_json(recommender):
    data = recommender.recommend(recommender.vocabulary.parse("figma, stm32"), k=1).to_dict()
    assert data["specialization"]["second"]["label"]
