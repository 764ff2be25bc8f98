"""Skills learned from vacancy titles and texts.

The cards' key_skills miss whole fields of the search corpus (design tools, telecom, 1С
configurations, marketing, security), so the vocabulary also learns from the texts:

* Latin-script tool names ("zeplin", "nanocad", "protopie") that are frequent in Russian
  texts: a Latin word inside Russian prose is nearly always a product or technology. Words
  of English-language vacancies, common English and job-title words, and employer names are
  filtered out.
* Russian two-word domain terms (adjective + noun, noun + noun in the genitive:
  "контекстная реклама", "сетевое оборудование") that are frequent *and distinctive*: their
  vacancies concentrate in some hh specializations (lift over the base rate), which generic
  phrases ("дружный коллектив", "заработная плата") never do.

Both are counted only outside text already matched by known skills.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from recommender.skills.normalize import (
    TokenNormalizer,
    clean_text,
    first_parse,
    is_person_noun,
    key_forms,
    lemma,
    part_of_speech,
    raw_tokens,
    split_key_skill,
)

if TYPE_CHECKING:
    from recommender.data.models import Vacancy
    from recommender.skills.matcher import PhraseMatcher

logger = logging.getLogger(__name__)

LEARN_TEXT_CHARS = 3_000  # the start of a long card description is enough to count terms
MIN_CYRILLIC_DOC_SHARE = 0.7  # a tool word must mostly occur in Russian texts
MAX_EMPLOYER_SHARE = 0.3  # ... and not mostly in vacancies of an employer so named
MIN_TOOL_LIFT = 1.5
MIN_PHRASE_LIFT = 3.0
MIN_TOOL_EMPLOYERS = 5
MIN_PHRASE_EMPLOYERS = 10
MIN_FIELD_DOCS = 5
MIN_FIELD_SHARE = 0.5
MIN_FIELD_LIFT = 2.0
PHRASE_DF_FACTOR = 2  # phrases need more evidence than tool names: Russian prose is varied
MIN_LABEL_SUPPORT = 30  # labels rarer than this give no reliable base rate
MAX_DF_SHARE = 0.05  # a term in more than 5% of vacancies is not distinctive

_LATIN_TOOL = re.compile(r"^[a-z][a-z0-9+#.\-]{1,24}$")
_CYRILLIC = re.compile(r"^[а-яе]{3,}$")
# runs of letters, counted by their lengths: a list of every letter cost 1.5 s per hh file
_CYRILLIC_LETTERS = re.compile(r"[а-яА-ЯёЁ]+")
_LATIN_LETTERS = re.compile(r"[a-zA-Z]+")
_PHRASE_POS = {("ADJF", "NOUN"), ("NOUN", "NOUN")}


@dataclass(frozen=True, slots=True)
class LearnedTerm:
    key: tuple[str, ...]
    display: str
    df: int
    kind: str  # "tool" or "phrase"
    field_counts: Counter[str] = field(default_factory=Counter, compare=False)
    field_docs: int = 0  # documents with any curated field, the base of field_counts


@dataclass(frozen=True, slots=True)
class Learning:
    terms: list[LearnedTerm]
    skill_fields: dict[str, str]  # corpus skill (canonical) -> curated field
    term_fields: dict[str, str] = field(default_factory=dict)  # learned term display -> field


class _FieldVotes:
    """Which curated field (design, 1c, telecom, ...) the skills around a corpus skill belong to."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self._fields = fields
        self.totals: Counter[str] = Counter()
        self.docs_with_fields = 0
        self._votes: dict[str, Counter[str]] = defaultdict(Counter)
        self._docs: Counter[str] = Counter()

    def add(self, skills: set[str]) -> tuple[str, ...]:
        """Count a document's skills; returns its curated fields."""
        doc_fields = tuple(sorted({self._fields[s] for s in skills if s in self._fields}))
        if not doc_fields:
            return doc_fields
        self.docs_with_fields += 1
        self.totals.update(doc_fields)
        for skill in skills:
            if skill not in self._fields:
                self._votes[skill].update(doc_fields)
                self._docs[skill] += 1
        return doc_fields

    def dominant(self, counts: Counter[str], n: int) -> str | None:
        """The field most of the term's documents share, well above its base rate."""
        if n < MIN_FIELD_DOCS or not counts or not self.docs_with_fields:
            return None
        field_name, count = counts.most_common(1)[0]
        share = count / n
        base = self.totals[field_name] / self.docs_with_fields
        return field_name if share >= MIN_FIELD_SHARE and share >= MIN_FIELD_LIFT * base else None

    def skill_fields(self) -> dict[str, str]:
        out = {}
        for skill, counts in self._votes.items():
            field_name = self.dominant(counts, self._docs[skill])
            if field_name is not None:
                out[skill] = field_name
        return out


