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


def test_one_employer_repeating_a_posting_is_one_voice_in_the_specialization(recommender):
    """Copies of one employer's posting (one per city) outvoted postings of the field by
    different employers; the copies now count as at most ``neighbour_employer_cap``."""
    import copy
    import dataclasses

    import numpy as np

    employers = recommender.index.employer_codes
    dominant = recommender.dominant_rows()
    cap = recommender.params.neighbour_employer_cap
    copy_topic, field_topic = sorted({int(t) for t in dominant if t >= 0})[:2]
    copies = np.flatnonzero(dominant == copy_topic)
    one_employer = copies[employers[copies] == employers[copies[0]]]
    field = np.flatnonzero(dominant == field_topic)
    field = field[np.unique(employers[field], return_index=True)[1]][:5]  # one posting per employer
    assert one_employer.size > cap + 0.5 and field.size == 5
    scores = np.zeros(len(recommender.index), dtype=np.float32)
    scores[one_employer] = 1.0
    scores[field] = (cap + 0.5) / field.size  # the field's five outweigh three copies, not all of them

    def voted(rec):
        return int(np.argmax(rec.specialization_vector(np.zeros_like(rec.doc_topic[0]), scores)))

    assert voted(recommender) == field_topic
    uncapped = copy.copy(recommender)
    uncapped.params = dataclasses.replace(recommender.params, neighbour_employer_cap=10**6)
    assert voted(uncapped) == copy_topic  # the case the cap is for


def test_an_index_pickled_before_it_kept_cleaned_titles_names_fields_alike(recommender):
    """Titles are cleaned once when the index is built; an older bundle's index, without them,
    cleans each title when an answer first reads it, to the same labels."""
    import copy
    import pickle

    from recommender.topics.labels import clean_title

    index = recommender.index
    assert index.clean_titles == [clean_title(title) for title in index.titles]
    state = index.__getstate__()
    del state["clean_titles"]
    older = pickle.loads(pickle.dumps(index))
    older.__setstate__(state)
    assert older.clean_titles is None
    before = copy.copy(recommender)
    before.index, before._titled_cache = older, {}
    for text in ("figma, sketch", "stm32, uart, i2c", "figma, stm32"):
        query = recommender.vocabulary.parse(text)
        now, then = recommender.recommend(query, k=3), before.recommend(query, k=3)
        assert now.specialization.label == then.specialization.label
        assert now.specialization.second == then.specialization.second
