"""Text typed at a step that waits for a button, read as that step's answer.

"без опыта", "1-3 года", "больше 6", "удалёнка", "офис", "спб", "в Казани", in Russian and
English: each step keeps its meaning, and text that is no answer to it is asked about again
(never taken as new skills: the stored skills change only at the skills step or by /skills).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from recommender.data.cities import City, find_city
from recommender.skills.query import clean_query_text

MAX_CITY_CHARS = 60
# A place name typed after "Другой…": letters, spaces, hyphens, dots, at most a few words.
PLACE_NAME = re.compile(r"^[^\W\d_][\w .\-()]*$")
MAX_PLACE_WORDS = 4


@dataclass(frozen=True, slots=True)
class Choice:
    """A step's answer: an hh id, or None for "doesn't matter"."""

    value: str | None


ANY_CHOICE = Choice(None)

_ANY = re.compile(
    r"^(не\s*важно|неважно|любо\w*|без\s+разницы|вс[её]\s+равно|пропусти\w*|дальше|везде|any\w*|"
    r"doesn'?t\s+matter|skip|whatever|no\s+matter|all|everywhere|-)$"
)
_NO_EXPERIENCE = re.compile(
    r"^((без|нет|не\s+было|отсутству\w*)\s+опыт\w*|опыт\w*\s+(нет|отсутству\w*)|нет|никако\w*|нисколько|"
    r"студент\w*|выпускни\w*|стаж[её]р\w*|начина\w*|меньше\s+года|менее\s+года|полгода|"
    r"no(ne)?(\s+experience)?|without\s+experience|zero|student|graduate|intern\w*|beginner|"
    r"less\s+than\s+(a|one)\s+year)$"
)
_NUMBER_WORDS = {
    "один": 1, "одного": 1, "год": 1, "года": 1, "два": 2, "двух": 2, "пару": 2, "три": 3, "трех": 3,
    "четыре": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "восемь": 8,
    "десять": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "ten": 10,
}  # fmt: skip
_NUMBER = r"(\d+(?:[.,]\d+)?|" + "|".join(_NUMBER_WORDS) + r")"
_YEARS = r"(\s*(год\w*|лет|years?|yrs?|г\.?))?"
_MORE = re.compile(
    rf"^(больше|более|свыше|от|over|more\s+than|above|from)\s+{_NUMBER}{_YEARS}$|^{_NUMBER}\s*\+{_YEARS}$"
)
_RANGE = re.compile(rf"^(от\s+)?{_NUMBER}\s*(-|до|to)\s*{_NUMBER}{_YEARS}$")
_SINGLE = re.compile(rf"^{_NUMBER}{_YEARS}(\s+опыта|\s+of\s+experience)?$")

_SCHEDULES = (
    ("remote", r"удал[её]н\w*|дистанц\w*|из\s+дома|на\s+удал\w*|remote\w*|wfh|work\s+from\s+home|"
               r"home\s+office"),
    ("fullDay", r"офис\w*|в\s+офисе|полн\w+\s+день|пятидневк\w*|5/2|full[\s-]*(day|time)|office|"
                r"on[\s-]*site"),
    ("shift", r"смен\w*|сменн\w+\s+график|2/2|shifts?|shift\s+work"),
    ("flexible", r"гибк\w+(\s+график)?|flexible(\s+schedule)?|flex"),
    ("flyInFlyOut", r"вахт\w*|вахтов\w+\s+метод|fly[\s-]*in[\s-]*fly[\s-]*out|rotation\w*"),
)  # fmt: skip
_SCHEDULE_PATTERNS = tuple((sid, re.compile(rf"^({pattern})$")) for sid, pattern in _SCHEDULES)
# hh's schedules have no "hybrid": part office, part home is read as no schedule constraint.
_HYBRID = re.compile(r"^(гибрид\w*|hybrid)$")


def _plain(text: str | None) -> str:
    """Lower case, ё as е, dashes as hyphens, no trailing punctuation, single spaces."""
    text = clean_query_text(text)[0].casefold().replace("ё", "е")
    text = re.sub(r"[–—−]", "-", text)
    return " ".join(text.strip(" .!?,;:«»\"'").split())


def _number(word: str) -> float:
    return float(word.replace(",", ".")) if word[0].isdigit() else float(_NUMBER_WORDS[word])


