"""Human names for topics, and the keywords file the report kept for reviewing a model.

A topic is named after its strongest vacancies: the (up to ``top_docs``) ones where it is the
dominant topic, ranked by its share of them. Candidate names come from three sources, tried in
order until one yields an accepted name:

- ``titles``: the vacancies' titles cleaned of levels and tails ("Senior Frontend-разработчик
  (remote)" → "Frontend-разработчик", "Аналитик в команду X" → "Аналитик");
- ``labels``: hh's specialization / professional-role names;
- ``words``: single title words (the two most distinctive, joined); not used by default, since a
  lone word ("Данных", "Связи") names no field.

When neither titles nor hh names pass, a relaxed title rule (lift ≥ ``RELAXED_MIN_LIFT``, share ≥
``RELAXED_MIN_SHARE``) is tried before the keywords: the commonest somewhat distinctive title
still says more about a field than its skills do.
Candidates are counted by *distinct employers*, not by vacancies: one employer's mass posting
("Оператор-геймер" ×300) is one vote, and at most ``max_docs_per_employer`` of an employer's
vacancies are among the strongest at all, so it cannot crowd the others out. A candidate's
share is the share of the strongest vacancies' employers that use it, its lift that share over
its corpus frequency. It must be distinctive, lift ≥ ``min_lift``, carried by ``min_label_docs``
vacancies of at least ``min_label_employers`` employers, and used by ``min_label_share`` of the
employers; the most common such candidate wins (ties: higher lift). The
generic names hh attaches to most IT vacancies ("Программирование, Разработка", "Начальный
уровень, Мало опыта", "Инженер") are about as common in a topic as in the corpus, so they give
way to "Веб-дизайнер", "Программист 1С" or "Embedded-разработчик". Titles come first by
default because hh's 2021 IT specializations are coarse (designers are "Игровое ПО" or
"Арт-директор"); the best accepted hh name is kept in ``TopicInfo.specialization`` either way.
When nothing is accepted the top keywords name the topic ("Python / NLP / Machine Learning").
Two topics of one field may end up with the same name; a skill word is never appended to tell
them apart.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from recommender.topics.base import TopicModel

logger = logging.getLogger(__name__)

SOURCES = ("titles", "labels", "words")
# Single title words ("Данных", "Связи") name no field: they are only used when asked for.
DEFAULT_SOURCES = ("titles", "labels")
# The relaxed title rule, tried after the strict sources and before the keywords.
RELAXED_MIN_LIFT = 1.5
RELAXED_MIN_SHARE = 0.02

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
        "и",
        "в",
        "на",
        "по",
        "с",
        "для",
        "из",
        "от",
        "до",
        "или",
        "а",
        "the",
        "of",
        "and",
        "to",
        "in",
        "for",
        "at",
        "junior",
        "middle",
        "senior",
        "lead",
        "стажер",
        "стажёр",
        "младший",
        "старший",
        "ведущий",
        "главный",
        "помощник",
        "специалист",
        "сотрудник",
        "удаленно",
        "удалённо",
        "удаленная",
        "работа",
        "вакансия",
    }
)


# English title words and spelling variants folded onto one form, so "Python Developer",
# "Python-разработчик" and "Разработчик Python" are one title family (display: the commonest).
_TITLE_SYNONYMS = {
    "developer": "разработчик",
    "designer": "дизайнер",
    "engineer": "инженер",
    "programmer": "программист",
    "analyst": "аналитик",
    "manager": "менеджер",
    "administrator": "администратор",
    "tester": "тестировщик",
    "web": "веб",
    "game": "гейм",
    "ui/ux": "ux/ui",
}
_FAMILY_SPLIT = re.compile(r"[\s\-–—_]+")
# A single title word (e.g. "дизайнер") replaces a weak best title when this many times more
# employers use it: "Game Designer" (11%) loses to "Дизайнер" shared by all design titles.
# Only a distinctive word may: generic ones ("инженер", "программист") are common everywhere.
HEAD_WORD_RATIO = 3.0
HEAD_WORD_MIN_LIFT = 8.0
WEAK_TITLE_SHARE = 0.15
# A duplicate label's topic takes its next name only when that is nearly as well supported.
ALTERNATIVE_MIN_SHARE = 0.8


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
    employers: Sequence[str] | None = None,
    display: Callable[[str], str] | None = None,
    n_keywords: int = 10,
    top_docs: int = 100,
    min_label_docs: int = 3,
    min_label_employers: int = 3,
    min_label_share: float = 0.05,
    max_docs_per_employer: int = 3,
    min_lift: float = 3.0,
    sources: Sequence[str] = DEFAULT_SOURCES,
) -> list[TopicInfo]:
    """Name every topic after its strongest documents (see the module docstring for how).

    ``labels_per_doc`` are hh specialization / role names, ``titles`` vacancy titles,
    ``employers`` the vacancies' employers (without them every document is its own employer);
    keywords come from ``model.top_terms`` or the ``keywords`` lists, and ``display`` spells
    them for the keyword fallback (e.g. ``SkillVocabulary.display``). A label another topic holds
    with more support gives way to the topic's next accepted name, if it has one.
    """
    doc_topic = np.asarray(doc_topic, dtype=np.float64)
    n_docs, n_topics = doc_topic.shape
    if len(labels_per_doc) != n_docs or len(titles) != n_docs:
        raise ValueError("doc_topic, labels_per_doc and titles must describe the same documents")
    if employers is not None and len(employers) != n_docs:
        raise ValueError("employers must have one entry per document")
    unknown = set(sources) - set(SOURCES)
    if unknown:
        raise ValueError(f"unknown label sources {sorted(unknown)}; choose from {SOURCES}")
    tables = _sources(labels_per_doc, titles)
    employer_codes = _employer_codes(employers, n_docs)
    dominant = _dominant_topics(doc_topic)
    rules = _Rules(min_label_docs, min_label_employers, min_label_share, min_lift)
    relaxed = _Rules(min_label_docs, min_label_employers, RELAXED_MIN_SHARE, RELAXED_MIN_LIFT)
    infos = []
    alternatives: dict[int, list[str]] = {}
    for topic in range(n_topics):
        strongest = _strongest_docs(
            doc_topic[:, topic], dominant == topic, top_docs, employer_codes, max_docs_per_employer
        )
        terms = _keywords_for(topic, model, keywords, n_keywords)
        voters = employer_codes[strongest]
        ranked = {name: _candidates(strongest, voters, table, rules) for name, table in tables.items()}
        named = {
            name: _compose(ranked[name], tables[name], n=2 if name == "words" else 1) for name in SOURCES
        }
        if "titles" in sources:
            named["titles"] = _prefer_head_word(named["titles"], ranked["heads"])
            # no strict title or hh name passed: the commonest title that is at least somewhat
            # distinctive still says more about the field than its skill keywords do
            ranked["relaxed"] = _candidates(strongest, voters, tables["titles"], relaxed)
            named["relaxed"] = _compose(ranked["relaxed"], tables["titles"], n=1)
        order = [*sources, "relaxed"] if "titles" in sources else list(sources)
        source = next((name for name in order if named[name][0]), "keywords")
        fallback = (keyword_label(terms, display) or f"Тема {topic}", 0.0)
        label, share = named[source] if source != "keywords" else fallback
        table = tables["titles" if source == "relaxed" else source] if source != "keywords" else None
        alternatives[topic] = [
            _compose([row], table, 1)[0]
            for row in ranked.get(source, [])[1:5]
            if table is not None and row[0] >= ALTERNATIVE_MIN_SHARE * share
        ]
        size = int((dominant == topic).sum())
        source_name = "titles" if source == "relaxed" else source
        infos.append(TopicInfo(topic, label, terms, size, source_name, round(share, 3), named["labels"][0]))
    return _disambiguate(infos, alternatives)


def keyword_label(terms: Sequence[str], display: Callable[[str], str] | None = None, n: int = 3) -> str:
    """A name from a topic's top keywords: "Python / NLP / Machine Learning"."""
    spell = display or _spell_keyword
    names: list[str] = []
    for term in terms:
        name = spell(term)
        if name and name.lower() not in {known.lower() for known in names}:
            names.append(name)
        if len(names) == n:
            break
    return " / ".join(names)


