"""Build an N-vacancy corpus (gzip JSON Lines in hh.ru's API shape) from the shared data.

The shared files hold ~106k real vacancies; the scale measurements (docs/benchmarks.md) need
100k, 300k and 1M. Each output record is a real record drawn at random (with replacement, every
file in proportion to its size) and perturbed so that copies are not identical rows:

- ``id``: a new unique number (9xxxxxxxx); ``alternate_url`` follows it;
- ``name`` (title): in 30% of records a seniority word is put in front ("Junior", "Старший",
  "Ведущий", "Стажёр", "Middle"), in 10% a format word is appended ("(удалённо)", "в офис");
- ``key_skills``: each dropped with probability 0.15, and in 20% of records one key skill of
  another record is added;
- ``area``: kept in half the records, else drawn from all areas by their frequency;
- ``employer``: kept in 70%, else drawn from all employers by frequency (caps per employer work);
- ``salary``: from/to multiplied by one log-normal factor (σ 0.15) and rounded to 1,000;
- ``published_at``: moved by a uniform -180..+180 days.

Texts (snippets, descriptions) are kept: perturbing words would invent skills. The output is
read by the normal loader (``recommender.data.load_vacancies``); ``--seed`` makes it repeatable.

    python bench/make_corpus.py --rows 1000000 --out /tmp/corpus-1m.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from recommender.data.loader import Skip, iter_raw

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SOURCES = (
    "hh_it_2021.jsonl.gz",
    "hh_cards_2021_2023.jsonl.gz",
    "hh_2025_2026.jsonl.gz",
    "hh_2024_2025_tables.jsonl.gz",
)
FIRST_ID = 900_000_000
SENIORITY = ("Junior ", "Middle ", "Senior ", "Старший ", "Ведущий ", "Стажёр ", "Младший ")
FORMATS = (" (удалённо)", " в офис", " (гибрид)", " — стажировка")
# The fields ``Perturber.make`` changes; the rest of a record (its texts: most of its bytes) is
# serialized once per source record and reused by every copy.
PERTURBED = frozenset((
    "id", "alternate_url", "name", "key_skills", "area", "employer", "salary", "salary_range",
    "published_at",
))


def read_records(folder: Path) -> list[dict[str, Any]]:
    """Every readable record of the shared files, as the API returned it."""
    files = [folder / name for name in SOURCES if (folder / name).is_file()]
    if not files:
        raise SystemExit(f"no shared data files in {folder} (see its README.md)")
    return [obj for obj in iter_raw(files) if isinstance(obj, dict) and not isinstance(obj, Skip)]


class Perturber:
    """Makes perturbed copies of real records (the module docstring says how)."""

    def __init__(self, records: list[dict[str, Any]], seed: int, first_id: int = FIRST_ID) -> None:
        self.random = random.Random(seed)
        self.first_id = first_id
        self.records = records
        self._unchanged: dict[int, str] = {}
        areas = Counter(json.dumps(r["area"], ensure_ascii=False) for r in records if r.get("area"))
        employers = Counter(
            json.dumps(r["employer"], ensure_ascii=False) for r in records if r.get("employer")
        )
        # cumulative weights once: ``choices(weights=...)`` would sum tens of thousands of
        # employers' weights on every call (the same draws either way)
        self.areas, self.area_weights = [json.loads(a) for a in areas], list(accumulate(areas.values()))
        self.employers = [json.loads(e) for e in employers]
        self.employer_weights = list(accumulate(employers.values()))
        self.key_skills = [s for r in records for s in r.get("key_skills") or [] if isinstance(s, dict)]

    def make_line(self, number: int) -> str:
        """A perturbed copy of a random record as a JSON line: the source record's unchanged
        fields are serialized once, only the perturbed ones per copy."""
        index, record = self._draw(number)
        unchanged = self._unchanged.get(index)
        if unchanged is None:
            source = self.records[index]
            kept = {k: v for k, v in source.items() if k not in PERTURBED}
            unchanged = self._unchanged[index] = json.dumps(kept, ensure_ascii=False)[1:-1]
        changed = json.dumps(self._perturbed(record), ensure_ascii=False)[1:-1]
        return "{" + unchanged + ("," if unchanged and changed else "") + changed + "}\n"

    def _draw(self, number: int) -> tuple[int, dict[str, Any]]:
        index = self.random.randrange(len(self.records))
        source = self.records[index]
        record = {k: source[k] for k in PERTURBED if k in source}
        for field in ("salary", "salary_range"):  # the one nested value changed in place
            if isinstance(record.get(field), dict):
                record[field] = dict(record[field])
        record["id"] = str(self.first_id + number)
        return index, record

    def _perturbed(self, record: dict[str, Any]) -> dict[str, Any]:
        rnd = self.random
        if record.get("alternate_url"):
            record["alternate_url"] = f"https://hh.ru/vacancy/{record['id']}"
        name = str(record.get("name") or "")
        if rnd.random() < 0.3:
            name = rnd.choice(SENIORITY) + name
        if rnd.random() < 0.1:
            name += rnd.choice(FORMATS)
        record["name"] = name
        self._skills(record)
        if self.areas and rnd.random() < 0.5:
            record["area"] = rnd.choices(self.areas, cum_weights=self.area_weights)[0]
        if self.employers and rnd.random() < 0.3:
            record["employer"] = rnd.choices(self.employers, cum_weights=self.employer_weights)[0]
        self._salary(record)
        self._date(record)
        return record

    def _skills(self, record: dict[str, Any]) -> None:
        skills = record.get("key_skills")
        if not isinstance(skills, list):
            return
        kept = [s for s in skills if self.random.random() >= 0.15]
        if self.key_skills and self.random.random() < 0.2:
            kept.append(self.random.choice(self.key_skills))
        record["key_skills"] = kept

    def _salary(self, record: dict[str, Any]) -> None:
        factor = self.random.lognormvariate(0.0, 0.15)
        for field in ("salary", "salary_range"):
            salary = record.get(field)
            if not isinstance(salary, dict):
                continue
            for bound in ("from", "to"):
                if isinstance(salary.get(bound), int | float):
                    salary[bound] = int(round(salary[bound] * factor, -3)) or salary[bound]

    def _date(self, record: dict[str, Any]) -> None:
        text = record.get("published_at")
        if not isinstance(text, str):
            return
        try:
            when = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            return
        moved = when + timedelta(days=self.random.uniform(-180, 180))
        record["published_at"] = moved.strftime("%Y-%m-%dT%H:%M:%S%z")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True, help="a .jsonl.gz path (keep it under /tmp)")
    parser.add_argument("--data", type=Path, default=DATA, help=f"the shared data folder (default {DATA})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--first-id", type=int, default=FIRST_ID, help="ids count up from here")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    perturber = Perturber(read_records(args.data), args.seed, args.first_id)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=1) as out:
        for number in range(args.rows):
            out.write(perturber.make_line(number))
    print(
        f"{args.rows:,} vacancies from {len(perturber.records):,} real ones written to {args.out} "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
