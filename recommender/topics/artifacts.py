"""Files a person reads to judge a trained topic model, written beside it in the bundle.

As the report did: the keywords of every topic, the topic-to-topic cosine similarity heatmap
(its Fig. 1) and, for LDA, coherence by topic count from the search that chose the count.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from recommender.topics.base import TopicModel
from recommender.topics.labels import TopicInfo, write_keywords
from recommender.topics.plots import coherence_plot, topic_similarity_heatmap

logger = logging.getLogger(__name__)

KEYWORDS_FILE = "keywords.txt"
HEATMAP_FILE = "topic_similarity.png"
COHERENCE_FILE = "coherence.png"


def topic_infos(model: TopicModel, labels: Sequence[str], dominant: Sequence[int | None]) -> list[TopicInfo]:
    sizes = Counter(t for t in dominant if t is not None)
    return [
        TopicInfo(topic, labels[topic], model.top_terms(topic, 10), sizes.get(topic, 0))
        for topic in range(model.n_topics_)
    ]


def write_topic_artifacts(
    model: TopicModel,
    labels: Sequence[str],
    dominant: Sequence[int | None],
    directory: str | Path,
    *,
    search: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write the keywords file, the similarity heatmap and (given a search) the coherence plot."""
    directory = Path(directory)
    written = [
        write_keywords(topic_infos(model, labels, dominant), directory / KEYWORDS_FILE),
        topic_similarity_heatmap(model, directory / HEATMAP_FILE, labels=labels),
    ]
    if search and search.get("counts"):
        written.append(coherence_plot(
            search["counts"], search["scores"], directory / COHERENCE_FILE,
            measure=search.get("measure", "c_v"), best=search.get("best_count"),
        ))
    return written
