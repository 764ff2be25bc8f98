"""Job titles (specialization labels) in the user's language.

Labels come from the corpus's own titles, so they are Russian ("Системный аналитик",
"Инженер-программист микроконтроллеров"). For an English user a label is rendered with a small
glossary of title words: a head noun (разработчик → developer), modifiers before it (системный →
systems) and genitive tails after it (данных → data), Latin words kept. A label with any
Cyrillic word the glossary does not know is shown as it is: a half-translated title reads worse
than the corpus's own.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Whole titles whose English is not word by word.
PHRASES = {
    "менеджер по продажам": "Sales manager",
    "менеджер по работе с клиентами": "Account manager",
    "менеджер проектов": "Project manager",
    "руководитель проектов": "Project manager",
    "менеджер по маркетингу": "Marketing manager",
    "специалист технической поддержки": "Technical support specialist",
    "специалист службы поддержки": "Support specialist",
    "оператор call-центра": "Call centre operator",
    "инженер-программист": "Software engineer",
    "программист-разработчик": "Software developer",
    "системный администратор": "System administrator",
    "главный бухгалтер": "Chief accountant",
    "монтажник связи": "Telecom installer",
    "техник связи": "Telecom technician",
}

HEADS = {
    "разработчик": "developer",
    "программист": "programmer",
    "аналитик": "analyst",
    "инженер": "engineer",
    "дизайнер": "designer",
    "тестировщик": "QA engineer",
    "администратор": "administrator",
    "менеджер": "manager",
    "специалист": "specialist",
    "архитектор": "architect",
    "руководитель": "head",
    "консультант": "consultant",
    "оператор": "operator",
    "бухгалтер": "accountant",
    "маркетолог": "marketer",
    "художник": "artist",
    "аниматор": "animator",
    "верстальщик": "HTML coder",
    "преподаватель": "teacher",
    "учитель": "teacher",
    "юрист": "lawyer",
    "водитель": "driver",
    "продавец": "sales assistant",
    "копирайтер": "copywriter",
    "редактор": "editor",
    "рекрутер": "recruiter",
    "монтажник": "installer",
    "техник": "technician",
    "продюсер": "producer",
    "тимлид": "team lead",
    "директор": "director",
    "экономист": "economist",
    "логист": "logistician",
    "кассир": "cashier",
    "курьер": "courier",
    "инженер-программист": "software engineer",
    "программист-разработчик": "software developer",
}

MODIFIERS = {
    "системный": "systems",
    "ведущий": "lead",
    "старший": "senior",
    "младший": "junior",
    "главный": "chief",
    "веб": "web",
    "бизнес": "business",
    "графический": "graphic",
    "технический": "technical",
    "продуктовый": "product",
    "финансовый": "financial",
    "интернет": "internet",
    "игровой": "game",
    "мобильный": "mobile",
    "1с": "1C",
    "data": "data",
}

TAILS = {
    "данных": "data",
    "продаж": "sales",
    "проектов": "project",
    "поддержки": "support",
    "микроконтроллеров": "microcontroller",
    "встраиваемых": "embedded",
    "систем": "systems",
    "безопасности": "security",
    "информационной": "information",
    "интерфейсов": "interface",
    "связи": "telecom",
    "игр": "game",
    "тестирования": "test",
    "тестированию": "test",
    "такси": "taxi",
    "маркетингу": "marketing",
    "качества": "quality",
    "маркетинга": "marketing",
    "рекламы": "advertising",
    "персоналу": "HR",
    "по": "",
    "и": "and",
}

_WORD = re.compile(r"[^\s·]+")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def title_for(lang: str, label: str) -> str:
    """The label for a user of ``lang``: as it is for Russian, in English where the glossary can."""
    return label if lang == "ru" else english_title(label)


@lru_cache(maxsize=4096)
def english_title(label: str) -> str:
    """'Системный аналитик' → 'Systems analyst'; 'Frontend-разработчик' → 'Frontend developer';
    unknown Cyrillic words → the label unchanged. Each ' / '-separated part on its own."""
    return " / ".join(_english_part(part.strip()) for part in label.split(" / "))


def _english_part(label: str) -> str:
    phrase = PHRASES.get(label.lower())
    if phrase:
        return phrase
    head: str | None = None
    before: list[str] = []
    after: list[str] = []
    for word in _words(label):
        lower = word.lower()
        if head is None and lower in HEADS:
            head = HEADS[lower]
        elif lower in MODIFIERS:
            before.append(MODIFIERS[lower])
        elif lower in TAILS:
            (after if head is not None else before).append(TAILS[lower])
        elif _CYRILLIC.search(word):
            return label  # a word the glossary does not know: keep the corpus's own title
        else:
            (after if head is not None else before).append(word)  # Python, 1С, Frontend, QA
    if head is None:
        return label
    words = [w for w in (*before, *after, head) if w]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _words(label: str) -> list[str]:
    """Words of a title, hyphenated compounds split ('Frontend-разработчик', 'веб-дизайнер')."""
    words: list[str] = []
    for word in _WORD.findall(label):
        parts = word.split("-")
        compound = word.lower() not in HEADS and len(parts) > 1
        if compound and any(p.lower() in HEADS or p.lower() in MODIFIERS for p in parts):
            words.extend(p for p in parts if p)
        else:
            words.append(word)
    return words
