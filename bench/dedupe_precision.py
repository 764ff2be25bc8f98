"""Precision and recall of the cross-source matcher (recommender.data.dedupe) on a labelled
mixed sample: real hh.ru vacancies plus Работа России-like records derived from them.

There is no real corpus of the same jobs on both sources here (no machine reaches either
site; the five Работа России samples share no employer with the hh files), so the Работа
России side is derived, with a seeded generator, from real hh.ru vacancies of
hh_2025_2026.jsonl.gz, the way that portal writes the same posting:

- duplicates (labelled "same job"): the hh vacancy's employer with a legal form and quotes
  in upper case ('ООО "ЯНДЕКС"'), its title either as written, in another case and
  punctuation, cut of its bracketed note, reworded (level word dropped) or replaced by a
  classifier name ("Программист"); its city, or (10%) only the region because the address
  names no town; a creation date 0–21 days from hh's publication date.
- hard non-duplicates (labelled "different job"): the employer and city of one hh vacancy
  with the title of another of that employer's vacancies; or the title and city of one with
  another employer's name; or the employer and title in another city.

The matcher then runs over all hh vacancies of the file plus the derived records. A pair is
correct when the derived record was made from that very hh vacancy.

    .venv/bin/python bench/dedupe_precision.py [--data hh_2025_2026.jsonl.gz] [--n 400] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from recommender.data import Vacancy, load_vacancies  # noqa: E402
from recommender.data.dedupe import MAX_DAYS_APART, match_pairs, normalize_employer, normalize_title  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "hh_2025_2026.jsonl.gz"
LEGAL = ('ООО "{}"', 'АО "{}"', "ООО «{}»", '{}', 'ПАО "{}"')
CLASSIFIER_TITLES = ("Программист", "Инженер-программист", "Специалист по информационным технологиям",
                     "Аналитик", "Разработчик программного обеспечения")
LEVEL_WORDS = ("senior", "middle", "junior", "lead", "ведущий", "старший", "младший", "главный")
REGIONS = {"Москва": "Москва", "Санкт-Петербург": "Санкт-Петербург"}  # federal cities name their region


def _title_variant(title: str, rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.35:
        return title, "title as written"
    if roll < 0.55:
        return title.upper().replace("-", " "), "title case/punctuation"
    if roll < 0.65:
        return title.split("(")[0].strip() or title, "title without its bracketed note"
    if roll < 0.8:
        words = [w for w in title.split() if w.lower().strip(",") not in LEVEL_WORDS]
        return " ".join(words) or title, "title reworded (level dropped)"
    return rng.choice(CLASSIFIER_TITLES), "classifier title"


def _derived(hh: Vacancy, n: int, rng: random.Random, **changes: object) -> Vacancy:
    assert hh.published_at is not None
    days = rng.uniform(0, 21) * rng.choice((-1, 1))
    employer = rng.choice(LEGAL).format(hh.employer.upper())
    fields: dict[str, object] = {
        "employer": employer, "title": hh.title, "area": hh.area,
        "published_at": hh.published_at + timedelta(days=days),
    } | changes
    return Vacancy(id=f"derived-{n}", source="trudvsem", url=f"https://trudvsem.ru/vacancy/card/x/{n}",
                   **fields)  # type: ignore[arg-type]


def _triple(v: Vacancy) -> tuple[str, str, str]:
    return normalize_employer(v.employer), v.area.lower(), normalize_title(v.title)


Sample = tuple[list[Vacancy], dict[str, int], dict[str, str]]


def build_sample(hh: list[Vacancy], n: int, rng: random.Random) -> Sample:
    """(derived records, derived id → index of its hh source, derived id → kind)."""
    usable = [i for i, v in enumerate(hh) if v.employer and v.area and v.published_at]
    posted = {_triple(hh[i]) for i in usable}  # a record with one of these IS that job's twin
    titles = sorted({hh[i].title for i in usable})
    derived: list[Vacancy] = []
    source: dict[str, int] = {}
    kind: dict[str, str] = {}
    for i in rng.sample(usable, n):
        title, how = _title_variant(hh[i].title, rng)
        area = hh[i].area
        if rng.random() < 0.1 and area not in REGIONS:
            area, how = f"{area} (регион)", "address names only the region"
        record = _derived(hh[i], len(derived), rng, title=title, area=area)
        derived.append(record)
        source[record.id], kind[record.id] = i, how
    for i in rng.sample(usable, n):
        base = hh[i]
        roll = rng.random()
        if roll < 0.4:
            record = _derived(base, len(derived), rng, title=rng.choice(titles))
            how = "non-duplicate: same employer and city, other title"
        elif roll < 0.7:
            other = hh[rng.choice(usable)]
            record = _derived(base, len(derived), rng, employer=f'ООО "{other.employer.upper()}"')
            how = "non-duplicate: same title and city, other employer"
        else:
            cities = sorted({hh[j].area for j in usable} - {base.area})
            record = _derived(base, len(derived), rng, area=rng.choice(cities))
            how = "non-duplicate: same employer and title, other city"
        if _triple(record) in posted:  # the employer does post that title there: not a negative
            continue
        derived.append(record)
        kind[record.id] = how
    return derived, source, kind


def _days(a: Vacancy, b: Vacancy) -> float:
    assert a.published_at is not None and b.published_at is not None
    return abs((a.published_at - b.published_at).total_seconds()) / 86_400


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--n", type=int, default=400, help="duplicates and non-duplicates derived, each")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    hh = load_vacancies([args.data]).vacancies
    derived, source, kind = build_sample(hh, args.n, random.Random(args.seed))
    rows = hh + derived
    pairs = match_pairs(rows)
    correct: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    for entry, duplicate in pairs:
        record = rows[duplicate] if rows[duplicate].source == "trudvsem" else rows[entry]
        other = entry if record is rows[duplicate] else duplicate
        predicted[kind[record.id]] += 1
        correct[kind[record.id]] += int(source.get(record.id) == other)
    near = {r.id for r in derived if r.id in source and _days(r, hh[source[r.id]]) <= MAX_DAYS_APART}
    n_pred, n_correct, n_pos = len(pairs), sum(correct.values()), len(source)
    print(f"sample: {len(hh):,} real hh vacancies + {len(derived):,} derived records "
          f"({n_pos} duplicates, {len(derived) - n_pos} non-duplicates), seed {args.seed}")
    print(f"pairs found {n_pred}: correct {n_correct}; precision {n_correct / max(n_pred, 1):.3f}, "
          f"recall {n_correct / max(n_pos, 1):.3f}; of the {len(near)} duplicates published within "
          f"{MAX_DAYS_APART} days, recall {n_correct / max(len(near), 1):.3f}")
    print("\n| kind | records | paired | paired correctly |\n|---|---:|---:|---:|")
    for how, count in sorted(Counter(kind.values()).items()):
        print(f"| {how} | {count} | {predicted[how]} | {correct[how]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
