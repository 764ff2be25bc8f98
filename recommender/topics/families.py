"""Title families: what a vacancy title says the job is, for judging recommended titles.

``title_family(title)`` maps a title to a small set of word stems, in a fixed order:

1. levels, bracketed notes and employer tails go (``recommender.topics.labels.clean_title``:
   "Senior Python-разработчик (Django) в Яндекс" → "Python-разработчик");
2. lower case, ё → е, Latin look-alikes of "1с" and "b2b" unified, hyphens and slashes split
   words ("ui/ux-дизайнер" → ui, ux, дизайнер);
3. English role words and their Russian twins become one word: developer / programmer /
   программист / разработчик → "разработчик", designer → "дизайнер", engineer → "инженер",
   analyst → "аналитик", tester / qa / "инженер по тестированию" → "тестировщик",
   manager → "менеджер", "project manager" / "руководитель проектов" → "менеджер проект",
   "sales manager" → "менеджер продаж", data engineer / data analyst → "аналитик данн" / ...;
   "ui" and "ux" are one word "ui/ux";
4. prepositions, conjunctions and filler ("по", "с", "в", "работа", "удаленно", "отдела") go;
   Russian words are cut to their first 6 letters ("продажам" and "продаже" → "продаж");
5. at most ``MAX_FAMILY_WORDS`` words are kept, in title order.

So "Python Developer", "Разработчик Python", "Middle Python-программист" are one family
{python, разработчик}; "Программист 1С" and "1C разработчик" are {1с, разработчик}; "UX/UI
designer" and "Дизайнер UI/UX" are {ui/ux, дизайнер}; "Системный аналитик" is {систем, аналит}.

A recommended vacancy is *in the family* of a held-out one when its title's family contains
every word of the held-out family: "Backend Python developer" is in the python-разработчик
family, a bare "Разработчик" is not. Families made only of a generic word ("специалист",
"инженер", "разработчик", "менеджер", "оператор", "аналитик") name no field and are not used
as queries.
"""

from __future__ import annotations

import re

from recommender.topics.labels import clean_title

MAX_FAMILY_WORDS = 3
STEM_CHARS = 6

_SPLIT = re.compile(r"[\s\-–—_/,.:;|()\"'«»!?]+")
# The word forms of one job, folded before stemming (keys are lower case, ё → е).
_WORD_SYNONYMS = {
    "developer": "разработчик",
    "programmer": "разработчик",
    "программист": "разработчик",
    "dev": "разработчик",
    "designer": "дизайнер",
    "engineer": "инженер",
    "analyst": "аналитик",
    "tester": "тестировщик",
    "qa": "тестировщик",
    "тестирования": "тестировщик",
    "тестированию": "тестировщик",
    "manager": "менеджер",
    "administrator": "администратор",
    "admin": "администратор",
    "sales": "продаж",
    "продажам": "продаж",
    "продаже": "продаж",
    "project": "проект",
    "проектов": "проект",
    "проекта": "проект",
    "product": "продукт",
    "продукта": "продукт",
    "web": "веб",
    "front": "frontend",
    "фронтенд": "frontend",
    "back": "backend",
    "бэкенд": "backend",
    "бекенд": "backend",
    "1c": "1с",
    "в2в": "b2b",
    "саll": "call",
    "колл": "call",
    "ux": "ui/ux",
    "ui": "ui/ux",
    "data": "данн",
    "данных": "данн",
    "руководитель": "менеджер",
    "head": "менеджер",
    "artist": "художник",
    "copywriter": "копирайтер",
    "recruiter": "рекрутер",
    "accountant": "бухгалтер",
    "lawyer": "юрист",
    "marketer": "маркетолог",
    # the English words of bilingual titles ("System Analyst / Системный аналитик"), as stems
    "system": "систем",
    "systems": "систем",
    "business": "бизнес",
    "support": "поддер",
    "specialist": "специа",
    "technical": "технич",
    "marketing": "маркет",
    "content": "контен",
}
# Phrases that name one job in several words, replaced before splitting.
_PHRASES = (
    (re.compile(r"\b(?:инженер|специалист|engineer)\s+по\s+тестированию\b"), "тестировщик"),
    (re.compile(r"\bqa\s+(?:engineer|инженер|специалист|automation\s+engineer)\b"), "тестировщик"),
    (re.compile(r"\bтестировщик\s+по\b"), "тестировщик"),
    (re.compile(r"\bdevops(?:\s*-?\s*(?:инженер|engineer|специалист))?\b"), "devops инженер"),
    (re.compile(r"\bdata\s+(?:engineer|инженер)\b"), "инженер данн"),
    (re.compile(r"\bdata\s+analyst\b"), "аналитик данн"),
    (re.compile(r"\b(?:data\s*-?\s*scientist|дата\s*-?\s*сайентист)\b"), "datascientist"),
    (re.compile(r"\bfront\s*-?\s*end\b"), "frontend"),
    (re.compile(r"\bback\s*-?\s*end\b"), "backend"),
    (re.compile(r"\bfull\s*-?\s*stack\b"), "fullstack"),
    (re.compile(r"\bml\s*-?\s*(?:engineer|инженер|разработчик)\b"), "ml инженер"),
)
# the units of a company name no job: "Руководитель отдела продаж" is in sales, "Специалист службы
# поддержки" in support (as keys, "менедж отдела" and "службы специа" grouped every department's)
_FILLER = frozenset(
    """и в во на по с со для из от до или а к при the of and to in for at with
    работа вакансия удаленно удаленная удаленный удаленке офис г
    отдел отдела службы служба группы группа направления департамента подразделения""".split()  # noqa: SIM905
)
GENERIC_WORDS = frozenset(
    {
        "специа",  # специалист
        "инжене",  # инженер
        "разраб",  # разработчик
        "менедж",  # менеджер
        "операт",  # оператор
        "аналит",  # аналитик
        "сотруд",  # сотрудник
        "консул",  # консультант
        "помощн",  # помощник
        "админи",  # администратор
        "технич",  # технический
        "началь",  # начальник
        "мастер",
    }
)
_CYRILLIC = re.compile("[а-я]")


def _stem(word: str) -> str:
    if _CYRILLIC.search(word) and not any(ch.isdigit() for ch in word) and len(word) > STEM_CHARS:
        return word[:STEM_CHARS]
    return word


def title_family(title: str, limit: int | None = MAX_FAMILY_WORDS) -> tuple[str, ...]:
    """The title's family: up to ``limit`` word stems in title order (see the module docstring);
    ``limit=None`` keeps every word (the form a candidate title is matched in)."""
    text = clean_title(title or "").lower().replace("ё", "е")
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    words: list[str] = []
    for raw in _SPLIT.split(text):
        if not raw or raw in _FILLER or raw.isdigit():
            continue
        for word in _WORD_SYNONYMS.get(raw, raw).split():
            stem = _stem(word)
            if stem not in words:
                words.append(stem)
    return tuple(words[:limit] if limit else words)


def names_a_field(family: tuple[str, ...]) -> bool:
    """False for an empty family or one made only of generic job words ("Специалист", "Инженер")."""
    return any(word not in GENERIC_WORDS for word in family)


def in_family(candidate: tuple[str, ...] | frozenset[str], family: tuple[str, ...]) -> bool:
    """Is a title whose family is ``candidate`` in ``family`` (has every one of its words)?"""
    if not family:
        return False
    # a frozenset candidate (every indexed title's) is asked directly: no set built per call
    words = candidate if isinstance(candidate, frozenset) else frozenset(candidate)
    return words.issuperset(family)


def display_family(family: tuple[str, ...]) -> str:
    return " ".join(family)
