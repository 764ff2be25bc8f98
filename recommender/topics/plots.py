"""PNG figures of topic models, drawn with matplotlib's Agg canvas (no pyplot global state)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from recommender.topics.base import TopicModel, unit_columns

logger = logging.getLogger(__name__)

# Axis tick labels stop being readable beyond this many topics; larger maps show ids only.
MAX_LABELLED_TOPICS = 40


def topic_similarity(model: TopicModel) -> np.ndarray:
    """n_topics × n_topics cosine similarity of the topics' term profiles (``term_topic_`` columns)."""
    unit = unit_columns(model.term_topic_)
    return np.clip(unit.T @ unit, 0.0, 1.0)


def redundant_topics(model: TopicModel, threshold: float = 0.98) -> list[int]:
    """Topics whose term profile repeats an earlier topic's (cosine ≥ ``threshold``).

    Online LDA with small chunks on short documents lets topics die: they keep the prior and
    all end up with the same profile. This counts them (the first of each group is kept).
    """
    similarity = np.triu(topic_similarity(model), k=1)
    return [int(t) for t in np.flatnonzero((similarity >= threshold).any(axis=0))]


def topic_similarity_heatmap(
    model: TopicModel, path: str | Path, *, labels: Sequence[str] | None = None, title: str | None = None
) -> Path:
    """The report's Fig. 1: cosine similarity between all topics, saved as a PNG at ``path``."""
    similarity = topic_similarity(model)
    n = similarity.shape[0]
    size = min(4 + n * 0.12, 24)
    figure = Figure(figsize=(size, size * 0.85), dpi=100)
    axes = figure.add_subplot()
    image = axes.imshow(similarity, cmap="viridis", vmin=0.0, vmax=1.0)
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04, label="cosine similarity")
    axes.set_title(title or f"Cosine similarity between all {n} topics")
    if labels is not None and n <= MAX_LABELLED_TOPICS:
        names = [f"{i} {label}" for i, label in enumerate(labels)]
        axes.set_xticks(range(n), names, rotation=90, fontsize=7)
        axes.set_yticks(range(n), names, fontsize=7)
    else:
        axes.set_xlabel("topic")
        axes.set_ylabel("topic")
    figure.tight_layout()
    return _save(figure, path)


def coherence_plot(
    counts: Sequence[int], scores: Sequence[float], path: str | Path, *, measure: str = "c_v",
    best: int | None = None,
) -> Path:
    """Coherence by number of topics (the LDA topic-count search), saved as a PNG at ``path``."""
    figure = Figure(figsize=(7, 4.5), dpi=100)
    axes = figure.add_subplot()
    axes.plot(list(counts), list(scores), marker="o")
    if best is not None:
        axes.axvline(best, color="tab:red", linestyle="--", label=f"best: {best} topics")
        axes.legend()
    axes.set_xlabel("number of topics")
    axes.set_ylabel(f"coherence ({measure})")
    axes.set_title("LDA coherence by number of topics")
    axes.grid(alpha=0.3)
    figure.tight_layout()
    return _save(figure, path)


def _save(figure: Figure, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(figure).print_png(str(path))
    logger.info("wrote %s", path)
    return path
