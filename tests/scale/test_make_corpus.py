"""The scale corpus generator's output is read by the normal loader, row for row."""

from __future__ import annotations

import gzip
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import make_corpus

from recommender.data import load_vacancies

PUBLISHED = "2024-03-01T10:00:00+0300"


def real_like(i: int) -> dict:
    return {
        "id": str(1000 + i),
        "name": ["Python-разработчик", "Бухгалтер", "UX/UI дизайнер"][i % 3],
        "area": {"id": str(i % 2 + 1), "name": ["Москва", "Санкт-Петербург"][i % 2]},
        "employer": {"id": str(i), "name": f"Компания {i}"},
        "salary": {"from": 100_000, "to": 150_000, "currency": "RUR", "gross": False},
        "published_at": PUBLISHED,
        "alternate_url": f"https://hh.ru/vacancy/{1000 + i}",
        "description": "<p>Python, SQL, Git</p>",
        "key_skills": [{"name": "Python"}, {"name": "SQL"}, {"name": "Git"}],
    }


def test_generated_vacancies_load_with_the_normal_loader(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with gzip.open(data / make_corpus.SOURCES[0], "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(real_like(i), ensure_ascii=False) + "\n" for i in range(6))
    target = tmp_path / "corpus.jsonl.gz"
    assert make_corpus.main(["--rows", "300", "--data", str(data), "--out", str(target), "--seed", "2"]) == 0

    loaded = load_vacancies([target])
    assert loaded.summary.kept == 300 and not loaded.summary.skipped
    vacancies = loaded.vacancies
    assert len({v.id for v in vacancies}) == 300
    assert all(v.url == f"https://hh.ru/vacancy/{v.id}" for v in vacancies)
    originals = {"Python-разработчик", "Бухгалтер", "UX/UI дизайнер"}
    assert all(any(name in v.title for name in originals) for v in vacancies)
    assert any(v.title not in originals for v in vacancies)  # some titles perturbed
    published = datetime.strptime(PUBLISHED, "%Y-%m-%dT%H:%M:%S%z")
    assert all(abs(v.published_at - published) <= timedelta(days=180) for v in vacancies if v.published_at)
    assert len({v.published_at for v in vacancies}) > 250
    lows = [v.salary.salary_from for v in vacancies if v.salary]
    assert len(set(lows)) > 5 and all(50_000 <= low <= 200_000 for low in lows)
    assert any(len(v.key_skills) < 3 for v in vacancies)  # some key skills dropped


def test_the_same_seed_makes_the_same_corpus(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with gzip.open(data / make_corpus.SOURCES[0], "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(real_like(i), ensure_ascii=False) + "\n" for i in range(4))
    paths = [tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz"]
    for path in paths:
        make_corpus.main(["--rows", "40", "--data", str(data), "--out", str(path)])
    first, second = (gzip.decompress(p.read_bytes()) for p in paths)
    assert first == second
