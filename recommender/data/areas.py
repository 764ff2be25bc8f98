"""A vacancy's country from hh.ru's areas tree.

hh's ``GET /areas`` answers a list of countries, each ``{id, parent_id, name, areas: [...]}``
nested down to towns; the top level is the country (with "Другие регионы", id 1001, holding
further countries such as Сербия as its children). ``country_index`` turns such a tree into
area id → country name.

Without a tree (no network, old data) ``BUILTIN_COUNTRIES`` answers: hh's top-level country ids
and the towns outside Russia that occur in ../shared/data (the Belarus engineering cards of
2023 — every area of that scrape apart from Moscow — and Сербия). Any other hh area id is taken
as Russian: hh's catalogue and our data are overwhelmingly Russian, and a collector that can
reach hh should pass the real tree (``country_index(await get('/areas'))``) instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

RUSSIA = "Россия"
BELARUS = "Беларусь"
KAZAKHSTAN = "Казахстан"
OTHER_REGIONS_ID = "1001"  # hh's "Другие регионы": its children are countries, not places in one

# hh's top-level areas (countries), as GET /areas lists them.
COUNTRY_IDS: dict[str, str] = {
    "113": RUSSIA, "16": BELARUS, "40": KAZAKHSTAN, "5": "Украина", "9": "Азербайджан",
    "28": "Грузия", "48": "Кыргызстан", "97": "Узбекистан",
}
_BELARUS_AREAS = (  # noqa: SIM905 -- a list of 59 ids reads better as one block
    "1002 1003 1004 1005 1006 1007 2239 2240 2243 2245 2246 2247 2251 2253 2257 2264 2265 2268 2271"
    " 2279 2280 2281 2285 2290 2291 2295 2301 2303 2306 2307 2308 2311 2312 2314 2315 2316 2319 2322"
    " 2323 2324 2325 2326 2327 2328 2330 2331 2334 2335 2337 2342 2346 2347 2366 2394 2484 2630 2746"
    " 2748 2749"
).split()
BUILTIN_COUNTRIES: dict[str, str] = (
    COUNTRY_IDS
    | dict.fromkeys(_BELARUS_AREAS, BELARUS)
    | {"159": KAZAKHSTAN, "160": KAZAKHSTAN, "146": "Сербия"}  # Астана, Алматы
)
# Area names seen without ids (hh_2024_2025_tables): towns outside Russia by name.
_FOREIGN_NAMES: dict[str, str] = {
    "Минск": BELARUS, "Брест": BELARUS, "Гомель": BELARUS, "Гродно": BELARUS, "Витебск": BELARUS,
    "Могилев": BELARUS, "Алматы": KAZAKHSTAN, "Астана": KAZAKHSTAN, "Ташкент": "Узбекистан",
    "Бишкек": "Кыргызстан", "Баку": "Азербайджан", "Тбилиси": "Грузия", "Ереван": "Армения",
    "Киев": "Украина", "Белград": "Сербия",
}


def _walk(nodes: Iterable[Any], country: str | None, index: dict[str, str]) -> None:
    for node in nodes:
        if not isinstance(node, dict) or node.get("id") is None:
            continue
        node_id, name = str(node["id"]), str(node.get("name") or "")
        here = country
        if here is None and node_id != OTHER_REGIONS_ID:
            here = name  # a top-level area, or a child of "Другие регионы": a country
        if here is not None:
            index[node_id] = here
        children = node.get("areas")
        if isinstance(children, list):
            _walk(children, here, index)


def country_index(tree: Any) -> dict[str, str]:
    """hh's ``/areas`` answer (a list of countries, or one area object) → area id → country."""
    index: dict[str, str] = {}
    _walk(tree if isinstance(tree, list) else [tree], None, index)
    return index


def country_of(area_id: str, area_name: str = "", countries: Mapping[str, str] | None = None) -> str:
    """The country of an hh area; "" when there is no area at all."""
    table = BUILTIN_COUNTRIES if countries is None else countries
    if area_id:
        return table.get(area_id) or BUILTIN_COUNTRIES.get(area_id) or RUSSIA
    if area_name:
        return _FOREIGN_NAMES.get(area_name.strip(), RUSSIA)
    return ""
