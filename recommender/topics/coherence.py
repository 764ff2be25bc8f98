"""Topic coherence (c_v, NPMI, ...) through gensim's CoherenceModel."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from gensim.corpora import Dictionary
from gensim.models import CoherenceModel

from recommender.topics.base import TopicModel

logger = logging.getLogger(__name__)

# c_v runs in Python over every text. Skill lists are short (~4 skills), so it is cheaper than on
# prose: measured 1 s on 3,000 docs and 2–3 s on 20,000 (64 topics, processes=1). Scores are
# means over topics; on 3,000 docs they run up to ~0.07 below the 20,000-doc figure for many
# topics (rare top terms seldom co-occur in a small sample), hence 10,000 in the topic search.
DEFAULT_COHERENCE_SAMPLE = 3000


@dataclass(frozen=True, slots=True)
class CoherenceResult:
    measure: str
    score: float  # mean over the topics that could be scored
    per_topic: list[float]  # NaN for a topic with fewer than two known terms


def sample_docs(
    docs: Sequence[Sequence[str]], sample_size: int | None, random_state: int | None = 0
) -> list[Sequence[str]]:
    """A seeded random subset of ``docs`` (all of them when ``sample_size`` is None or larger)."""
    if sample_size is None or len(docs) <= sample_size:
        return list(docs)
    rows = np.random.default_rng(random_state).choice(len(docs), size=sample_size, replace=False)
    return [docs[i] for i in np.sort(rows)]


def topic_coherence(
    topics: Sequence[Sequence[str]],
    docs: Sequence[Sequence[str]],
    *,
    measure: str = "c_v",
    sample_size: int | None = DEFAULT_COHERENCE_SAMPLE,
    random_state: int | None = 0,
) -> CoherenceResult:
    """Coherence of each topic's top terms over ``docs`` (lists of terms, as the model saw them).

    ``measure`` is any gensim coherence: "c_v" (the report's), "c_npmi", "u_mass", "c_uci".
    Terms missing from the sampled docs are dropped; topics left with fewer than two terms
    are scored NaN and left out of the mean. Runs in this process (processes=1).
    """
    texts = [list(doc) for doc in sample_docs(docs, sample_size, random_state) if doc]
    dictionary = Dictionary(texts)
    known = [[term for term in topic if term in dictionary.token2id] for topic in topics]
    scorable = [i for i, terms in enumerate(known) if len(terms) >= 2]
    per_topic = [float("nan")] * len(known)
    if scorable:
        model = CoherenceModel(
            topics=[known[i] for i in scorable],
            texts=texts,
            dictionary=dictionary,
            coherence=measure,
            processes=1,
        )
        for i, score in zip(scorable, model.get_coherence_per_topic(), strict=True):
            per_topic[i] = float(score)
    finite = [s for s in per_topic if np.isfinite(s)]
    score = float(np.mean(finite)) if finite else float("nan")
    logger.debug("%s coherence %.4f over %d topics, %d texts", measure, score, len(finite), len(texts))
    return CoherenceResult(measure=measure, score=score, per_topic=per_topic)


def model_coherence(
    model: TopicModel,
    docs: Sequence[Sequence[str]],
    *,
    measure: str = "c_v",
    topn: int = 10,
    sample_size: int | None = DEFAULT_COHERENCE_SAMPLE,
    random_state: int | None = 0,
) -> CoherenceResult:
    """Coherence of any fitted topic model's ``top_terms`` over skill-list ``docs``.

    For LDA this scores single skills; ``LDATopicModel.coherence`` scores its phrase tokens.
    """
    topics = [model.top_terms(t, topn) for t in range(model.n_topics_)]
    return topic_coherence(topics, docs, measure=measure, sample_size=sample_size, random_state=random_state)
