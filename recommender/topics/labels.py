"""Human names for topics, and the keywords file the report kept for reviewing a model.

A topic is named after its strongest vacancies: the (up to ``top_docs``) ones where it is the
dominant topic, ranked by its share of them. Candidate names come from three sources, tried in
order until one yields an accepted name:

- ``titles``: the vacancies' titles cleaned of levels and tails ("Senior Frontend-разработчик
  (remote)" → "Frontend-разработчик", "Аналитик в команду X" → "Аналитик");
- ``labels``: hh's specialization / professional-role names;
- ``words``: single title words (the two most distinctive, joined).

A candidate's share is how many of the strongest vacancies carry it, its lift that share over
its corpus frequency. It must be distinctive, lift ≥ ``min_lift``, and carried by
``min_label_docs`` vacancies; the most common such candidate wins (ties: higher lift). The
generic names hh attaches to most IT vacancies ("Программирование, Разработка", "Начальный
уровень, Мало опыта", "Инженер") are about as common in a topic as in the corpus, so they give
way to "Веб-дизайнер", "Программист 1С" or "Embedded-разработчик". Titles come first by
default because hh's 2021 IT specializations are coarse (designers are "Игровое ПО" or
"Арт-директор"); the best accepted hh name is kept in ``TopicInfo.specialization`` either way.
When nothing is accepted the top keywords name the topic.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from recommender.topics.base import TopicModel

logger = logging.getLogger(__name__)

SOURCES = ("titles", "labels", "words")

_WORD = re.compile(r"[0-9a-zа-яё#+]+(?:[-.][0-9a-zа-яё#+]+)*", re.IGNORECASE)
# Words that name a level, a place or a contract rather than a field.
_LEVELS = (
    "junior|middle|senior|lead|intern|trainee|jr|sr|стажер|стажёр|младший|старший|ведущий|главный|"
    "remote|удаленно|удалённо"
)
_LEVEL_WORD = re.compile(rf"(?<![\w-])(?:{_LEVELS})\+?(?![\w-])", re.IGNORECASE)
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]|\(.*$")
# where a title's field ends and the employer's or project's name begins
_TAIL = re.compile(r"\s(?:в|во|для)\s.*$|\s[-–—]\s.*$|[,|;!].*$", re.IGNORECASE)
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
    label_source: str = "labels"  # "titles", "labels", "words" or "keywords"
    label_share: float = 0.0  # share of the topic's strongest documents that carry the label
    specialization: str = ""  # the most distinctive hh specialization / role name, if any passed


@dataclass(frozen=True, slots=True)
class _Source:
    """One kind of candidate name: what each document carries, corpus frequencies, display forms."""

    items: list[list[str]]
    idf: dict[str, float]
    display: dict[str, str]


def label_topics(
    doc_topic: np.ndarray,
    labels_per_doc: Sequence[Sequence[str]],
    titles: Sequence[str],
    *,
    model: TopicModel | None = None,
    keywords: Sequence[Sequence[str]] | None = None,
    n_keywords: int = 10,
    top_docs: int = 100,
    min_label_docs: int = 3,
    min_lift: float = 3.0,
    sources: Sequence[str] = SOURCES,
) -> list[TopicInfo]:
    """Name every topic after its strongest documents (see the module docstring for how).

    ``labels_per_doc`` are hh specialization / role names, ``titles`` vacancy titles; keywords
    come from ``model.top_terms`` or the ``keywords`` lists. Labels are made unique.
    """
    doc_topic = np.asarray(doc_topic, dtype=np.float64)
    n_docs, n_topics = doc_topic.shape
    if len(labels_per_doc) != n_docs or len(titles) != n_docs:
        raise ValueError("doc_topic, labels_per_doc and titles must describe the same documents")
    unknown = set(sources) - set(SOURCES)
    if unknown:
        raise ValueError(f"unknown label sources {sorted(unknown)}; choose from {SOURCES}")
    tables = _sources(labels_per_doc, titles)
    dominant = _dominant_topics(doc_topic)
    infos = []
    for topic in range(n_topics):
        strongest = _strongest_docs(doc_topic[:, topic], dominant == topic, top_docs)
        terms = _keywords_for(topic, model, keywords, n_keywords)
        named = {
            name: _best_name(strongest, tables[name], min_label_docs, min_lift, n=2 if name == "words" else 1)
            for name in SOURCES
        }
        source = next((name for name in sources if named[name][0]), "keywords")
        fallback = (", ".join(terms[:3]) or f"Тема {topic}", 0.0)
        label, share = named[source] if source != "keywords" else fallback
        size = int((dominant == topic).sum())
        infos.append(TopicInfo(topic, label, terms, size, source, round(share, 3), named["labels"][0]))
    return _disambiguate(infos)


def write_keywords(infos: Iterable[TopicInfo], path: str | Path) -> Path:
    """One section per topic: id, label, size, then its keywords (the report's review file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for info in infos:
        hh_name = info.specialization if info.specialization != info.label else ""
        extra = f"; hh: {hh_name}" if hh_name else ""
        lines.append(
            f"## topic {info.id}: {info.label} ({info.size} vacancies, label from {info.label_source}{extra})"
        )
        lines.append(", ".join(info.keywords))
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    logger.info("wrote %s", path)
    return path


def clean_title(title: str) -> str:
    """A title without level words, bracketed notes and employer tails, original case kept."""
    text = _BRACKETS.sub(" ", _INVISIBLE.sub("", title or ""))
    text = _TAIL.sub("", _LEVEL_WORD.sub(" ", text))
    text = re.sub(r"\s+", " ", text).strip(" -–—.:/+*\"'")
    return text


def _sources(labels_per_doc: Sequence[Sequence[str]], titles: Sequence[str]) -> dict[str, _Source]:
    n_docs = len(titles)
    labels = [sorted({label.strip() for label in doc if label and label.strip()}) for doc in labels_per_doc]
    cleaned = [clean_title(title) for title in titles]
    title_keys = [[c.lower()] if len(c) >= 3 else [] for c in cleaned]
    words = [sorted(_title_words(title)) for title in titles]
    return {
        "labels": _Source(labels, _idf(labels, n_docs), {}),
        "titles": _Source(title_keys, _idf(title_keys, n_docs), _display_forms(cleaned)),
        "words": _Source(words, _idf(words, n_docs), {}),
    }


def _display_forms(cleaned: list[str]) -> dict[str, str]:
    """For each lower-cased title, its most common spelling, first letter capitalized."""
    spellings: dict[str, Counter[str]] = {}
    for title in cleaned:
        spellings.setdefault(title.lower(), Counter())[title] += 1
    forms = {}
    for key, counter in spellings.items():
        best = max(counter.items(), key=lambda pair: (pair[1], pair[0]))[0]
        forms[key] = best[:1].upper() + best[1:]
    return forms


def _dominant_topics(doc_topic: np.ndarray) -> np.ndarray:
    """Each row's strongest topic, −1 for an all-zero row (an empty document belongs nowhere)."""
    if not doc_topic.size:
        return np.full(doc_topic.shape[0], -1)
    return np.where(doc_topic.max(axis=1) > 0, doc_topic.argmax(axis=1), -1)


def _strongest_docs(topic_weight: np.ndarray, is_dominant: np.ndarray, top_docs: int) -> np.ndarray:
    """The documents a topic dominates, by its raw weight in them, strongest first.

    Raw weight rather than share: with fold-in or cosine memberships a one-skill document has
    the purest share, while the documents matching most of the topic's terms are the typical ones.
    """
    candidates = np.flatnonzero(is_dominant)
    if not len(candidates):  # a topic that dominates nowhere is named after where it is strongest
        candidates = np.flatnonzero(topic_weight > 0)
    order = np.argsort(-topic_weight[candidates], kind="stable")[:top_docs]
    return candidates[order]


def _best_name(
    strongest: np.ndarray, source: _Source, min_docs: int, min_lift: float, n: int
) -> tuple[str, float]:
    """The source's best accepted name for these documents ("" if none) and its share."""
    if not len(strongest):
        return "", 0.0
    groups = [source.items[i] for i in strongest]
    counts = Counter(item for group in groups for item in group)
    needed = min(min_docs, len(groups))
    scored = []
    for item, count in counts.items():
        share = count / len(groups)
        lift = share * math.exp(source.idf[item])  # share / corpus frequency
        if count >= needed and lift >= min_lift:
            scored.append((share, lift, item))
    if not scored:
        return "", 0.0
    # lift is only a gate: ranking by it would crown one employer's title posted 20 times
    scored.sort(key=lambda row: (-row[0], -row[1], row[2]))
    names = [source.display.get(item, item) for _, _, item in scored[:n]]
    label = " ".join(names)
    return label[:1].upper() + label[1:], scored[0][0]


def _idf(groups: list[list[str]], n_docs: int) -> dict[str, float]:
    """log(1 / smoothed corpus frequency) of every item."""
    frequency = Counter(item for group in groups for item in group)
    return {item: math.log((n_docs + 1) / (count + 1)) for item, count in frequency.items()}


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
        result.append(replace(info, label=label))
    return result
