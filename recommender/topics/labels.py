"""Human names for topics, and the keywords file the report kept for reviewing a model."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recommender.topics.base import TopicModel

logger = logging.getLogger(__name__)

_WORD = re.compile(r"[0-9a-zа-яё#+]+(?:[-.][0-9a-zа-яё#+]+)*", re.IGNORECASE)
# Title words that name a level or a contract rather than a field.
_TITLE_STOPWORDS = frozenset(
    {
        "и", "в", "на", "по", "с", "для", "из", "от", "до", "или", "а", "the", "of", "and", "to", "in",
        "for", "at", "junior", "middle", "senior", "lead", "стажер", "стажёр", "младший", "старший",
        "ведущий", "главный", "помощник", "специалист", "сотрудник", "удаленно", "удалённо",
        "удаленная", "работа", "вакансия",
    }
)


@dataclass(frozen=True, slots=True)
class TopicInfo:
    id: int
    label: str
    keywords: list[str]
    size: int  # documents whose dominant topic this is
    label_source: str = "labels"  # "labels", "titles" or "keywords": where the label came from
    label_share: float = 0.0  # share of the topic's strongest documents that carry the label


def label_topics(
    doc_topic: np.ndarray,
    labels_per_doc: Sequence[Sequence[str]],
    titles: Sequence[str],
    *,
    model: TopicModel | None = None,
    keywords: Sequence[Sequence[str]] | None = None,
    n_keywords: int = 10,
    top_docs: int = 100,
    min_label_docs: int = 2,
) -> list[TopicInfo]:
    """Name every topic after its strongest documents.

    A topic's strongest documents are the (up to ``top_docs``) ones where it dominates, ranked
    by its share of the document. Its label is their most *distinctive* specialization or
    professional-role name, scored like tf-idf: share among those documents × log(1 / corpus
    frequency). So the generic names hh attaches to most IT vacancies ("Программирование,
    Разработка", "Инженер") lose to "Веб-дизайн" or "1С" whenever those are common in the topic.
    Without labels the most distinctive title words are used, then the top keywords.
    Keywords come from ``model.top_terms`` or the ``keywords`` lists.
    """
    doc_topic = np.asarray(doc_topic, dtype=np.float64)
    n_docs, n_topics = doc_topic.shape
    if len(labels_per_doc) != n_docs or len(titles) != n_docs:
        raise ValueError("doc_topic, labels_per_doc and titles must describe the same documents")
    shares, dominant = _shares_and_dominant(doc_topic)
    doc_labels = [sorted({label for label in labels if label}) for labels in labels_per_doc]
    doc_words = [sorted(_title_words(title)) for title in titles]
    label_idf = _idf(doc_labels, n_docs)
    word_idf = _idf(doc_words, n_docs)
    infos = []
    for topic in range(n_topics):
        strongest = _strongest_docs(shares[:, topic], dominant == topic, top_docs)
        terms = _keywords_for(topic, model, keywords, n_keywords)
        label, source, share = _name_topic(
            strongest, doc_labels, label_idf, doc_words, word_idf, min_label_docs
        )
        if not label:
            label, source, share = (", ".join(terms[:3]) or f"Тема {topic}"), "keywords", 0.0
        infos.append(TopicInfo(topic, label, terms, int((dominant == topic).sum()), source, share))
    return _disambiguate(infos)


def write_keywords(infos: Iterable[TopicInfo], path: str | Path) -> Path:
    """One section per topic: id, label, size, then its keywords (the report's review file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for info in infos:
        lines.append(
            f"## topic {info.id}: {info.label} ({info.size} vacancies, label from {info.label_source})"
        )
        lines.append(", ".join(info.keywords))
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    logger.info("wrote %s", path)
    return path


def _shares_and_dominant(doc_topic: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row-normalized topic shares and each row's dominant topic (−1 for an all-zero row)."""
    sums = doc_topic.sum(axis=1, keepdims=True)
    shares = np.divide(doc_topic, sums, out=np.zeros_like(doc_topic), where=sums > 0)
    dominant = np.where(sums[:, 0] > 0, shares.argmax(axis=1), -1)
    return shares, dominant


def _strongest_docs(topic_share: np.ndarray, is_dominant: np.ndarray, top_docs: int) -> np.ndarray:
    candidates = np.flatnonzero(is_dominant)
    if not len(candidates):  # a topic that dominates nowhere is named after where it is strongest
        candidates = np.flatnonzero(topic_share > 0)
    order = np.argsort(-topic_share[candidates], kind="stable")[:top_docs]
    return candidates[order]


def _name_topic(
    strongest: np.ndarray,
    doc_labels: list[list[str]],
    label_idf: dict[str, float],
    doc_words: list[list[str]],
    word_idf: dict[str, float],
    min_docs: int,
) -> tuple[str, str, float]:
    if not len(strongest):
        return "", "", 0.0
    label, share = _most_distinctive([doc_labels[i] for i in strongest], label_idf, min_docs)
    if label:
        return label, "labels", share
    words = _most_distinctive_many([doc_words[i] for i in strongest], word_idf, min_docs, 2)
    if words:
        return " ".join(words).capitalize(), "titles", _share_of(words[0], [doc_words[i] for i in strongest])
    return "", "", 0.0


def _most_distinctive(groups: list[list[str]], idf: dict[str, float], min_docs: int) -> tuple[str, float]:
    best = _most_distinctive_many(groups, idf, min_docs, 1)
    return (best[0], _share_of(best[0], groups)) if best else ("", 0.0)


def _most_distinctive_many(
    groups: list[list[str]], idf: dict[str, float], min_docs: int, n: int
) -> list[str]:
    counts = Counter(item for group in groups for item in group)
    needed = min(min_docs, len(groups))
    scored = [
        (count / len(groups) * idf[item], item) for item, count in counts.items() if count >= needed
    ]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [item for score, item in scored[:n] if score > 0]


def _share_of(item: str, groups: list[list[str]]) -> float:
    return sum(item in group for group in groups) / len(groups) if groups else 0.0


def _idf(groups: list[list[str]], n_docs: int) -> dict[str, float]:
    """Smoothed log inverse document frequency; an item in every document scores ~0."""
    frequency = Counter(item for group in groups for item in group)
    return {item: math.log((n_docs + 1) / (count + 1)) + 1e-6 for item, count in frequency.items()}


def _title_words(title: str) -> set[str]:
    words = {word.lower() for word in _WORD.findall(title or "")}
    return {word for word in words if len(word) >= 2 and word not in _TITLE_STOPWORDS and not word.isdigit()}


def _keywords_for(
    topic: int, model: TopicModel | None, keywords: Sequence[Sequence[str]] | None, n: int
) -> list[str]:
    if model is not None:
        return model.top_terms(topic, n)
    if keywords is not None and topic < len(keywords):
        return list(keywords[topic])[:n]
    return []


def _disambiguate(infos: list[TopicInfo]) -> list[TopicInfo]:
    """Topics that got the same label get their first distinguishing keyword appended."""
    seen = Counter(info.label for info in infos)
    result = []
    used: set[str] = set()
    for info in infos:
        label = info.label
        if seen[label] > 1:
            extra = next((k for k in info.keywords if k.lower() not in label.lower()), "")
            label = f"{label} · {extra}" if extra else label
        if label in used:
            label = f"{label} #{info.id}"
        used.add(label)
        result.append(
            TopicInfo(info.id, label, info.keywords, info.size, info.label_source, info.label_share)
        )
    return result
