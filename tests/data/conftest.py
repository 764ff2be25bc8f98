"""Small vacancy fixtures in the hh.ru API's shape, written by the tests themselves."""

from __future__ import annotations

from typing import Any

import pytest


def list_item(vacancy_id: str = "1", **overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": vacancy_id,
        "name": "Junior Python разработчик",
        "area": {"id": "1", "name": "Москва"},
        "employer": {"id": "10", "name": "ООО Ромашка"},
        "salary": {"from": 80000, "to": 120000, "currency": "RUR", "gross": False},
        "schedule": {"id": "remote", "name": "Удаленная работа"},
        "experience": {"id": "noExperience", "name": "Нет опыта"},
        "snippet": {
            "requirement": "Знание <highlighttext>Python</highlighttext> и SQL.",
            "responsibility": "Разработка &amp; поддержка сервисов.",
        },
        "specializations": [{"id": "1.221", "name": "Программирование, Разработка"}],
        "published_at": "2021-11-02T11:13:37+0300",
        "alternate_url": f"https://hh.ru/vacancy/{vacancy_id}",
    }
    item.update(overrides)
    return item


def card(vacancy_id: str = "2", **overrides: Any) -> dict[str, Any]:
    item = list_item(vacancy_id)
    del item["snippet"]
    item.update(
        description="<p>Мы ищем <strong>аналитика</strong></p><ul><li>SQL</li><li>Power BI</li></ul>",
        key_skills=[{"name": "SQL"}, {"name": "Power BI"}],
        employment={"id": "full", "name": "Полная занятость"},
        professional_roles=[{"id": "156", "name": "BI-аналитик, аналитик данных"}],
    )
    item.update(overrides)
    return item


@pytest.fixture
def make_list_item():
    return list_item


@pytest.fixture
def make_card():
    return card
