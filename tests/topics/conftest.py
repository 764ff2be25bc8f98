"""A small seeded corpus with four clearly separated fields, built in code."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

FIELDS: dict[str, list[str]] = {
    "frontend": ["javascript", "react", "css", "html", "typescript", "vue.js", "webpack"],
    "embedded": ["c", "stm32", "uart", "i2c", "микроконтроллеры", "rtos", "spi"],
    "1c": ["1с", "1с:предприятие", "скд", "бухгалтерия", "1с:зуп", "1с:erp", "bsl"],
    "design": ["figma", "photoshop", "illustrator", "ux/ui", "3d", "blender", "sketch"],
}
# hh's multi-label specializations: one generic name shared by most vacancies, one distinctive.
FIELD_LABELS = {
    "frontend": "Веб-программирование",
    "embedded": "Встраиваемые системы",
    "1c": "1С-программирование",
    "design": "Веб-дизайн",
}
FIELD_TITLES = {
    "frontend": ["Frontend-разработчик", "Junior frontend developer", "Верстальщик frontend"],
    "embedded": ["Embedded-разработчик", "Программист микроконтроллеров embedded", "Инженер embedded"],
    "1c": ["Программист 1С", "Разработчик 1С", "Консультант 1С"],
    "design": ["Дизайнер интерфейсов", "UX/UI дизайнер", "Графический дизайнер"],
}
GENERIC_LABEL = "Программирование, Разработка"
SHARED_SKILLS = ["git", "английский язык"]


@dataclass(frozen=True)
class Corpus:
    docs: list[list[str]]
    fields: list[str]
    labels: list[list[str]]
    titles: list[str]


def make_corpus(per_field: int = 30, seed: int = 7) -> Corpus:
    """``per_field`` docs per field: 4–6 of its skills, sometimes one skill shared by all fields."""
    rng = random.Random(seed)
    docs, fields, labels, titles = [], [], [], []
    for _ in range(per_field):
        for field, skills in FIELDS.items():
            doc = rng.sample(skills, rng.randint(4, 6))
            if rng.random() < 0.3:
                doc.append(rng.choice(SHARED_SKILLS))
            docs.append(doc)
            fields.append(field)
            generic = [GENERIC_LABEL] if rng.random() < 0.8 else []
            labels.append([*generic, FIELD_LABELS[field]])
            titles.append(rng.choice(FIELD_TITLES[field]))
    return Corpus(docs, fields, labels, titles)


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return make_corpus()