def _spell_keyword(term: str) -> str:
    """Without a vocabulary: short Latin terms are acronyms ("nlp" → "NLP"), others get a capital."""
    if term.isascii() and term.isalpha() and len(term) <= 3:
        return term.upper()
    return term[:1].upper() + term[1:]


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
    families = [title_family(c) if len(c) >= 3 else "" for c in cleaned]
    title_keys = [[key] if key else [] for key in families]
    words = [sorted(_title_words(title)) for title in titles]
    heads = [sorted(_head_words(key)) for key in families]
    return {
        "labels": _Source(labels, _idf(labels, n_docs), {}),
        "titles": _Source(title_keys, _idf(title_keys, n_docs), _display_forms(cleaned, families)),
        "words": _Source(words, _idf(words, n_docs), {}),
        "heads": _Source(heads, _idf(heads, n_docs), {}),
    }


def title_family(cleaned: str) -> str:
    """The key of a cleaned title's family: lower case, English role words in Russian,
    hyphens as spaces, words sorted ("Python Developer" = "Разработчик Python")."""
    text = cleaned.lower().replace("ё", "е")
    words = [_TITLE_SYNONYMS.get(word, word) for word in _FAMILY_SPLIT.split(text) if word]
    return " ".join(sorted(words))


def _head_words(family: str) -> set[str]:
    return {
        word
        for word in family.split()
        if len(word) >= 3 and word not in _TITLE_STOPWORDS and not any(ch.isdigit() for ch in word)
    }


