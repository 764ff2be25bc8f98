"""The vocabulary on the real hh.ru files (bounded: half the cards, a sixth of the search items)."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest

from recommender.data import BadRecord, iter_raw, parse_vacancy
from recommender.data.models import Vacancy
from recommender.skills import SkillVocabulary, coverage

pytestmark = pytest.mark.shared_data

# Every 6th search item and every 2nd card keep the module near 20 s of CPU on 2 shared cores.
ITEM_STEP = 6
CARD_STEP = 2


def _sample(path: Path, step: int) -> list[Vacancy]:
    """Every ``step``-th record, parsed by the real loader (bad records skipped)."""
    vacancies = []
    for obj in itertools.islice(iter_raw([path]), 0, None, step):
        try:
            vacancies.append(parse_vacancy(obj))
        except BadRecord:
            continue
    return vacancies


@pytest.fixture(scope="module")
def corpus(shared_data_dir: Path) -> tuple[list[Vacancy], list[Vacancy]]:
    items = _sample(shared_data_dir / "hh_it_2021.jsonl.gz", ITEM_STEP)
    cards = _sample(shared_data_dir / "hh_cards_2021_2023.jsonl.gz", CARD_STEP)
    return items, cards


@pytest.fixture(scope="module")
def built(corpus: tuple[list[Vacancy], list[Vacancy]]) -> SkillVocabulary:
    items, cards = corpus
    return SkillVocabulary.build(items + cards)


def test_extraction_covers_85_percent_of_search_items(
    built: SkillVocabulary, corpus: tuple[list[Vacancy], list[Vacancy]]
) -> None:
    items, _ = corpus
    started = time.perf_counter()
    share, median = coverage(built, items)
    elapsed = time.perf_counter() - started
    assert share >= 0.85, f"only {share:.1%} of hh_it_2021 items have a skill"
    assert median >= 2
    assert elapsed < 60


def test_vocabulary_is_built_from_key_skills_and_texts(built: SkillVocabulary) -> None:
    sources = {built.source(skill) for skill in built.skills}
    assert sources == {"curated", "key_skills", "text"}
    assert len(built) > 1_000
    assert built.display("postgresql") == "PostgreSQL"


def test_generic_key_skills_are_not_skills(built: SkillVocabulary) -> None:
    generic = ["работа в команде", "пользователь пк", "грамотная речь", "инженер", "стрессоустойчивость"]
    assert [term for term in generic if term in built] == []


def test_design_query_and_design_vacancies_speak_design(
    built: SkillVocabulary, corpus: tuple[list[Vacancy], list[Vacancy]]
) -> None:
    query = built.extract("design, photoshop, figma, 3d, ux-ui")
    assert query.skills == ["дизайн", "adobe photoshop", "figma", "3d-моделирование", "ux/ui"]
    assert query.unknown == []
    items, _ = corpus
    designers = [v for v in items if "дизайнер" in v.title.lower()]
    assert len(designers) > 20
    found = [skill for v in designers for skill in built.skills_of(v)]
    design_share = sum(built.field(s) == "design" for s in found) / len(found)
    assert design_share > 0.3, f"design vacancies yield only {design_share:.0%} design skills"
