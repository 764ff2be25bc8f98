"""Assembles the parts of a ``SkillVocabulary`` from curated resources, key_skills and texts.

It hands back plain parts (``VocabularyParts``) rather than the vocabulary, so the vocabulary
module can build through it without an import cycle."""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from recommender.skills.learn import LearnedTerm, learn_text_skills
from recommender.skills.matcher import MAX_PHRASE_TOKENS, PhraseMatcher
from recommender.skills.normalize import (
    canonical_name,
    is_numeric,
    is_person_noun,
    key_forms,
    part_of_speech,
    repair_scripts,
    split_key_skill,
    surface,
)
from recommender.skills.resources import CuratedResources, load_resources
from recommender.skills.suggest import SuggestIndex, levenshtein

if TYPE_CHECKING:
    from recommender.data.models import Vacancy

logger = logging.getLogger(__name__)

# One-word key skills that are adjectives or verbs ("Честный", "Планировать") or nouns of
# personal qualities ("Усидчивость", "Бдительность") describe a person, not a skill.
MIN_TYPO_CHARS = 7
# Letters a key skill needs to join a known skill spelled with the same ones ("WebAPI", "Mac OS"):
# shorter ones ("1С УТ", "ЕСКД") are left to their own spellings.
MIN_SAME_LETTERS = 4
TYPO_SIMILARITY = 0.85
_WORD = re.compile(r"[\w+#]+")  # "C++" and "C#" are not "C"
_LOOKALIKES = "авекмнорстхуі"  # lower-case Cyrillic letters read as Latin ones in key skills
_LOOKALIKES_TO_LATIN = str.maketrans(_LOOKALIKES, "abekmhopctxyi")
_ALL_LOOKALIKES = re.compile(rf"[{_LOOKALIKES}0-9+#.\-]*[{_LOOKALIKES}][{_LOOKALIKES}0-9+#.\-]*")
_NOT_SKILL_POS = frozenset({"ADJF", "ADJS", "VERB", "INFN", "PRTF", "PRTS", "ADVB", "COMP"})
_TRAIT_SUFFIXES = ("ость",)


@dataclass(frozen=True, slots=True)
class VocabularyParts:
    """What ``SkillVocabulary.from_parts`` is made of."""

    matcher: PhraseMatcher
    display: dict[str, str]
    fields: dict[str, str]
    item_aliases: dict[tuple[str, ...], tuple[str, ...]]
    sources: dict[str, str]
    spellings: list[tuple[str, str]]
    text_stopwords: frozenset[str]


