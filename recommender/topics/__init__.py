"""Specialization models: NMF, LDA and a clustering baseline behind one scikit-learn-style interface.

A document is a vacancy's canonical skills (``SkillVocabulary.skills_of``). Every model has
``fit(docs) -> self``, ``transform(docs) -> (n_docs, n_topics_) float32 >= 0``, ``n_topics_``,
``vocabulary_``, ``term_topic_`` and ``top_terms(topic, n)``.
"""

from recommender.topics.base import TopicModel
from recommender.topics.cluster import ClusterTopicModel
from recommender.topics.coherence import CoherenceResult, model_coherence, topic_coherence
from recommender.topics.labels import TopicInfo, label_topics, write_keywords
from recommender.topics.lda import LDATopicModel
from recommender.topics.nmf import NMFTopicModel
from recommender.topics.plots import (
    coherence_plot,
    redundant_topics,
    topic_similarity,
    topic_similarity_heatmap,
)
from recommender.topics.search import TopicCountSearch, search_topic_count

__all__ = [
    "ClusterTopicModel",
    "CoherenceResult",
    "LDATopicModel",
    "NMFTopicModel",
    "TopicCountSearch",
    "TopicInfo",
    "TopicModel",
    "coherence_plot",
    "label_topics",
    "model_coherence",
    "redundant_topics",
    "search_topic_count",
    "topic_coherence",
    "topic_similarity",
    "topic_similarity_heatmap",
    "write_keywords",
]
