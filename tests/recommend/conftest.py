"""A small seeded corpus with clearly separated fields, and models trained on it."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from recommender.data.models import Label, Salary, Vacancy

FIELDS: dict[str, dict[str, Any]] = {
    "frontend": {
        "titles": ["Frontend-разработчик", "React-разработчик", "Верстальщик"],
        "skills": ["JavaScript", "TypeScript", "React", "Vue.js", "HTML", "CSS", "Webpack", "Redux", "SASS"],
        "spec": ("1.221", "Программирование, Разработка"),
    },
    "embedded": {
        "titles": [
            "Инженер-программист микроконтроллеров",
            "Embedded-разработчик",
            "Программист встраиваемых систем",
        ],
        "skills": [
            "C",
            "C++",
            "STM32",
            "Микроконтроллеры",
            "ARM",
            "UART",
            "I2C",
            "SPI",
            "RTOS",
            "Схемотехника",
        ],
        "spec": ("1.82", "Инженер"),
    },
    "1c": {
        "titles": ["Программист 1С", "Разработчик 1С", "Консультант 1С"],
        "skills": ["1С", "1С: Предприятие 8", "1С: Бухгалтерия", "СКД", "Конфигурирование", "SQL"],
        "spec": ("1.50", "Системы управления предприятием (ERP)"),
    },
    "design": {
        "titles": ["UX/UI дизайнер", "Графический дизайнер", "Веб-дизайнер"],
        "skills": [
            "Figma",
            "Adobe Photoshop",
            "Adobe Illustrator",
            "UX",
            "UI",
            "Прототипирование",
            "Sketch",
            "Дизайн интерфейсов",
            "Графический дизайн",
        ],
        "spec": ("1.30", "Веб-дизайн"),
    },
    "data": {
        "titles": ["Data Scientist", "ML-инженер", "Аналитик данных"],
        "skills": [
            "Python",
            "SQL",
            "Machine Learning",
            "Pandas",
            "PyTorch",
            "NLP",
            "Математическая статистика",
        ],
        "spec": ("1.25", "Аналитик"),
    },
}
AREAS = [("1", "Москва"), ("2", "Санкт-Петербург"), ("4", "Новосибирск")]
SCHEDULES = ["fullDay", "remote"]
EXPERIENCES = ["noExperience", "between1And3"]
PER_FIELD = 40


def field_of(vacancy_id: str) -> str:
    return vacancy_id.split("-")[0]


def make_corpus(per_field: int = PER_FIELD, seed: int = 7) -> list[Vacancy]:
    rng = random.Random(seed)
    vacancies = []
    for field, spec in FIELDS.items():
        for i in range(per_field):
            skills = rng.sample(spec["skills"], rng.randint(3, min(6, len(spec["skills"]))))
            if rng.random() < 0.3:
                skills.append("Git")
            area_id, area = AREAS[i % len(AREAS)]
            salary = None
            if i % 2 == 0:
                amount = 60_000 + 5_000 * (i % 7)
                salary = Salary(amount, None, "RUR", False, float(amount), False)
            vacancies.append(
                Vacancy(
                    id=f"{field}-{i:03d}",
                    title=rng.choice(spec["titles"]),
                    employer=f"Компания {field} {i % 9}",
                    area=area,
                    area_id=area_id,
                    text="Требования: " + ", ".join(skills),
                    key_skills=tuple(skills),
                    experience=EXPERIENCES[(i // 3) % 2],
                    schedule=SCHEDULES[(i // 2) % 2],
                    specializations=(Label(*spec["spec"]),),
                    url=f"https://hh.ru/vacancy/{field}-{i:03d}",
                    salary=salary,
                    detail="card",
                )
            )
    return vacancies


def to_api_json(vacancy: Vacancy) -> dict[str, Any]:
    """The vacancy as hh.ru's API would return its card (for the CLI tests' data files)."""
    return {
        "id": vacancy.id,
        "name": vacancy.title,
        "area": {"id": vacancy.area_id, "name": vacancy.area},
        "employer": {"id": "1", "name": vacancy.employer},
        "salary": None
        if vacancy.salary is None
        else {"from": vacancy.salary.salary_from, "to": None, "currency": "RUR", "gross": False},
        "schedule": {"id": vacancy.schedule, "name": vacancy.schedule},
        "experience": {"id": vacancy.experience, "name": vacancy.experience},
        "description": f"<p>{vacancy.text}</p>",
        "key_skills": [{"name": s} for s in vacancy.key_skills],
        "specializations": [{"id": s.id, "name": s.name} for s in vacancy.specializations],
        "alternate_url": vacancy.url,
        "published_at": "2021-11-01T10:00:00+0300",
    }


def write_jsonl(vacancies: list[Vacancy], path: Path) -> Path:
    path.write_text("\n".join(json.dumps(to_api_json(v), ensure_ascii=False) for v in vacancies) + "\n")
    return path


SMALL_MODELS = {
    "nmf": {"n_components": 5, "max_features": None, "min_df": 1, "max_df": 1.0},
    "lda": {"num_topics": 5, "passes": 3, "no_below": 1},
    "cluster": {"n_clusters": 5},
}


@pytest.fixture(scope="session")
def corpus() -> list[Vacancy]:
    return make_corpus()


@pytest.fixture(scope="session")
def parts(corpus: list[Vacancy]) -> Any:
    from recommender.train import fit_parts

    return fit_parts(corpus, models=("nmf",), salary=False, model_params=SMALL_MODELS)


@pytest.fixture(scope="session")
def recommender(parts: Any) -> Any:
    return parts.recommenders["nmf"]


@pytest.fixture(scope="session")
def vocabulary(parts: Any) -> Any:
    return parts.vocabulary


@pytest.fixture(scope="session")
def canonical(vocabulary: Any) -> dict[str, set[str]]:
    """Each field's skill pool in the vocabulary's canonical form."""
    return {
        field: {s for name in spec["skills"] for s in vocabulary.extract(name).skills}
        for field, spec in FIELDS.items()
    }


@pytest.fixture(scope="session")
def corpus_file(tmp_path_factory: pytest.TempPathFactory, corpus: list[Vacancy]) -> Path:
    """The corpus as an hh.ru API JSON Lines file, for the CLI."""
    return write_jsonl(corpus, tmp_path_factory.mktemp("data") / "cards.jsonl")


@pytest.fixture(scope="session")
def bundle_dir(tmp_path_factory: pytest.TempPathFactory, corpus: list[Vacancy]) -> Path:
    """A bundle with all three models, trained once for the bundle and CLI tests."""
    from recommender.train import train_bundle

    out = tmp_path_factory.mktemp("models")
    train_bundle(corpus, out, models=("nmf", "lda", "cluster"), salary=False, model_params=SMALL_MODELS)
    return out


# Every vacancy of the paid corpus has a salary, and the fields pay clearly differently.
FIELD_PAY = {"design": 55_000, "frontend": 90_000, "1c": 110_000, "embedded": 130_000, "data": 200_000}


@pytest.fixture(scope="session")
def small_models() -> dict[str, dict[str, Any]]:
    return SMALL_MODELS


@pytest.fixture(scope="session")
def paid_corpus() -> list[Vacancy]:
    """A corpus where every vacancy is paid, by field (for the salary ↔ topic wiring)."""
    from dataclasses import replace

    paid = []
    for i, vacancy in enumerate(make_corpus(per_field=60, seed=11)):
        amount = FIELD_PAY[field_of(vacancy.id)] * (1 + 0.05 * (i % 5))
        paid.append(replace(vacancy, salary=Salary(amount, None, "RUR", False, float(amount), False)))
    return paid