class VocabularyBuilder:
    """Collects spellings -> skills; the first source to claim a spelling keeps it.

    Order matters and is fixed: curated skills, the stoplist, key_skills, learned terms.
    """

    def __init__(self, resources: CuratedResources | None = None) -> None:
        self.resources = resources or load_resources()
        self.matcher = PhraseMatcher()
        self.display: dict[str, str] = {}
        self.fields: dict[str, str] = {}
        self.sources: dict[str, str] = {}
        self.item_aliases: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.spellings: list[tuple[str, str]] = []
        self._stoplist_added = False

    # -- curated ------------------------------------------------------------------------

    def add_curated(self) -> VocabularyBuilder:
        for skill in self.resources.skills:
            canonical = canonical_name(skill.display)
            self._register(canonical, skill.display, source="curated")
            self.fields[canonical] = skill.field
            for name in (skill.display, canonical, *skill.aliases):
                self._add_spelling(name, (canonical,))
            for name in skill.query_only_aliases:
                for key in key_forms(name):
                    self.item_aliases.setdefault(key, (canonical,))
                self.spellings.append((name, canonical))
        for name, targets in self.resources.expansions.items():
            skills = tuple(canonical_name(t) for t in targets)
            missing = [s for s in skills if s not in self.display]
            if missing:
                logger.warning("expansion %r names unknown skills %s", name, missing)
                continue
            for key in key_forms(name):
                self.matcher.add(key, skills, overwrite=True)
        self._add_stoplist()
        return self

    def _add_stoplist(self) -> None:
        if self._stoplist_added:
            return
        for term in self.resources.stoplist:
            for key in key_forms(term):
                self.matcher.add(key, ())
        self._stoplist_added = True

    def _register(self, canonical: str, display: str, *, source: str) -> None:
        self.display.setdefault(canonical, display)
        self.sources.setdefault(canonical, source)

    def _add_spelling(self, name: str, skills: tuple[str, ...]) -> bool:
        added = False
        for key in key_forms(name):
            added = self.matcher.add(key, skills) or added
        self.spellings.append((name, skills[0]))
        return added

    # -- key_skills of the cards --------------------------------------------------------

    def add_key_skills(self, vacancies: Sequence[Vacancy], *, min_count: int = 2) -> VocabularyBuilder:
        """Every key skill named at least ``min_count`` times (spellings merged by key)."""
        self._add_stoplist()
        counts: Counter[tuple[str, ...]] = Counter()
        spellings: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        for vacancy in vacancies:
            for name in vacancy.key_skills or ():
                for part in split_key_skill(name):
                    forms = key_forms(part)
                    if forms and forms[0]:
                        counts[forms[0]] += 1
                        spellings[forms[0]][part] += 1
        added = 0
        index = SuggestIndex(self.spellings)
        for key, count in counts.most_common():
            if count < min_count:
                break
            added += self._add_key_skill(key, spellings[key], index)
        logger.info(
            "key_skills: %d distinct keys, %d new skills (min count %d)", len(counts), added, min_count
        )
        return self

    def _add_key_skill(self, key: tuple[str, ...], spellings: Counter[str], index: SuggestIndex) -> int:
        if self.matcher.get(key) is not None:
            return 0  # a curated skill (it keeps its curated display name) or a stoplisted term
        if len(key) > MAX_PHRASE_TOKENS or self._is_not_a_skill(key):
            return 0
        known = self._known_without_knowledge(spellings)
        if known is not None:  # "Знание английского языка" is Английский язык: one spelling more
            for name in spellings:
                self._add_spelling(name, known)
            return 0
        # "Знание ЕСКД" is ЕСКД, whichever of the two is named more often
        display = without_knowledge(repair_scripts(spellings.most_common(1)[0][0]), self.display)
        words = [w for w in map(surface, display.split()) if not is_numeric(w)]
        canonical = canonical_name(" ".join(words))
        # one letter is a skill only when curated (C, R): a key skill "С" is read in every "работа с"
        if not canonical or (len(canonical) == 1 and canonical.isalpha()):
            return 0
        # A variant of a known skill ("Adobe After Effect", "Solid Works") joins it.
        twin = canonical if canonical in self.display else script_twin(canonical, self.display)
        twin = twin or key_skill_twin(canonical, index)
        target = twin or canonical
        if twin is not None:
            logger.debug("key skill %r joins %r", display, twin)
        is_new = target not in self.display
        self._register(target, display, source="key_skills")
        for name in spellings:
            self._add_spelling(name, (target,))
            index.add(name, target)
        return int(is_new)

    def _known_without_knowledge(self, spellings: Counter[str]) -> tuple[str, ...] | None:
        """The known skills a "Знание X" key skill names once its prefix is gone, matched by lemmas
        (an inflected rest, "английского языка", is not a display name), None if X is not known."""
        name = spellings.most_common(1)[0][0]
        stripped = _KNOWLEDGE.sub("", name.strip())
        if stripped == name.strip():
            return None
        forms = key_forms(stripped)
        return (self.matcher.get(forms[0]) or None) if forms and forms[0] else None

    def _is_not_a_skill(self, key: tuple[str, ...]) -> bool:
        """Key skills that are job titles ("Инженер", "Системный администратор", "Developer")
        or personal traits ("Усидчивость", "Честный", "Планировать")."""
        if len(key) == 1:
            word = key[0]
            if word in self.resources.text_stopwords:
                return True
            if part_of_speech(word) in _NOT_SKILL_POS or word.endswith(_TRAIT_SUFFIXES):
                return True
        first_noun = next((t for t in key if part_of_speech(t) == "NOUN"), None)
        return first_noun is not None and is_person_noun(first_noun)

    # -- learned from texts -------------------------------------------------------------

    def learn_from_texts(
        self, vacancies: Sequence[Vacancy], *, min_df: int | None = None
    ) -> VocabularyBuilder:

        self._add_stoplist()
        known = SuggestIndex(self.spellings)
        learning = learn_text_skills(
            vacancies,
            self.matcher,
            stopwords=self.resources.text_stopwords,
            fields=self.fields,
            min_df=min_df,
        )
        added = 0
        for term in learning.terms:
            added += self._add_learned(term, known, learning.term_fields.get(term.display))
        for skill, field_name in learning.skill_fields.items():
            self.fields.setdefault(skill, field_name)
        logger.info("learned %d skills from texts", added)
        return self

    def _add_learned(self, term: LearnedTerm, known: SuggestIndex, field_name: str | None) -> int:
        canonical = canonical_name(term.display)
        if canonical in self.display or self.matcher.get(term.key) is not None:
            return 0
        if term.key in self.item_aliases:
            # A query-only alias ("pon") that the texts use often enough to trust in prose.
            self.matcher.add(term.key, self.item_aliases[term.key])
            return 0
        twin = typo_twin(term.key, known) if term.kind == "tool" else None
        if twin is not None:  # "PostgresSQL", "Prometeus": misspellings, not new tools
            self.matcher.add(term.key, (twin,))
            self.spellings.append((term.display, twin))
            return 0
        self._register(canonical, term.display, source="text")
        self.matcher.add(term.key, (canonical,))
        self.spellings.append((term.display, canonical))
        if field_name is not None:
            self.fields.setdefault(canonical, field_name)
        return 1

    def finish(self) -> VocabularyParts:
        return VocabularyParts(
            self.matcher,
            dict(self.display),
            fields=dict(self.fields),
            item_aliases=dict(self.item_aliases),
            sources=dict(self.sources),
            spellings=list(self.spellings),
            text_stopwords=self.resources.text_stopwords,
        )