def _level(years: float) -> str:
    """hh's experience levels: under 1 year, 1–3, 3–6, 6 and more (a boundary year goes up)."""
    if years < 1:
        return "noExperience"
    if years < 3:
        return "between1And3"
    return "between3And6" if years < 6 else "moreThan6"


def read_experience(text: str | None, labels: Iterable[dict[str, str]] = ()) -> Choice | None:
    """The experience level ``text`` names ("без опыта", "1-3 года", "больше 6", "2 years"), or
    None when it names none. ``labels``: the buttons' own labels, which are answers too."""
    plain = _plain(text)
    if not plain:
        return None
    if _ANY.match(plain):
        return ANY_CHOICE
    for table in labels:
        for hh_id, label in table.items():
            if _plain(label) == plain:
                return Choice(hh_id)
    if _NO_EXPERIENCE.match(plain):
        return Choice("noExperience")
    if match := _MORE.match(plain):
        words = [g for g in match.groups() if g and (g[0].isdigit() or g in _NUMBER_WORDS)]
        # "больше 6": more than six years; "от 3": three and more
        more = match.group(1) not in (None, "от", "from")
        return Choice(_level(_number(words[0]) + (0.01 if more else 0)))
    if match := _RANGE.match(plain):
        low = _number(match.group(2))
        return Choice(_level(low if low >= 1 else 0))
    if match := _SINGLE.match(plain):
        return Choice(_level(_number(match.group(1))))
    return None


def read_schedule(text: str | None, labels: Iterable[dict[str, str]] = ()) -> Choice | None:
    """The schedule ``text`` names ("удалёнка", "офис", "полный день", "remote"), or None."""
    plain = _plain(text)
    if not plain:
        return None
    if _ANY.match(plain) or _HYBRID.match(plain):
        return ANY_CHOICE
    for table in labels:
        for hh_id, label in table.items():
            if _plain(label) == plain:
                return Choice(hh_id)
    return next((Choice(sid) for sid, pattern in _SCHEDULE_PATTERNS if pattern.match(plain)), None)


@dataclass(frozen=True, slots=True)
class CityChoice:
    """What a profile stores for a typed city: hh's id when known and the name; (None, None) for any."""

    area_id: str | None
    name: str | None


def read_city(text: str | None, known: Iterable[str] = (), *, any_name: bool = False) -> CityChoice | None:
    """The city ``text`` names (any spelling, case or script; ``known``: the corpus's area names),
    "doesn't matter", or, with ``any_name`` (the user chose to type a city), any plausible place
    name as typed. None when the text is no city."""
    plain = _plain(text)
    if not plain:
        return None
    if _ANY.match(plain):
        return CityChoice(None, None)
    city = find_city(plain, known)
    if city is not None:
        return CityChoice(city.area_id or None, city.name)
    typed = " ".join(clean_query_text(text)[0].split())
    if any_name and PLACE_NAME.match(typed) and len(typed.split()) <= MAX_PLACE_WORDS:
        return CityChoice(None, typed[:MAX_CITY_CHARS])
    return None


def canonical_area(name: str | None) -> str | None:
    """A stored city name as hh writes it ("спб" typed before cities were read → "Санкт-Петербург")."""
    if not name:
        return None
    city: City | None = find_city(name)
    return city.name if city is not None else name


@dataclass(frozen=True, slots=True)
class TypedSetting:
    """A message outside the dialogue that names only a setting: one of these is set."""

    city: CityChoice | None = None
    experience: str | None = None
    schedule: str | None = None


# Outside the dialogue a number alone is no experience: the text must say it is about experience.
_ABOUT_EXPERIENCE = re.compile(r"опыт|experience|\bгод|\bлет\b|\byears?\b")


def setting_of_text(text: str | None) -> TypedSetting | None:
    """A free message that is only a city ("спб", "в Казани"), an experience ("без опыта", "3 года
    опыта") or a schedule ("удалёнка"): that setting, so the stored skills stay; None for anything
    else. Stricter than at a dialogue step: only the cities table, no "doesn't matter"."""
    plain = _plain(text)
    if not plain or _ANY.match(plain) or _HYBRID.match(plain):
        return None
    city = find_city(plain)
    if city is not None:
        return TypedSetting(city=CityChoice(city.area_id or None, city.name))
    if _ABOUT_EXPERIENCE.search(plain) and (experience := read_experience(plain)) is not None:
        return TypedSetting(experience=experience.value)
    schedule = read_schedule(plain)
    return TypedSetting(schedule=schedule.value) if schedule is not None else None
