"""Cities as people write them: "спб", "питер", "в Казани", "moscow", "Нижнем Новгороде".

The one place a typed city becomes hh's area: its id and its name as hh writes it (the name
the corpus and ``Filters.area`` use), with its English name and its UTC offset (when a
digest comes is said in the user's time). ``CITIES`` holds the cities of the corpus with the
most vacancies, as hh's areas dictionary names them; any other area the corpus knows is
recognized by name when the caller passes the corpus's names (``known``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

MOSCOW_OFFSET = 3


@dataclass(frozen=True, slots=True)
class City:
    area_id: str  # hh's area id; "" for a corpus area outside CITIES
    name: str  # as hh writes it: what vacancies carry and filters match
    name_en: str
    utc_offset: int | None = MOSCOW_OFFSET  # hours; None when unknown (said in Moscow time)

    def label(self, lang: str) -> str:
        return self.name if lang == "ru" else self.name_en


# (hh id, name, English name, UTC offset, other spellings: abbreviations, old names, slang)
_TABLE: tuple[tuple[str, str, str, int, tuple[str, ...]], ...] = (
    ("1", "Москва", "Moscow", 3, ("мск", "msk", "moskva", "мошква", "дефолт-сити")),
    ("2", "Санкт-Петербург", "Saint Petersburg", 3,
     ("спб", "питер", "петербург", "ленинград", "spb", "piter", "st petersburg", "st. petersburg",
      "saint-petersburg", "sankt-peterburg", "petersburg", "с-пб", "с.-петербург", "санкт петербург")),
    ("3", "Екатеринбург", "Yekaterinburg", 5, ("екб", "ебург", "екат", "свердловск", "ekb", "ekaterinburg")),
    ("4", "Новосибирск", "Novosibirsk", 7, ("нск", "новосиб", "nsk")),
    ("88", "Казань", "Kazan", 3, ()),
    ("66", "Нижний Новгород", "Nizhny Novgorod", 3, ("нн", "нижний", "н.новгород", "н. новгород", "nn")),
    ("53", "Краснодар", "Krasnodar", 3, ("крд",)),
    ("76", "Ростов-на-Дону", "Rostov-on-Don", 3, ("ростов", "rostov", "rnd")),
    ("78", "Самара", "Samara", 4, ()),
    ("26", "Воронеж", "Voronezh", 3, ()),
    ("72", "Пермь", "Perm", 5, ()),
    ("104", "Челябинск", "Chelyabinsk", 5, ("челяба",)),
    ("99", "Уфа", "Ufa", 5, ()),
    ("54", "Красноярск", "Krasnoyarsk", 7, ("крск",)),
    ("68", "Омск", "Omsk", 6, ()),
    ("90", "Томск", "Tomsk", 7, ()),
    ("79", "Саратов", "Saratov", 4, ()),
    ("24", "Волгоград", "Volgograd", 3, ()),
    ("96", "Ижевск", "Izhevsk", 4, ()),
    ("95", "Тюмень", "Tyumen", 5, ()),
    ("22", "Владивосток", "Vladivostok", 10, ("влад",)),
    ("112", "Ярославль", "Yaroslavl", 3, ()),
    ("41", "Калининград", "Kaliningrad", 2, ()),
    ("92", "Тула", "Tula", 3, ()),
    ("98", "Ульяновск", "Ulyanovsk", 4, ()),
    ("35", "Иркутск", "Irkutsk", 8, ()),
    ("77", "Рязань", "Ryazan", 3, ()),
    ("84", "Ставрополь", "Stavropol", 3, ()),
    ("11", "Барнаул", "Barnaul", 7, ()),
    ("89", "Тверь", "Tver", 3, ()),
    ("71", "Пенза", "Penza", 3, ()),
    ("49", "Киров (Кировская область)", "Kirov", 3, ()),
    ("237", "Сочи", "Sochi", 3, ()),
    ("212", "Тольятти", "Tolyatti", 4, ()),
    ("23", "Владимир", "Vladimir", 3, ()),
    ("102", "Хабаровск", "Khabarovsk", 10, ()),
    ("17", "Белгород", "Belgorod", 3, ()),
    ("1641", "Набережные Челны", "Naberezhnye Chelny", 3, ("челны",)),
    ("107", "Чебоксары", "Cheboksary", 3, ()),
    ("47", "Кемерово", "Kemerovo", 7, ()),
    ("70", "Оренбург", "Orenburg", 5, ()),
    ("58", "Липецк", "Lipetsk", 3, ()),
    ("32", "Иваново (Ивановская область)", "Ivanovo", 3, ()),
    ("43", "Калуга", "Kaluga", 3, ()),
    ("56", "Курск", "Kursk", 3, ()),
    ("1240", "Новокузнецк", "Novokuznetsk", 7, ()),
    ("131", "Симферополь", "Simferopol", 3, ()),
    ("15", "Астрахань", "Astrakhan", 4, ()),
    ("14", "Архангельск", "Arkhangelsk", 3, ()),
    ("130", "Севастополь", "Sevastopol", 3, ()),
    ("64", "Мурманск", "Murmansk", 3, ()),
    ("1381", "Сургут", "Surgut", 5, ()),
    ("55", "Курган", "Kurgan", 5, ()),
    ("20", "Улан-Удэ", "Ulan-Ude", 8, ()),
    ("80", "Якутск", "Yakutsk", 9, ()),
    ("106", "Чита", "Chita", 9, ()),
    ("81", "Южно-Сахалинск", "Yuzhno-Sakhalinsk", 11, ()),
    ("60", "Магадан", "Magadan", 11, ()),
    ("44", "Петропавловск-Камчатский", "Petropavlovsk-Kamchatsky", 12, ("петропавловск",)),
    ("246", "Норильск", "Norilsk", 7, ()),
    ("1002", "Минск", "Minsk", 3, ()),
)  # fmt: skip
CITIES: tuple[City, ...] = tuple(City(i, name, en, offset) for i, name, en, offset, _ in _TABLE)

# Words around a city name: "в Казани", "г. Москва", "город Омск", "in Moscow", "из Перми".
_AROUND = re.compile(r"^(?:(?:в|во|из|по|г|гор|город|городе|in|city|of)\b\.?\s*)+", re.IGNORECASE)
_REGION = re.compile(r"\s*\(.*?\)")  # hh's "Киров (Кировская область)"
# Russian case endings (longest first): "Москве", "Казани", "Нижнем Новгороде" end like their names' stems.
_ENDINGS = ("ого", "его", "ому", "ему", "ами", "ями", "ими", "ыми", "ий", "ый", "ой", "ей", "ая", "ое", "ые",
            "ых", "ым", "ом", "ем", "ах", "ях", "а", "я", "е", "и", "ы", "у", "ю", "о", "ь", "й")  # fmt: skip
_LATIN_LETTERS = "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya"
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _LATIN_LETTERS.split(" "), strict=True))
# Latin spellings differ in these only: Yekaterinburg / Ekaterinburg, Nizhny / Nizhnii, Tyumen / Tiumen.
_LATIN_VARIANTS = (
    ("shch", "sh"), ("yu", "u"), ("iu", "u"), ("ya", "a"), ("ia", "a"), ("yo", "o"), ("ye", "e"),
    ("kh", "h"), ("tz", "c"), ("ts", "c"), ("y", "i"), ("j", "i"), ("w", "v"),
)  # fmt: skip
MAX_CITY_WORDS = 4


def _key(text: str) -> str:
    """Lower case, ё as е, hyphens and dots as spaces, single spaces: how spellings are compared."""
    text = _REGION.sub("", text).casefold().replace("ё", "е")
    return " ".join(re.sub(r"[-.,'’\"«»!?]+", " ", text).split())


def _full_key(text: str) -> str:
    """As ``_key`` but keeping hh's region in parentheses, which tells namesakes apart."""
    return " ".join(text.casefold().replace("ё", "е").split())


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)]
    return word


