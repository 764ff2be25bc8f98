"""The three topic models on a seeded four-field corpus: contract, separation, determinism."""

from __future__ import annotations

import pickle
from collections import Counter

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from recommender.topics import ClusterTopicModel, LDATopicModel, NMFTopicModel, TopicModel

from .conftest import FIELDS

N_FIELDS = 4


def make_models() -> dict[str, TopicModel]:
    return {
        "nmf": NMFTopicModel(N_FIELDS, random_state=0),
        "nmf-iterative": NMFTopicModel(N_FIELDS, transform_method="nmf", random_state=0),
        "cluster": ClusterTopicModel(N_FIELDS, n_init=3, random_state=0),
        "cluster-nmf": ClusterTopicModel(N_FIELDS, space="nmf", nmf=NMFTopicModel(N_FIELDS), random_state=0),
        "cluster-onehot": ClusterTopicModel(N_FIELDS, membership="onehot", random_state=0),
        # passes kept low: 120 short docs converge quickly, and the suite must stay fast
        "lda": LDATopicModel(N_FIELDS, passes=10, no_below=2, random_state=0),
    }


@pytest.fixture(scope="module")
def fitted(corpus) -> dict[str, TopicModel]:
    return {name: model.fit(corpus.docs) for name, model in make_models().items()}


MODEL_NAMES = list(make_models())


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_fit_returns_self_and_sets_learned_attributes(corpus, name):
    model = make_models()[name]
    assert not hasattr(model, "term_topic_")
    assert model.fit(corpus.docs) is model
    assert model.n_topics_ == N_FIELDS
    assert model.term_topic_.shape == (len(model.vocabulary_), N_FIELDS)
    assert np.all(model.term_topic_ >= 0)
    np.testing.assert_allclose(model.term_topic_.sum(axis=0), 1.0, rtol=1e-4)
    assert {"react", "stm32", "1с", "figma"} <= set(model.vocabulary_)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_fields_share_a_dominant_topic_and_differ_from_each_other(corpus, fitted, name):
    doc_topic = fitted[name].transform(corpus.docs)
    assert doc_topic.shape == (len(corpus.docs), N_FIELDS)
    assert doc_topic.dtype == np.float32
    assert np.all(doc_topic >= 0)
    dominant = doc_topic.argmax(axis=1)
    field_topic = {}
    for field in set(corpus.fields):
        counts = Counter(int(t) for t, f in zip(dominant, corpus.fields, strict=True) if f == field)
        topic, count = counts.most_common(1)[0]
        assert count / sum(counts.values()) >= 0.9, (field, counts)
        field_topic[field] = topic
    assert len(set(field_topic.values())) == N_FIELDS, field_topic


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_same_seed_gives_the_same_model_and_output(corpus, fitted, name):
    again = make_models()[name].fit(corpus.docs)
    np.testing.assert_array_equal(again.term_topic_, fitted[name].term_topic_)
    np.testing.assert_array_equal(again.transform(corpus.docs), fitted[name].transform(corpus.docs))


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_transform_is_stable_across_calls_and_batch_sizes(corpus, fitted, name):
    model = fitted[name]
    batch = model.transform(corpus.docs[:10])
    one_by_one = np.vstack([model.transform([doc]) for doc in corpus.docs[:10]])
    np.testing.assert_allclose(one_by_one, batch, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(model.transform(corpus.docs[:10]), batch)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_empty_unknown_and_malformed_docs_give_zero_rows(fitted, name):
    model = fitted[name]
    rows = model.transform([[], ["совершенно неизвестный навык"], None, [None, 3]])  # type: ignore[list-item]
    assert rows.shape == (4, N_FIELDS)
    assert not rows.any()
    assert model.transform([]).shape == (0, N_FIELDS)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_a_short_query_lands_in_its_fields_topic(corpus, fitted, name):
    model = fitted[name]
    design_topic = Counter(
        int(t) for t, f in zip(model.transform(corpus.docs).argmax(axis=1), corpus.fields, strict=True)
        if f == "design"
    ).most_common(1)[0][0]
    query = model.transform([["figma", "photoshop"]])
    assert int(query.argmax()) == design_topic


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_top_terms_are_the_fields_skills(corpus, fitted, name):
    model = fitted[name]
    tops = [set(model.top_terms(t, n=4)) for t in range(model.n_topics_)]
    assert any(top <= set(FIELDS["design"]) for top in tops)
    assert any(top <= set(FIELDS["embedded"]) for top in tops)
    with pytest.raises(IndexError):
        model.top_terms(N_FIELDS)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_fitted_model_survives_pickling(corpus, fitted, name):
    restored = pickle.loads(pickle.dumps(fitted[name]))
    expected = fitted[name].transform(corpus.docs[:5])
    np.testing.assert_array_equal(restored.transform(corpus.docs[:5]), expected)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_follows_scikit_learn_parameter_conventions(name):
    model = make_models()[name]
    params = model.get_params(deep=False)
    assert params["random_state"] == 0
    cloned = clone(model)
    assert cloned.get_params(deep=False).keys() == params.keys()
    with pytest.raises(NotFittedError):
        model.transform([["react"]])


def test_bare_string_doc_is_one_skill(fitted):
    model = fitted["nmf"]
    np.testing.assert_array_equal(model.transform(["figma"]), model.transform([["figma"]]))


def test_bad_options_are_rejected(corpus):
    with pytest.raises(ValueError):
        NMFTopicModel(2, transform_method="magic").fit(corpus.docs)
    with pytest.raises(ValueError):
        ClusterTopicModel(2, space="words").fit(corpus.docs)