def _display_forms(cleaned: list[str], keys: list[str]) -> dict[str, str]:
    """For each title family, its most common spelling, first letter capitalized."""
    spellings: dict[str, Counter[str]] = {}
    for title, key in zip(cleaned, keys, strict=True):
        if key:
            spellings.setdefault(key, Counter())[title] += 1
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


def _employer_codes(employers: Sequence[str] | None, n_docs: int) -> np.ndarray:
    """An integer per document naming its employer; a document without one is its own employer."""
    codes = np.arange(n_docs, dtype=np.int64)
    if employers is None:
        return codes
    seen: dict[str, int] = {}
    for i, employer in enumerate(employers):
        key = (employer or "").strip().casefold()
        if key:
            codes[i] = n_docs + seen.setdefault(key, len(seen))
    return codes


def _strongest_docs(
    topic_weight: np.ndarray,
    is_dominant: np.ndarray,
    top_docs: int,
    employer_codes: np.ndarray,
    per_employer: int,
) -> np.ndarray:
    """The documents a topic dominates, by its raw weight in them, strongest first, at most
    ``per_employer`` of one employer (a mass posting is not what the topic is about).

    Raw weight rather than share: with fold-in or cosine memberships a one-skill document has
    the purest share, while the documents matching most of the topic's terms are the typical ones.
    """
    candidates = np.flatnonzero(is_dominant)
    if not len(candidates):  # a topic that dominates nowhere is named after where it is strongest
        candidates = np.flatnonzero(topic_weight > 0)
    ordered = candidates[np.argsort(-topic_weight[candidates], kind="stable")]
    picked: list[int] = []
    taken: Counter[int] = Counter()
    for doc in ordered.tolist():
        code = int(employer_codes[doc])
        if taken[code] < per_employer:
            taken[code] += 1
            picked.append(doc)
            if len(picked) == top_docs:
                break
    return np.asarray(picked, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class _Rules:
    """When a candidate name is convincing enough to name a topic."""

    min_docs: int
    min_employers: int
    min_share: float
    min_lift: float


def _candidates(
    strongest: np.ndarray, voters: np.ndarray, source: _Source, rules: _Rules
) -> list[tuple[float, float, str]]:
    """The source's accepted names for these documents as (employer share, lift, item), best first.

    ``voters`` are the documents' employer codes: a name's support is the number of distinct
    employers using it among the strongest documents.
    """
    if not len(strongest):
        return []
    docs_with: Counter[str] = Counter()
    employers_with: dict[str, set[int]] = {}
    for doc, voter in zip(strongest.tolist(), voters.tolist(), strict=True):
        for item in source.items[doc]:
            docs_with[item] += 1
            employers_with.setdefault(item, set()).add(voter)
    n_voters = len(set(voters.tolist()))
    needed_docs = min(rules.min_docs, len(strongest))
    needed_employers = min(rules.min_employers, n_voters)
    scored = []
    for item, employers in employers_with.items():
        share = len(employers) / n_voters
        lift = share * math.exp(source.idf[item])  # share / corpus frequency
        if (
            docs_with[item] >= needed_docs
            and len(employers) >= needed_employers
            and share >= rules.min_share
            and lift >= rules.min_lift
        ):
            scored.append((share, lift, item))
    # lift is only a gate: ranking by it would crown one employer's title posted 20 times
    scored.sort(key=lambda row: (-row[0], -row[1], row[2]))
    return scored


def _compose(scored: Sequence[tuple[float, float, str]], source: _Source, n: int) -> tuple[str, float]:
    """The best ``n`` candidates joined into a label ("" if none) and the best one's share."""
    if not scored:
        return "", 0.0
    names = [source.display.get(item, item) for _, _, item in scored[:n]]
    label = " ".join(names)
    return label[:1].upper() + label[1:], scored[0][0]


def _prefer_head_word(
    title: tuple[str, float], heads: Sequence[tuple[float, float, str]]
) -> tuple[str, float]:
    """A weak best title gives way to a title word far more employers share ("Дизайнер")."""
    label, share = title
    if not heads or share >= WEAK_TITLE_SHARE:
        return title
    distinctive = [row for row in heads if row[1] >= HEAD_WORD_MIN_LIFT]
    if not distinctive:
        return title
    distinctive = [row for row in distinctive if is_job_word(row[2])]
    if not distinctive:
        return title
    head_share, _, word = distinctive[0]
    if head_share >= HEAD_WORD_RATIO * max(share, 1e-9) and word not in label.lower():
        return _spell_keyword(word), head_share
    return title


# Endings of words that name a person doing a job ("дизайнер", "разработчик", "аналитик",
# "маркетолог", "консультант", "руководитель"; "designer", "artist"): a shared title word stands
# for the field only when it is one ("проектов", "данных" are not).
_JOB_WORD = re.compile(
    r"(?:ер|ор|ист|ик|ог|ант|ент|щик|чик|тель|ец|ёр|er|or|ist|ian|ant|ect)$", re.IGNORECASE
)


@functools.lru_cache(maxsize=1 << 16)  # an answer's label asks this of ~140 title words, most seen before
def is_job_word(word: str) -> bool:
    return bool(_JOB_WORD.search(word)) and not any(ch.isdigit() for ch in word)


FIELD_TITLE_MIN_EMPLOYERS = 3
# Job words that need a qualifier to name a field (a lone "Разработчик" says nothing of which).
GENERIC_JOB_WORDS = frozenset(
    {
        "разработчик", "программист", "инженер", "специалист", "менеджер", "аналитик", "консультант",
        "руководитель", "сотрудник", "оператор", "помощник", "ассистент", "стажер", "стажёр",
        "администратор", "developer", "engineer", "manager", "programmer", "specialist", "analyst",
    }
)  # fmt: skip
FIELD_TITLE_MIN_SHARE = 0.25


def titled_words(title: str) -> tuple[str, frozenset[str]]:
    """A title cleaned (``clean_title``) and its words: what ``field_title`` reads of a title."""
    return cleaned_title_words(clean_title(title))


def cleaned_title_words(cleaned: str) -> tuple[str, frozenset[str]]:
    """``titled_words`` of a title ``clean_title`` has cleaned already (the index keeps them)."""
    return cleaned, frozenset(_title_words(cleaned))


def field_title(titles: Sequence[tuple[str, frozenset[str]]], employers: Sequence[int]) -> str | None:
    """What a few vacancies (a query's best matches in its field) are, from their titles.

    The job word most employers use ("программист", "scientist") and, among the titles with it,
    the other word most of their employers use ("микроконтроллеров", "data"); the commonest title
    with both, in its spelling ("Программист микроконтроллеров", "Data Scientist"). Each word needs
    ``FIELD_TITLE_MIN_EMPLOYERS`` employers and ``FIELD_TITLE_MIN_SHARE`` of the employers it is
    chosen among; None otherwise.
    ``titles`` come from ``titled_words``; ``employers`` are codes, one per title (a negative
    code: an employer of its own).
    """
    cleaned = [title for title, _ in titles]
    words = [title_words for _, title_words in titles]
    voters = [int(e) if e >= 0 else -1 - i for i, e in enumerate(employers)]

    def best_word(rows: list[int], accept: Callable[[str], bool]) -> str | None:
        """The accepted word most of these rows' employers use, if enough of them do."""
        needed = max(FIELD_TITLE_MIN_EMPLOYERS, FIELD_TITLE_MIN_SHARE * len({voters[r] for r in rows}))
        support: dict[str, set[int]] = {}
        for row in rows:
            for word in words[row]:
                if accept(word):
                    support.setdefault(word, set()).add(voters[row])
        if not support:
            return None
        word, who = max(support.items(), key=lambda kv: (len(kv[1]), kv[0]))
        return word if len(who) >= needed else None

    job = best_word(list(range(len(titles))), lambda w: is_job_word(w) and len(w) >= 4)
    if job is None:
        return None
    with_job = [row for row in range(len(titles)) if job in words[row]]
    qualifier = best_word(with_job, lambda w: w != job and len(w) >= 3 and not is_job_word(w))
    if qualifier is None:
        return _lone_job_title(job, [cleaned[row] for row in with_job if words[row] == {job}])
    both = Counter(cleaned[row] for row in with_job if qualifier in words[row])
    best = max(both.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0]
    return best[:1].upper() + best[1:]


def _lone_job_title(job: str, alone: Sequence[str]) -> str | None:
    """A field named by its job word alone ("Бухгалтер", "Тестировщик") when the titles say it
    alone, unless the word names no field by itself ("Разработчик", "Менеджер")."""
    if job in GENERIC_JOB_WORDS or not alone:
        return None
    best = max(Counter(alone).items(), key=lambda kv: (kv[1], kv[0]))[0]
    return best[:1].upper() + best[1:]


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


def _disambiguate(infos: list[TopicInfo], alternatives: dict[int, list[str]]) -> list[TopicInfo]:
    """Topics that got the same label: the one whose label is most shared keeps it, the others
    take their next accepted name when there is one not taken, else keep the shared name.

    Two topics of one field may both be "Java-разработчик": appending a skill word to tell them
    apart ("Java-разработчик · SMM") misnames the field, which is worse than a repeated name.
    """
    groups: dict[str, list[TopicInfo]] = {}
    for info in infos:
        groups.setdefault(info.label, []).append(info)
    keepers = {max(group, key=lambda i: (i.label_share, -i.id)).id for group in groups.values()}
    taken = set(groups)
    result = []
    for info in infos:
        label = info.label
        if info.id not in keepers:
            label = next((alt for alt in alternatives.get(info.id, []) if alt not in taken), label)
            taken.add(label)
        result.append(replace(info, label=label))
    return result