def _stems(key: str) -> str:
    return " ".join(_stem(word) for word in key.split())


def _skeleton(latin: str) -> str:
    text = re.sub(r"[^a-z ]+", "", latin.replace("-", " "))
    for variant, common in _LATIN_VARIANTS:
        text = text.replace(variant, common)
    return " ".join(re.sub(r"(.)\1+", r"\1", text).split())


def _latin(cyrillic_key: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in cyrillic_key).replace("_", "")


@dataclass(frozen=True, slots=True)
class _Lookup:
    exact: dict[str, City]
    stems: dict[str, City]
    latin: dict[str, City]

    def add(self, city: City, spellings: Iterable[str]) -> None:
        self.exact.setdefault(_full_key(city.name), city)  # "Киров (Калужская область)": not the other
        for spelling in (city.name, city.name_en, *spellings):
            key = _key(spelling)
            self.exact.setdefault(key, city)
            if re.search("[а-я]", key):
                self.stems.setdefault(_stems(key), city)
                self.latin.setdefault(_skeleton(_latin(key)), city)
            else:
                self.latin.setdefault(_skeleton(key), city)


@functools.lru_cache(maxsize=4)
def _lookup(known: frozenset[str]) -> _Lookup:
    lookup = _Lookup({}, {}, {})
    for city, row in zip(CITIES, _TABLE, strict=True):
        lookup.add(city, row[4])
    named = {c.name for c in CITIES}  # the table's cities win the spellings they share with namesakes
    for name in sorted(known):
        if name and name not in named:
            lookup.add(City("", name, _latin(_key(name)).title(), None), ())
    return lookup


def find_city(text: str | None, known: Iterable[str] = ()) -> City | None:
    """The city ``text`` names, in any case, script or Russian grammatical case; None when it
    names none. ``known``: the area names of the corpus (hh's spelling), recognized too."""
    typed = _AROUND.sub("", (text or "").strip())
    key = _key(typed)
    if not key or len(key.split()) > MAX_CITY_WORDS:
        return None
    lookup = _lookup(frozenset(known))
    if _full_key(typed) in lookup.exact:
        return lookup.exact[_full_key(typed)]
    if key in lookup.exact:
        return lookup.exact[key]
    if re.search("[а-я]", key):
        return lookup.stems.get(_stems(key))
    return lookup.latin.get(_skeleton(key))


def city_by_id(area_id: str | None) -> City | None:
    return next((c for c in CITIES if c.area_id == area_id), None) if area_id else None
