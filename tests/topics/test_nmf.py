"""NMF specifics: the report's defaults, the fast query path, tiny corpora."""

from __future__ import annotations

import time

import numpy as np
import pytest

from recommender.topics import NMFTopicModel
from recommender.topics.base import SkillTfidfEncoder, make_tfidf


def test_defaults_are_the_reports_settings():
    params = NMFTopicModel().get_params()
    assert params["n_components"] == 120
    assert params["max_features"] == 1000
    assert params["max_df"] == 0.997
    assert params["min_df"] == 0.003
    assert params["solver"] == "mu"
    assert params["beta_loss"] == "kullback-leibler"


def test_encoder_matches_sklearn_tfidf(corpus):
    vectorizer = make_tfidf(None, 1.0, 1)
    expected = vectorizer.fit_transform(corpus.docs).toarray()
    encoder = SkillTfidfEncoder(vectorizer)
    np.testing.assert_allclose(encoder.transform(corpus.docs).toarray(), expected, rtol=1e-5, atol=1e-7)


def test_fold_in_agrees_with_iterative_nmf_on_the_corpus(corpus):
    fold = NMFTopicModel(4).fit(corpus.docs)
    iterative = NMFTopicModel(4, transform_method="nmf").fit(corpus.docs)
    np.testing.assert_array_equal(fold.term_topic_, iterative.term_topic_)
    agreement = np.mean(fold.transform(corpus.docs).argmax(1) == iterative.transform(corpus.docs).argmax(1))
    assert agreement >= 0.95


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_single_query_transform_is_fast(corpus):
    # a vocabulary and topic count of the real model's size, fitted on a synthetic corpus
    rng = np.random.default_rng(0)
    terms = [f"skill{i}" for i in range(1000)]
    docs = [list(rng.choice(terms, size=8, replace=False)) for _ in range(3000)]
    model = NMFTopicModel(120, max_iter=20, min_df=1).fit(docs)
    query = [terms[1], terms[20], terms[300], "unknown"]
    model.transform([query])  # warm-up
    started = time.perf_counter()
    for _ in range(200):
        model.transform([query])
    per_query = (time.perf_counter() - started) / 200
    assert per_query < 0.005, f"{per_query * 1000:.2f} ms per query"


def test_more_components_than_terms_falls_back_to_random_init():
    docs = [["a", "b"], ["b", "c"], ["c", "a"]]
    model = NMFTopicModel(5, min_df=1, max_df=1.0).fit(docs)
    assert model.n_topics_ == 5
    assert model.transform(docs).shape == (3, 5)
