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

# c_v slides a window over every text and runs in Python: on ~3000 skill lists (about 10 skills
# each) it takes seconds, on the whole 94k corpus minutes. Scores are means over topics, so
# a sample this size is stable to about ±0.01 (see docs/architecture.md).
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
