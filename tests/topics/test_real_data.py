"""Topic models on a sample of the real hh.ru cards (key_skills as the skill lists)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from recommender.data import load_vacancies
from recommender.topics import (
    ClusterTopicModel,
    NMFTopicModel,
    label_topics,
    model_coherence,
    topic_coherence,
)

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


@pytest.fixture(scope="module")
def cards(shared_data_dir):
    vacancies = load_vacancies([shared_data_dir / "hh_cards_2021_2023.jsonl.gz"]).vacancies
    with_skills = [v for v in vacancies if v.key_skills]
    # key_skills, lower-cased, stand in for the vocabulary's canonical skills: this tests the models
    docs = [list(dict.fromkeys(s.strip().lower() for s in v.key_skills if s.strip())) for v in with_skills]
    labels = [[label.name for label in v.labels] for v in with_skills]
    return docs, labels, [v.title for v in with_skills]


@pytest.fixture(scope="module")
def nmf(cards):
    docs, _, _ = cards
    started = time.perf_counter()
    model = NMFTopicModel(40, min_df=5, random_state=0).fit(docs)
    assert time.perf_counter() - started < 60
    return model


@pytest.mark.parametrize(
    ("query", "expected"),
    [(["python", "django"], "python"), (["autocad"], "autocad"), (["docker", "kubernetes"], "docker")],
)
def test_a_query_lands_in_the_topic_of_its_skills(nmf, query, expected):
    topic_vector = nmf.transform([query])[0]
    assert topic_vector.any()
    assert expected in nmf.top_terms(int(topic_vector.argmax()), 10)


def test_every_topic_gets_a_label_and_sizes_add_up(cards, nmf):
    docs, labels, titles = cards
    doc_topic = nmf.transform(docs)
    infos = label_topics(doc_topic, labels, titles, model=nmf)
    assert len(infos) == 40
    assert all(info.label for info in infos)
    # Two topics of one field may share a name rather than get a skill word appended
    # ("Java-разработчик · SMM"), but most topics still name a field of their own.
    assert len({info.label for info in infos}) >= 30
    assert not any(" · " in info.label for info in infos)
    assert sum(info.size for info in infos) == int((doc_topic.max(axis=1) > 0).sum())


def test_nmf_topics_are_more_coherent_than_shuffled_ones(cards, nmf):
    docs, _, _ = cards
    fitted = model_coherence(nmf, docs, measure="c_npmi", topn=5, sample_size=2000)
    rng = np.random.default_rng(0)
    terms = [term for t in range(nmf.n_topics_) for term in nmf.top_terms(t, 5)]
    shuffled = rng.permutation(terms)
    random_topics = [list(shuffled[i : i + 5]) for i in range(0, len(shuffled), 5)]
    baseline = topic_coherence(random_topics, docs, measure="c_npmi", sample_size=2000)
    assert fitted.score > baseline.score + 0.1


def test_clusters_on_real_cards_give_non_negative_memberships(cards):
    docs, _, _ = cards
    model = ClusterTopicModel(30, min_df=5, random_state=0).fit(docs)
    doc_topic = model.transform(docs[:500])
    assert doc_topic.shape == (500, 30)
    assert np.all(doc_topic >= 0) and np.all(doc_topic <= 1.0 + 1e-5)
