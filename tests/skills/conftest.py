"""Fixtures for the skill vocabulary tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from recommender.data.models import Label, Vacancy
from recommender.skills import SkillVocabulary


@pytest.fixture(scope="session")
def vocab() -> SkillVocabulary:
    """The curated vocabulary (no corpus), shared: it is read-only."""
    return SkillVocabulary.default()


@pytest.fixture
def make_vacancy() -> Callable[..., Vacancy]:
    counter = iter(range(1, 1_000_000))

    def make(
        title: str = "Разработчик",
        text: str = "",
        key_skills: tuple[str, ...] = (),
        employer: str | None = None,
        labels: tuple[str, ...] = (),
    ) -> Vacancy:
        number = next(counter)
        return Vacancy(
            id=str(number),
            title=title,
            text=text,
            key_skills=key_skills,
            employer=employer if employer is not None else f"Employer {number}",
            specializations=tuple(Label(label, label) for label in labels),
        )

    return make