# "Знание ЕСКД", "опыт работы с Git", "knowledge of SQL": the skill itself.
_KNOWLEDGE = re.compile(
    r"^(?:(?:уверенное|хорошее|отличное|базовое|глубокое)\s+)?(?:знание|знания|владение|понимание|"
    r"опыт работы (?:с|в)|навыки работы (?:с|в)|умение работать (?:с|в)|knowledge of|experience with)\s+",
    re.IGNORECASE,
)


def without_knowledge(name: str, known: Collection[str]) -> str:
    """A key skill without a "Знание" / "опыт работы с" prefix ("Знание ЕСКД" → "ЕСКД") when the
    rest is a known skill or a tool's name (Latin letters or digits: "Знание Jira"); "Знание
    компьютера", "Работа с людьми" stay whole (their rest is no skill)."""
    stripped = _KNOWLEDGE.sub("", name.strip())
    if stripped and (canonical_name(stripped) in known or re.search(r"[a-z0-9]", stripped, re.IGNORECASE)):
        return stripped
    return name


def script_twin(name: str, known: Collection[str]) -> str | None:
    """The known skill a key skill spells in Cyrillic look-alike letters ("РНР" is PHP, "в2в
    продажи" B2B продажи): each word made only of look-alikes read in Latin, when that is known.
    Mixed words are repaired as text is read (``repair_scripts``); these have no Latin letter."""
    words = [w.translate(_LOOKALIKES_TO_LATIN) if _ALL_LOOKALIKES.fullmatch(w) else w for w in name.split()]
    latin = " ".join(words)
    return latin if latin != name and latin in known else None


def key_skill_twin(name: str, index: SuggestIndex) -> str | None:
    """The known skill that a key skill name spells differently ("GitlabCI", "Kubernete").

    Strict on purpose: the names must be one letter apart once spaces and punctuation are
    gone, and their short words must agree ("категории A" is not "категории B", "входящие"
    is not "исходящие"), unless they are the same letters ("RESTAPI" is REST API, "MSOffice"
    MS Office: their short word is glued on, and both were shown as skills of their own).
    """
    mine = _twin_form(name)
    if len(mine[0]) < MIN_SAME_LETTERS:
        return None
    typo_ok = len(mine[0]) >= MIN_TYPO_CHARS + 1
    for spelling, skill in index.candidates(name, 10):
        theirs = _twin_form(spelling)
        if mine[0] == theirs[0]:
            return skill
        if typo_ok and mine[1] == theirs[1] and levenshtein(mine[0], theirs[0]) <= 1:
            return skill
    return None


def _twin_form(name: str) -> tuple[str, frozenset[str]]:
    """(letters, digits, "+" and "#" only; short words) in one script, for comparing spellings."""
    folded = canonical_name(name).translate(_LOOKALIKES_TO_LATIN)
    words = _WORD.findall(folded)
    return "".join(words), frozenset(w for w in words if len(w) <= 3)


def typo_twin(key: tuple[str, ...], index: SuggestIndex) -> str | None:
    """The known skill a single learned word misspells (one edit in a long word), if any."""
    if len(key) != 1 or len(key[0]) < MIN_TYPO_CHARS:
        return None
    scored = index.scored(key[0], 1)
    if scored and scored[0][1] >= TYPO_SIMILARITY:
        return scored[0][0]
    return None
