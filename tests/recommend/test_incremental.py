"""The serving index updated in place (vacancies added and removed without a retrain) answers as
an index built from scratch over the same vacancies with the same fitted models."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.bundle import Bundle
from recommender.data.models import Vacancy
from recommender.recommend import Filters, Recommender
from recommender.recommend.index import IndexUpdateError, build_index
from recommender.train import fit_parts

from .conftest import SMALL_MODELS, make_corpus

QUERIES = ["python sql pandas", "react javascript", "1с скд", "figma", "stm32 c++ uart", "git"]
FILTERS = [Filters(), Filters(area="Москва"), Filters(schedule="remote", with_salary=True)]


@pytest.fixture(scope="module")
def everything() -> list[Vacancy]:
    return make_corpus(per_field=50, seed=3)


@pytest.fixture(scope="module")
def base(everything: list[Vacancy]) -> Bundle:
    """Trained on the first 150 vacancies; the rest arrive later."""
    return fit_parts(everything[:150], models=("nmf", "cluster"), salary=False, model_params=SMALL_MODELS)


def rebuilt(base: Bundle, vacancies: list[Vacancy]) -> Bundle:
    """What a full rebuild of the index over ``vacancies`` gives with the base's fitted models."""
    index, docs = build_index(base.vocabulary, vacancies)
    recommenders = {
        name: Recommender(
            name=name,
            vocabulary=base.vocabulary,
            topic_model=rec.topic_model,
            index=index,
            doc_topic=np.asarray(rec.topic_model.transform(docs), dtype=np.float32),
            topic_labels=rec.topic_labels,
            params=rec.params,
        )
        for name, rec in base.recommenders.items()
    }
    return replace(base, index=index, recommenders=recommenders)


def answers(bundle: Bundle, model: str) -> list[Any]:
    """The ranked vacancies (with scores) and the specialization's topic of every query and filter."""
    out = []
    for text in QUERIES:
        query = bundle.understand(text).query
        for filters in FILTERS:
            result = bundle.recommend(query, filters, k=15, model=model)
            out.append([(m.id, round(m.score, 6)) for m in result.vacancies])
            out.append(result.specialization.topic if result.specialization else None)
    return out


def assert_same_matrix(a: sp.spmatrix, b: sp.spmatrix) -> None:
    assert a.shape == b.shape
    assert (a != b).nnz == 0


def test_added_and_removed_vacancies_answer_as_a_full_rebuild(
    base: Bundle, everything: list[Vacancy]
) -> None:
    removed = {v.key for v in everything[:150:4]}  # a quarter of the trained rows closed
    edited = replace(everything[5], title="Senior " + everything[5].title, key_skills=("Kotlin",))
    added = [*everything[150:], edited]
    updated = base.updated(added, removed)

    kept = [v for v in everything[:150] if v.key not in removed and v.key != edited.key]
    full = rebuilt(base, [*kept, *added])
    assert updated.index.ids == full.index.ids
    for attr in ("mention_weights", "title_words"):
        assert_same_matrix(getattr(updated.index, attr), getattr(full.index, attr))
    assert updated.index.skills.names == full.index.skills.names
    assert np.array_equal(updated.index.skills.keyness, full.index.skills.keyness)
    assert updated.index.employers == full.index.employers
    assert np.array_equal(updated.index.dedupe_codes, full.index.dedupe_codes)
    for name in base.recommenders:
        assert_same_matrix(updated.recommenders[name].doc_topic, full.recommenders[name].doc_topic)
        assert_same_matrix(updated.recommenders[name].title_topic, full.recommenders[name].title_topic)
        assert answers(updated, name) == answers(full, name)


def test_an_added_vacancy_is_answered_and_a_removed_one_is_gone(
    base: Bundle, everything: list[Vacancy]
) -> None:
    query = base.understand("stm32 uart rtos").query
    before = [m.id for m in base.recommend(query, k=5).vacancies]
    newcomer = replace(
        everything[0],
        id="new-1",
        title="Embedded-разработчик STM32",
        key_skills=("STM32", "UART", "RTOS", "C"),
        text="STM32, UART, RTOS, микроконтроллеры",
        employer="Новая компания",
    )
    updated = base.updated([newcomer], removed={f"hh:{before[0]}"})
    after = [m.id for m in updated.recommend(query, k=5).vacancies]
    assert "new-1" in after
    assert before[0] not in after
    assert len(updated.index) == len(base.index)  # one in, one out
    # the bundle that served before is unchanged: a request holding it sees one version
    assert [m.id for m in base.recommend(query, k=5).vacancies] == before


def test_unknown_keys_are_ignored_and_a_readded_key_replaces_its_row(base: Bundle) -> None:
    assert base.updated([], {"hh:no-such", "trudvsem:1"}).index.ids == base.index.ids
    first = base.index.ids[0]
    source = base.index.source(0)
    again = base.updated([Vacancy(id=first, title="Программист 1С", source=source)])
    assert again.index.ids.count(first) == 1
    assert again.index.ids[-1] == first
    assert again.index.titles[-1] == "Программист 1С"


def test_an_index_from_before_incremental_updates_asks_for_a_retrain(base: Bundle) -> None:
    state = base.index.__getstate__()
    for key in (
        "mention_flags",
        "source_codes",
        "sources",
        "country_codes",
        "countries",
        "title_tokens",
        "title_token_names",
        "is_card",
    ):
        state.pop(key)
    old = type(base.index).__new__(type(base.index))
    old.__setstate__(state)
    with pytest.raises(IndexUpdateError, match="retrain"):
        old.updated([], [], {"hh:x"})


def test_an_update_of_a_warmed_bundle_reads_its_titles_as_a_rebuild(
    base: Bundle, everything: list[Vacancy]
) -> None:
    """The update reuses the earlier version's readings of titles (``Recommender.warm``): the fields
    to choose and the labels are those of a bundle built from scratch."""
    removed = {v.key for v in everything[:150:3]}
    updated = base.warm().updated(everything[150:], removed).warm()
    full = rebuilt(base, [*(v for v in everything[:150] if v.key not in removed), *everything[150:]])
    for text in QUERIES:
        query = updated.understand(text).query
        mine, scratch = updated.recommend(query, k=10), full.recommend(query, k=10)
        assert mine.fields == scratch.fields and mine.specialization == scratch.specialization, text
        assert [v.id for v in mine.vacancies] == [v.id for v in scratch.vacancies], text