@dataclass(slots=True)
class _Doc:
    tokens: list[str]
    consumed: list[bool]
    labels: tuple[str, ...]
    employer: str
    employer_tokens: frozenset[str]
    cyrillic: bool
    raws: list[str]
    fields: tuple[str, ...]


def default_min_df(n_docs: int) -> int:
    return max(5, n_docs // 5_000)


def learn_text_skills(
    vacancies: Sequence[Vacancy],
    matcher: PhraseMatcher,
    *,
    stopwords: frozenset[str],
    fields: Mapping[str, str] | None = None,
    min_df: int | None = None,
) -> Learning:
    """Tool names and domain phrases that are frequent and distinctive in the texts, and the
    curated field (design, telecom, ...) that corpus skills and learned terms belong to."""
    if not vacancies:
        return Learning([], {})
    min_df = min_df if min_df is not None else default_min_df(len(vacancies))
    normalizer = TokenNormalizer(matcher.knows_token, matcher.knows_prefix)
    tools = _ToolCounter(stopwords)
    phrases = _PhraseCounter(stopwords)
    votes = _FieldVotes(fields or {})
    label_totals: Counter[str] = Counter()
    for doc in _docs(vacancies, normalizer, matcher, votes):
        label_totals.update(doc.labels)
        tools.add(doc)
        phrases.add(doc)
    max_df = max(min_df, int(len(vacancies) * MAX_DF_SHARE))
    learned = tools.terms(min_df, max_df, label_totals) + phrases.terms(min_df, max_df, label_totals)
    learned_fields = {
        term.display: name
        for term in learned
        if (name := votes.dominant(term.field_counts, term.field_docs)) is not None
    }
    logger.info(
        "learned from texts: %d tools, %d phrases (min df %d); fields for %d corpus skills",
        sum(t.kind == "tool" for t in learned),
        sum(t.kind == "phrase" for t in learned),
        min_df,
        len(votes.skill_fields()) + len(learned_fields),
    )
    return Learning(learned, votes.skill_fields(), learned_fields)


def _docs(
    vacancies: Sequence[Vacancy], normalizer: TokenNormalizer, matcher: PhraseMatcher, votes: _FieldVotes
) -> Iterator[_Doc]:
    seen: set[int] = set()
    employers: dict[str, frozenset[str]] = {}
    for vacancy in vacancies:
        # Re-posted vacancies (same title and text) count once: they would inflate
        # a call centre's boilerplate into a "frequent term".
        fingerprint = hash((vacancy.title, vacancy.text, vacancy.key_skills))
        if fingerprint in seen:
            continue
        seen.add(fingerprint)
        text = clean_text(f"{vacancy.title or ''}\n{vacancy.text or ''}", LEARN_TEXT_CHARS)
        raws = list(raw_tokens(text))
        tokens = [t for raw in raws for t in normalizer(raw)]
        consumed = [False] * len(tokens)
        matched: set[str] = set()
        for match in matcher.find(tokens):
            matched.update(match.skills)
            for i in range(match.start, match.end):
                consumed[i] = True
        matched.update(_key_skills_of(vacancy, matcher))
        doc_fields = votes.add(matched)
        head = text[:1_000]  # the language of a text shows in its first lines
        cyrillic = sum(map(len, _CYRILLIC_LETTERS.findall(head))) >= sum(
            map(len, _LATIN_LETTERS.findall(head))
        )
        employer = (vacancy.employer or "").strip().lower()
        employer_tokens = employers.get(employer)
        if employer_tokens is None:  # one employer posts many vacancies
            employer_tokens = employers[employer] = frozenset(
                t.lower() for t in raw_tokens(clean_text(employer, 200))
            )
        labels = tuple(label.id for label in vacancy.labels)
        yield _Doc(tokens, consumed, labels, employer, employer_tokens, cyrillic, raws, doc_fields)


def _key_skills_of(vacancy: Vacancy, matcher: PhraseMatcher) -> set[str]:
    """Skills a card's key_skills name as a whole (for field votes: cards have no long texts)."""
    found: set[str] = set()
    for name in vacancy.key_skills or ():
        for part in split_key_skill(name):
            for key in key_forms(part)[:1]:
                found.update(matcher.get(key) or ())
    return found


class _TermStats:
    """Per term: document frequency, distinct employers (capped), label counts."""

    _EMPLOYER_CAP = 100

    def __init__(self) -> None:
        self.df: Counter[Any] = Counter()
        self.employers: dict[Any, set[str]] = defaultdict(set)
        # Counted by label combination (few distinct ones), expanded only for candidates.
        self.label_sets: dict[Any, Counter[tuple[str, ...]]] = defaultdict(Counter)
        self.field_sets: dict[Any, Counter[tuple[str, ...]]] = defaultdict(Counter)

    def add(self, terms: set[Any], doc: _Doc) -> None:
        self.df.update(terms)
        for term in terms:
            employers = self.employers[term]
            if len(employers) < self._EMPLOYER_CAP:
                employers.add(doc.employer)
            if doc.labels:
                self.label_sets[term][doc.labels] += 1
            if doc.fields:
                self.field_sets[term][doc.fields] += 1

    def labels(self, term: Any) -> Counter[str]:
        return _expand(self.label_sets.get(term, {}))

    def fields(self, term: Any) -> tuple[Counter[str], int]:
        """Field counts of a term's documents and how many of them have any field."""
        sets: Mapping[tuple[str, ...], int] = self.field_sets.get(term, {})
        return _expand(sets), sum(sets.values())


def _expand(sets: Mapping[tuple[str, ...], int]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for names, n in sets.items():
        for name in names:
            counts[name] += n
    return counts


class _ToolCounter:
    """Unmatched Latin-script words."""

    def __init__(self, stopwords: frozenset[str]) -> None:
        self._stopwords = stopwords
        self.stats = _TermStats()
        self.df_cyrillic: Counter[str] = Counter()
        self.df_employer_named: Counter[str] = Counter()
        self.spellings: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, doc: _Doc) -> None:
        seen = {
            token
            for token, used in zip(doc.tokens, doc.consumed, strict=True)
            if not used and _LATIN_TOOL.match(token) and token not in self._stopwords
        }
        self.stats.add(seen, doc)
        if doc.cyrillic:
            self.df_cyrillic.update(seen)
        self.df_employer_named.update(seen & doc.employer_tokens)
        for raw in doc.raws:  # the casing people write ("SonarQube") is the display name
            lowered = raw.lower()
            if lowered in seen:
                self.spellings[lowered][raw] += 1

    def terms(self, min_df: int, max_df: int, label_totals: Counter[str]) -> list[LearnedTerm]:
        out = []
        total_labeled = sum(label_totals.values())
        for token, df in self.stats.df.items():
            if not min_df <= df <= max_df or len(token) < 3:
                continue
            if self.df_cyrillic[token] < MIN_CYRILLIC_DOC_SHARE * df:
                continue
            if self.df_employer_named[token] > MAX_EMPLOYER_SHARE * df:
                continue
            if len(self.stats.employers[token]) < MIN_TOOL_EMPLOYERS:
                continue
            if _lift(self.stats.labels(token), label_totals, total_labeled) < MIN_TOOL_LIFT:
                continue
            spellings = self.spellings.get(token)
            display = spellings.most_common(1)[0][0] if spellings else str(token)
            field_counts, field_docs = self.stats.fields(token)
            out.append(LearnedTerm((str(token),), display, df, "tool", field_counts, field_docs))
        return sorted(out, key=lambda t: -t.df)


class _PhraseCounter:
    """Unmatched Russian two-word terms."""

    def __init__(self, stopwords: frozenset[str]) -> None:
        self._stopwords = stopwords
        self.stats = _TermStats()

    def add(self, doc: _Doc) -> None:
        tokens, consumed = doc.tokens, doc.consumed
        seen: set[tuple[str, str]] = set()
        for i in range(len(tokens) - 1):
            if consumed[i] or consumed[i + 1]:
                continue
            first, second = tokens[i], tokens[i + 1]
            if _CYRILLIC.match(first) and _CYRILLIC.match(second):
                seen.add((first, second))
        self.stats.add(seen, doc)

    def terms(self, min_df: int, max_df: int, label_totals: Counter[str]) -> list[LearnedTerm]:
        # Surface pairs ("контекстной рекламы", "контекстная реклама") meet at their lemmas.
        merged = _TermStats()
        display: dict[tuple[str, str], tuple[str, str]] = {}
        for pair, df in self.stats.df.items():
            if df < 3:
                continue
            key: tuple[str, str] = (lemma(pair[0]), lemma(pair[1]))
            merged.df[key] += df
            merged.employers[key].update(self.stats.employers[pair])
            merged.label_sets[key].update(self.stats.label_sets.get(pair, {}))
            merged.field_sets[key].update(self.stats.field_sets.get(pair, {}))
            display.setdefault(key, pair)
        total_labeled = sum(label_totals.values())
        out = []
        for key, df in merged.df.items():
            too_rare = df < PHRASE_DF_FACTOR * min_df or len(merged.employers[key]) < MIN_PHRASE_EMPLOYERS
            if too_rare or df > max_df:
                continue
            if not self._is_term(key, display[key]):
                continue
            if _lift(merged.labels(key), label_totals, total_labeled) < MIN_PHRASE_LIFT:
                continue
            field_counts, field_docs = merged.fields(key)
            name = _phrase_display(display[key])
            out.append(LearnedTerm(key, name, df, "phrase", field_counts, field_docs))
        return sorted(out, key=lambda t: -t.df)

    def _is_term(self, key: tuple[str, str], pair: tuple[str, str]) -> bool:
        if key[0] in self._stopwords or key[1] in self._stopwords:
            return False
        pos = (part_of_speech(pair[0]), part_of_speech(pair[1]))
        if pos not in _PHRASE_POS:
            return False
        if pos == ("NOUN", "NOUN") and not _is_genitive(pair[1]):
            return False
        return not (is_person_noun(key[0]) or is_person_noun(key[1]))


def _lift(counts: Counter[str], totals: Counter[str], total: int) -> float:
    """How much more often the term's vacancies carry their most typical label than usual."""
    n = sum(counts.values())
    if not n or not total:
        return 0.0
    best = 0.0
    for label, count in counts.items():
        base = totals[label]
        if base >= MIN_LABEL_SUPPORT and count >= 5:
            best = max(best, (count / n) / (base / total))
    return best


def _is_genitive(word: str) -> bool:
    parse = first_parse(word)
    return parse is not None and "gent" in parse.tag


def _phrase_display(pair: tuple[str, str]) -> str:
    """A readable nominative form: "контекстной рекламы" -> "контекстная реклама"."""
    first, second = first_parse(pair[0]), first_parse(pair[1])
    if first is None or second is None:
        return " ".join(pair)
    if first.tag.POS == "NOUN":  # noun + noun in the genitive: "администрирование серверов"
        return f"{first.normal_form} {pair[1]}"
    noun = second.normal_form
    noun_parse = first_parse(noun)
    gender = noun_parse.tag.gender if noun_parse is not None else None
    # None when pymorphy has no such form ("ms-f" nouns): the lemma below. Every grammeme here is
    # pymorphy's own, so inflect's ValueError (an unknown grammeme) cannot happen.
    adjective = first.inflect({"nomn", "sing", gender} - {None})
    return f"{adjective.word if adjective else first.normal_form} {noun}"
