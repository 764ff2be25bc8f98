"""Which skills are hard skills: what a ✓ / ✗ explanation may name.

Employers' key_skills mix tools with personal qualities ("Стремление к развитию",
"Любовь к детям"), perks ("Тренинги") and words of the job ("многоквартирный дом").
Those stay in the vocabulary (they help place a vacancy in its field) but an explanation
of why a vacancy matches names tools, technologies and methods only.
"""

from __future__ import annotations

import re

# Stems of personal qualities, attitudes and perks (canonical forms: lower case, ё as е).
# A skill one of whose words starts so is not a hard skill. Stems that also begin tools or
# methods are left out ("обучение": машинное обучение; "ориентированн": ООП; "коммуникац":
# маркетинговые коммуникации; "развитие": развитие бизнеса).
_SOFT_STEMS = (
    "стремлен",
    "желани",
    "умени",
    "способност",
    "готовност",
    "ответствен",
    "коммуникаб",
    "стрессо",
    "обучаем",
    "пунктуальн",
    "внимательн",
    "внимани",
    "аккуратн",
    "исполнительн",
    "дисциплин",
    "инициатив",
    "честн",
    "порядочн",
    "доброжелат",
    "вежлив",
    "лидерск",
    "креативн",
    "организованн",
    "нацелен",
    "ориентац",
    "клиентоориент",
    "многозадачн",
    "самостоятельн",
    "энергичн",
    "позитив",
    "любов",
    "тренинг",
    "мотивац",
    "саморазвит",
    "грамотн",
    "целеустрем",
    "усидчив",
    "терпени",
    "терпелив",
    "общительн",
    "харизм",
    "дружелюб",
    "трудолюб",
    "амбициозн",
    "гибкост",
    "эмпати",
    "эмоциональн",
    "настойчив",
    "самоорганизац",
    "дружн",
    "коллектив",
    "командн",
    "наставничеств",
    "мышлени",
    "памят",
)
# Whole words of generic job settings, not skills ("многоквартирный дом", "работа с детьми").
_SOFT_WORDS = (
    "дом", "дома", "домов", "дети", "детей", "детьми", "детям", "склад ума", "команде", "командой",
    "скорость печати",
)  # fmt: skip
_SOFT_WORD = re.compile(
    r"(?:^|[\s\-/(])(?:(?:" + "|".join(_SOFT_STEMS) + r")|(?:" + "|".join(_SOFT_WORDS) + r")(?=$|[\s,.)]))"
)
# Whole skills of one generic activity, as hh key_skills carry them and every vacancy text names
# them: "разработка" is in 26% of the shared files' vacancies (1% of its mentions a key skill:
# "разработка отчётности" for accountants, "разработка коммерческих предложений" for sales),
# "программирование" in 5%. They stay in the vocabulary (as query and vacancy skills they still
# place a vacancy in development), but name no field: they were among every field's most-asked
# skills, accountants' and sales managers' included. "Разработка ПО" stays a skill.
_GENERIC_ACTIVITIES = frozenset({"разработка", "программирование"})
# Phrases that are hard skills although a word in them looks soft.
_HARD_EXCEPTIONS = re.compile(r"командн\w* строк|умн\w* дом")


def is_soft_phrase(skill: str) -> bool:
    """Whether a canonical skill names a personal quality, perk or generic job word."""
    if skill in _GENERIC_ACTIVITIES:
        return True
    if _HARD_EXCEPTIONS.search(skill):
        return False
    return bool(_SOFT_WORD.search(skill))
