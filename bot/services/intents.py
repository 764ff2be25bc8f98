"""What a message means in the conversation before it is a skills query: a greeting, or a
salary question and its subject. Reading skills (typos, a job title typed alone) is the
library's: ``Bundle.understand``.
"""

from __future__ import annotations

import re

GREETING = re.compile(
    r"^\W*(привет|приветик|приветствую|здравствуй\w*|здрасте|добр\w+\s+(утро|день|вечер)|доброе|хай|салют|ку|"
    r"hi|hello|hey|good\s+(morning|afternoon|evening)|спасибо|благодарю|thanks|thank\s+you|"
    r"как\s+дела|что\s+ты\s+умеешь|ты\s+кто|кто\s+ты|what\s+can\s+you\s+do|help|помощь|помоги\w*)\W*$",
    re.IGNORECASE,
)
SALARY_QUESTION = re.compile(
    r"\b(сколько\s+(сейчас\s+)?(получа\w*|зарабатыва\w*|плат\w*|да[ёе]т|стоит)|какая\s+зарплата|"
    r"зарплат\w*|зп|оклад\w*|доход\w*|how\s+much|salary|salaries|pay\s+for)\b",
    re.IGNORECASE,
)
# Words around the subject of a salary question: "сколько получает [тестировщик] в Москве?"
FILLER = re.compile(
    r"\b(в\s+месяц|в\s+год|сейчас|обычно|примерно|у\s+нас|в\s+россии|в\s+среднем|на\s+руки|"
    r"у|на|для|по|в|of|for|a|an|the|in\s+russia|per\s+month|does|do|is|can|earns?|makes?|make|paid|"
    r"gets?|junior|middle|senior)\b",
    re.IGNORECASE,
)


def is_greeting(text: str) -> bool:
    return bool(GREETING.match(text.strip())) and len(text) <= 60


def salary_subject(text: str) -> str | None:
    """The field or title a salary question names ("тестировщик"), None when it is no salary question."""
    if not SALARY_QUESTION.search(text):
        return None
    subject = SALARY_QUESTION.sub(" ", text)
    subject = FILLER.sub(" ", subject)
    subject = re.sub(r"[?!.,;:«»\"()]+", " ", subject)
    return " ".join(subject.split())
