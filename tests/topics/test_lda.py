"""LDA specifics: phrases, perplexity, coherence and the topic-count search."""

from __future__ import annotations

import math

import numpy as np
import pytest

from recommender.topics import (
    LDATopicModel,
    NMFTopicModel,
    model_coherence,
    search_topic_count,
    topic_coherence,
)
from recommender.topics.lda import PHRASE_DELIMITER

from .conftest import FIELDS, make_corpus

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def lda(corpus) -> LDATopicModel:
    return LDATopicModel(4, passes=10, no_below=2, random_state=0).fit(corpus.docs)


def test_defaults_are_the_reports_settings():
    params = LDATopicModel().get_params()
    assert (params["num_topics"], params["eta"], params["alpha"]) == (64, 0.8, "auto")
    assert (params["chunksize"], params["passes"], params["update_every"]) == (100, 5, 1)


def test_phrases_join_skills_that_always_come_together():
    # "html" is always followed by "css": Phrases should make one token of them
    docs = [["html", "css", "react"], ["html", "css", "vue.js"], ["figma", "photoshop"], ["figma", "3d"]] * 20
    model = LDATopicModel(2, phrase_min_count=2, phrase_threshold=0.1, no_below=1, passes=2).fit(docs)
    assert f"html{PHRASE_DELIMITER}css" in model.tokens([["html", "css", "react"]])[0]
    # the public vocabulary stays in single skills, and the phrase weight is credited to both
    assert "html" in model.vocabulary_ and "css" in model.vocabulary_
    assert not any(PHRASE_DELIMITER in term for term in model.vocabulary_)


def test_without_phrases_tokens_are_the_skills(corpus):
    model = LDATopicModel(4, phrases=False, passes=2, no_below=2).fit(corpus.docs)
    assert model.tokens(corpus.docs[:3]) == corpus.docs[:3]
    assert len(model.vocabulary_) == len(model.dictionary_)


def test_doc_topic_rows_are_distributions(corpus, lda):
    doc_topic = lda.transform(corpus.docs)
    np.testing.assert_allclose(doc_topic.sum(axis=1), 1.0, rtol=1e-5)


def test_perplexity_is_finite_and_lower_on_its_own_fields_than_on_shuffled_docs(corpus, lda):
    own = lda.perplexity(corpus.docs)
    rng = np.random.default_rng(0)
    all_skills = sorted({s for skills in FIELDS.values() for s in skills})
    shuffled = [list(rng.choice(all_skills, size=5, replace=False)) for _ in range(60)]
    mixed = lda.perplexity(shuffled)
    assert math.isfinite(own) and own > 1
    assert own < mixed
    assert math.isnan(lda.perplexity([[], ["неизвестно"]]))


def test_coherence_is_higher_for_the_fitted_topics_than_for_mixed_ones(corpus, lda):
    fitted_cv = lda.coherence(corpus.docs, "c_v")
    fitted_npmi = lda.coherence(corpus.docs, "c_npmi")
    # topics that each take one skill from every field do not co-occur at all
    fields = list(FIELDS.values())
    mixed = [[skills[i] for skills in fields] for i in range(4)]
    mixed_npmi = topic_coherence(mixed, corpus.docs, measure="c_npmi").score
    assert 0 < fitted_cv <= 1
    assert fitted_npmi > 0.05
    assert mixed_npmi < 0 < fitted_npmi


def test_model_coherence_scores_any_model(corpus):
    nmf = NMFTopicModel(4).fit(corpus.docs)
    result = model_coherence(nmf, corpus.docs, measure="c_npmi", topn=5)
    assert len(result.per_topic) == 4
    assert result.score > 0.2


def test_topics_with_unknown_terms_are_skipped_not_fatal(corpus):
    result = topic_coherence([["react", "css"], ["нет", "таких"], ["figma"]], corpus.docs, measure="c_npmi")
    assert math.isfinite(result.per_topic[0])
    assert math.isnan(result.per_topic[1]) and math.isnan(result.per_topic[2])
    assert result.score == result.per_topic[0]


def test_search_picks_a_count_from_the_grid_and_plots_it(tmp_path):
    corpus = make_corpus(per_field=25, seed=3)
    grid = [2, 4, 8]
    search = search_topic_count(
        corpus.docs, grid, measure="c_npmi", sample_size=None, coherence_sample=None,
        plot_path=tmp_path / "coherence.png", passes=8, no_below=2, random_state=0,
    )
    assert search.counts == grid
    assert len(search.scores) == len(grid) and all(math.isfinite(s) for s in search.scores)
    assert search.best_count in grid
    assert search.scores[grid.index(search.best_count)] == max(search.scores)
    # four real fields: two topics must mix them, so it can't be the most coherent count
    assert search.best_count != 2
    assert search.best_model is not None and search.best_model.n_topics_ == search.best_count
    assert search.plot_path is not None and search.plot_path.read_bytes().startswith(PNG_SIGNATURE)
    assert search.to_dict()["best_count"] == search.best_count


def test_search_with_c_v_runs_on_a_sample(tmp_path, corpus):
    search = search_topic_count(
        corpus.docs, [3, 4], sample_size=80, coherence_sample=60, passes=4, no_below=2,
        plot_path=tmp_path / "cv.png",
    )
    assert search.measure == "c_v"
    assert search.best_count in (3, 4)
    assert (tmp_path / "cv.png").exists()


def test_search_needs_a_grid(corpus):
    with pytest.raises(ValueError):
        search_topic_count(corpus.docs, [])
