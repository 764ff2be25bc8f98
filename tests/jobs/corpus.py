"""A small synthetic corpus in the hh.ru API's card shape, so real bundles train in seconds."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

FIELDS: dict[str, tuple[list[str], list[str]]] = {
    "data": (
        ["Аналитик данных", "Data Scientist"],
        ["Python", "SQL", "Pandas", "Machine Learning", "Tableau", "Excel"],
    ),
    "frontend": (
        ["Frontend-разработчик", "React Developer"],
        ["JavaScript", "React", "HTML", "CSS", "TypeScript"],
    ),
    "design": (
        ["UX/UI дизайнер", "Веб-дизайнер"],
        ["Figma", "Adobe Photoshop", "Adobe Illustrator", "Sketch"],
    ),
    "accounting": (["Бухгалтер", "Главный бухгалтер"], ["1С: Бухгалтерия", "Excel", "Бухгалтерский учет"]),
    "devops": (["DevOps-инженер", "SRE"], ["Linux", "Docker", "Kubernetes", "Ansible", "Bash", "Git"]),
}
CITIES = (("1", "Москва"), ("2", "Санкт-Петербург"))
EXPERIENCES = ("noExperience", "between1And3", "between3And6")


def card(
    vacancy_id: int,
    field: str,
    rng: random.Random,
    *,
    area: tuple[str, str] = CITIES[0],
    experience: str | None = None,
) -> dict[str, Any]:
    titles, skills = FIELDS[field]
    chosen = rng.sample(skills, k=min(len(skills), rng.randint(3, 5)))
    salary = rng.randint(60, 200) * 1000
    return {
        "id": str(vacancy_id),
        "name": rng.choice(titles),
        "area": {"id": area[0], "name": area[1]},
        "employer": {"id": str(vacancy_id % 13), "name": f"Компания {vacancy_id % 13}"},
        "salary": {"from": salary, "to": salary + 30000, "currency": "RUR", "gross": False},
        "schedule": {"id": "fullDay", "name": "Полный день"},
        "experience": {"id": experience or rng.choice(EXPERIENCES), "name": "-"},
        "employment": {"id": "full", "name": "Полная занятость"},
        "published_at": (datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=vacancy_id % 500)).strftime(
            "%Y-%m-%dT%H:%M:%S%z"
        ),
        "alternate_url": f"https://hh.ru/vacancy/{vacancy_id}",
        "description": f"<p>{' '.join(chosen)}. Работа в команде.</p>",
        "key_skills": [{"name": s} for s in chosen],
    }


def corpus(per_field: int = 50, seed: int = 3, first_id: int = 70_000_000) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    cards = []
    for index, field in enumerate(FIELDS):
        for i in range(per_field):
            cards.append(card(first_id + index * 1000 + i, field, rng, area=CITIES[i % 2]))
    return cards


def write_jsonl(path: Path, cards: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cards) + "\n", encoding="utf-8")
    return path
