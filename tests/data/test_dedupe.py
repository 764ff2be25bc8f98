"""The same job on hh.ru and Работа России becomes one entry with both links."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from recommender.data import Salary, Vacancy
from recommender.data.dedupe import dedupe, match_pairs, normalize_employer, normalize_title

MSK = timezone(timedelta(hours=3))
DAY = datetime(2026, 9, 1, 10, tzinfo=MSK)


def hh(vid: str = "1", days: float = 0, **kw) -> Vacancy:
    fields = {"title": "Инженер-программист", "employer": "Ромашка", "area": "Томск",
              "published_at": DAY + timedelta(days=days), "url": f"https://hh.ru/vacancy/{vid}"} | kw
    return Vacancy(id=vid, source="hh", **fields)


def tv(vid: str = "t1", days: float = 0, **kw) -> Vacancy:
    url = f"https://trudvsem.ru/vacancy/card/1/{vid}"
    fields = {"title": "ИНЖЕНЕР ПРОГРАММИСТ", "employer": 'ООО "РОМАШКА"', "area": "Томск",
              "published_at": DAY + timedelta(days=days), "url": url} | kw
    return Vacancy(id=vid, source="trudvsem", **fields)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [('ООО "Ромашка"', "ромашка"), ("«РОМАШКА», ООО", "ромашка"), ("АО Ромашка", "ромашка"),
     ("Общество с ограниченной ответственностью «Ромашка»", "ромашка"), ("ПАО Сбербанк", "сбербанк"),
     ("ИП Ёлкин", "елкин"), ("Ромашка Тех", "ромашка тех"), ("", "")],
)
def test_employer_normalization(raw, normal):
    assert normalize_employer(raw) == normal


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("Инженер-программист (1С)", "инженер программист"), ("C++ developer", "c++ developer"),
     ("Разработчик C#, .NET", "разработчик c# net"), ("  Водитель   погрузчика ", "водитель погрузчика")],
)
def test_title_normalization(raw, normal):
    assert normalize_title(raw) == normal


@pytest.mark.parametrize(
    ("rows", "pairs"),
    [
        ([hh(), tv()], [(0, 1)]),
        ([tv(), hh()], [(1, 0)]),  # the hh record is the entry whatever the order
        ([hh(), tv(days=14)], [(0, 1)]),
        ([hh(), tv(days=14.1)], []),  # published too far apart
        ([hh(), tv(area="Северск")], []),  # another city
        ([hh(), tv(employer="ООО Лютик")], []),  # another employer
        ([hh(), tv(title="Программист 1С")], []),  # another title
        ([hh(), hh("2")], []),  # same source: two postings, not a duplicate
        ([tv(), tv("t2")], []),
        ([hh(employer=""), tv(employer="")], []),  # nothing vouches for them
        ([hh(published_at=None), tv()], []),
        ([hh("1"), hh("2", days=10), tv(days=9)], [(1, 2)]),  # the nearest in time wins
        ([hh("1"), tv("t1", days=1), tv("t2", days=2)], [(0, 1)]),  # one-to-one
        ([hh("1"), hh("2", days=5), tv("t1", days=1), tv("t2", days=6)], [(0, 2), (1, 3)]),
    ],
)
def test_matching_table(rows, pairs):
    assert match_pairs(rows) == pairs


def test_merged_entry_keeps_both_links_and_fills_gaps():
    pay = Salary(60_000, None, "RUR", None, 60_000, False)
    entry = hh(key_skills=(), experience=None, updated_at=DAY)
    later = DAY + timedelta(days=5)
    dup = tv(days=3, salary=pay, key_skills=("1С",), experience="between1And3", updated_at=later)
    other = hh("9", title="Бухгалтер")
    result = dedupe([entry, other, dup])
    assert [v.key for v in result] == ["hh:1", "hh:9"]
    merged = result[0]
    assert merged.also_at == ("https://trudvsem.ru/vacancy/card/1/t1",)
    assert merged.url == "https://hh.ru/vacancy/1"
    assert (merged.salary, merged.key_skills, merged.experience) == (pay, ("1С",), "between1And3")
    assert merged.updated_at == later


def test_dedupe_is_deterministic_and_leaves_unmatched_alone():
    cities = ["Томск", "Омск"]
    rows = [hh(str(i), title=f"Должность {i % 7}", area=cities[i % 2]) for i in range(50)]
    rows += [tv(f"t{i}", days=i % 20, title=f"Должность {i % 7}", area=cities[i % 2]) for i in range(50)]
    first, second = dedupe(rows), dedupe(list(rows))
    assert first == second
    assert len(first) == 100 - len(match_pairs(rows))
    assert all(v.source == "hh" for v in first if v.also_at)
