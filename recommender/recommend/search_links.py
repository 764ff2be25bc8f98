"""Links that open today's vacancies at the sources for the same query: skills, city, experience
and remote work. The stored vacancies age; these links never do, so every answer and digest
carries them.

hh.ru: ``https://hh.ru/search/vacancy`` with the site's own parameters (the API's names):
``text`` (hh's query language: ``OR`` between words), ``area`` (hh area id), ``experience``
(hh experience id), ``work_format`` (REMOTE, ...), ``order_by=publication_time`` (newest first).

Работа России (trudvsem.ru): ``https://trudvsem.ru/vacancy/search`` with ``_title`` (words
searched in vacancy titles) and ``_regionIds`` (the region's 13-digit KLADR code, e.g. 7700000000000 for
Moscow), the form the site's own search page builds (seen in public links to it, e.g.
``https://trudvsem.ru/vacancy/search?_regionIds=8600000000000&page=0``). The site's search has
no experience parameter in that form, so experience is not passed there.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

HH_SEARCH = "https://hh.ru/search/vacancy"
TRUDVSEM_SEARCH = "https://trudvsem.ru/vacancy/search"
MAX_TERMS = 5  # skills in one search text: more makes hh's OR query too broad to be useful

# hh area id → Работа России region (KLADR code) for the cities whose region is the city itself
# or whose city is the region's centre (the bot's city list and the largest cities).
TRUDVSEM_REGIONS: dict[str, str] = {
    "1": "7700000000000",  # Москва
    "2": "7800000000000",  # Санкт-Петербург
    "4": "5400000000000",  # Новосибирск, Новосибирская область
    "3": "6600000000000",  # Екатеринбург, Свердловская область
    "88": "1600000000000",  # Казань, Республика Татарстан
    "66": "5200000000000",  # Нижний Новгород, Нижегородская область
    "104": "7400000000000",  # Челябинск
    "78": "6300000000000",  # Самара
    "68": "5500000000000",  # Омск
    "76": "6100000000000",  # Ростов-на-Дону
    "99": "0200000000000",  # Уфа, Республика Башкортостан
    "54": "2400000000000",  # Красноярск
    "26": "3600000000000",  # Воронеж
    "72": "5900000000000",  # Пермь
    "24": "3400000000000",  # Волгоград
    "53": "2300000000000",  # Краснодар
}


def _terms(skills: Sequence[str]) -> list[str]:
    """The skills as search words, without duplicates (case-insensitive), at most MAX_TERMS."""
    seen: dict[str, str] = {}
    for skill in skills:
        term = " ".join(str(skill).split())
        if term and term.lower() not in seen:
            seen[term.lower()] = term
    return list(seen.values())[:MAX_TERMS]


def hh_search_url(
    skills: Sequence[str],
    *,
    area_id: str | None = None,
    experience: str | None = None,
    remote: bool = False,
) -> str:
    """hh.ru's search for these skills, newest first: any of the skills (``OR``), in the area,
    for the experience level, remote only when asked."""
    params: list[tuple[str, str]] = []
    terms = _terms(skills)
    if terms:
        params.append(("text", " OR ".join(f'"{t}"' if " " in t else t for t in terms)))
    if area_id:
        params.append(("area", area_id))
    if experience:
        params.append(("experience", experience))
    if remote:
        params.append(("work_format", "REMOTE"))
    params.append(("order_by", "publication_time"))
    return f"{HH_SEARCH}?{urlencode(params)}"


def trudvsem_search_url(title: str, *, area_id: str | None = None) -> str:
    """Работа России's search for vacancies titled with these words (the site searches titles:
    pass the specialization, e.g. "Python-разработчик", or the main skill) in the area's region
    (all Russia when the area has no known region)."""
    params: list[tuple[str, str]] = []
    words = " ".join(str(title).split())
    if words:
        params.append(("_title", words))
    region = TRUDVSEM_REGIONS.get(area_id or "")
    if region:
        params.append(("_regionIds", region))
    params.append(("page", "0"))
    return f"{TRUDVSEM_SEARCH}?{urlencode(params)}"
