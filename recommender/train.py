"""Fitting the parts of a bundle: skill vocabulary, vacancy index, topic models, salary model.

Every step takes plain values and returns fitted objects; ``fit_parts`` gathers them in a
``Bundle`` (without a manifest) that ``recommender.bundle.write_bundle`` writes, and
``train_bundle`` does both. Training imports the bundle module, never the other way round.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from recommender.bundle import MODEL_NAMES, Bundle, data_hash, write_bundle
from recommender.data.dedupe import dedupe
from recommender.data.models import Vacancy
from recommender.data.sampling import sample_rows
from recommender.recommend import Recommender, ScoringParams, VacancyIndex
from recommender.recommend.index import build_index
from recommender.recommend.index import (
    canonical_key_skills as canonical_key_skills,  # the evaluation imports it here
)

logger = logging.getLogger(__name__)

# The product's departures from the report's topic-model settings (the models' defaults): the
# report's min_df 0.3% (≈ 225 of 75k vacancies) left NMF 279 skills and no stm32, embedded, nlp
# or pytorch, so rarer fields had no topic of their own. Skills asked by 0.03% (≈ 22) count here
# (≈ 1,400 skills); docs/evaluation.md measures both settings.
PRODUCT_MODEL_PARAMS: dict[str, dict[str, Any]] = {
    "nmf": {"min_df": 0.0003, "max_features": 3000},
    "cluster": {"min_df": 0.0003, "max_features": 3000},
}


def build_vocabulary(vacancies: Sequence[Vacancy]) -> Any:
    from recommender.skills import SkillVocabulary

    return SkillVocabulary.build(vacancies)


def make_topic_model(name: str, params: Mapping[str, Any] | None, random_state: int) -> Any:
    """A fresh topic model by name: "nmf", "lda" or "cluster"."""
    from recommender import topics

    classes = {"nmf": "NMFTopicModel", "lda": "LDATopicModel", "cluster": "ClusterTopicModel"}
    if name not in classes:
        raise ValueError(f"unknown model {name!r}; choose from {', '.join(classes)}")
    cls = getattr(topics, classes[name])
    return cls(**{"random_state": random_state, **dict(params or {})})


def fit_topic_model(
    name: str, docs: Sequence[Sequence[str]], params: Mapping[str, Any] | None, random_state: int
) -> tuple[Any, dict[str, Any]]:
    """Fit one topic model; returns it and what its fitting found (LDA: the topic-count search).

    LDA without an explicit ``num_topics`` picks its topic count by c_v coherence on a sample
    (``search_topic_count``, as the report did), then fits that count on all documents.
    """
    from recommender.topics import search_topic_count

    params = dict(params or {})
    info: dict[str, Any] = {}
    if name == "lda" and "num_topics" not in params:
        search_params = params.pop("search", {})
        search = search_topic_count(docs, random_state=random_state, **search_params)
        info["search"] = search.to_dict()
        info["num_topics"] = params["num_topics"] = search.best_count
    model = make_topic_model(name, params, random_state)
    return model.fit(docs), info


def topic_labels(
    model: Any, doc_topic: np.ndarray, vacancies: Sequence[Vacancy], vocabulary: Any = None
) -> list[str]:
    """Human labels of the topics: a title common among their strongest vacancies across employers,
    else an hh specialization, else the top skills ("Python / NLP / Machine Learning")."""
    from recommender.topics import label_topics

    display = getattr(vocabulary, "display", None)
    try:
        infos = label_topics(
            doc_topic,
            [[label.name for label in v.labels] for v in vacancies],
            [v.title for v in vacancies],
            model=model,
            employers=[v.employer for v in vacancies],
            display=display,
        )
        return [info.label for info in infos]
    except Exception:  # labelling is cosmetic; a failure must not lose the training
        logger.exception("label_topics failed; falling back to top terms")
        return [", ".join(model.top_terms(t, 3)) or f"topic {t}" for t in range(model.n_topics_)]


def build_recommender(
    name: str,
    model: Any,
    vocabulary: Any,
    index: VacancyIndex,
    docs: Sequence[Sequence[str]],
    vacancies: Sequence[Vacancy],
    params: ScoringParams | None = None,
) -> Recommender:
    doc_topic = np.asarray(model.transform(docs), dtype=np.float32)
    return Recommender(
        name=name,
        vocabulary=vocabulary,
        topic_model=model,
        index=index,
        doc_topic=doc_topic,
        topic_labels=topic_labels(model, doc_topic, vacancies, vocabulary),
        params=params,
    )


def salary_topic_model(recommenders: Mapping[str, Recommender]) -> str | None:
    """The model whose topics feed the salary model: the bundle's default (first of MODEL_NAMES)."""
    return next((name for name in MODEL_NAMES if name in recommenders), None)


def fit_salary(
    vacancies: Sequence[Vacancy],
    vocabulary: Any,
    random_state: int,
    topics: Sequence[int | None] | None = None,
) -> Any | None:
    """The salary model; ``topics`` (one dominant topic per vacancy) make the specialization a feature."""
    from recommender.salary import fit_salary_model

    return fit_salary_model(vacancies, vocabulary, topics=topics, random_state=random_state)


class _StageTimings(dict[str, float]):
    """Seconds per training stage, told to ``on_stage`` as each one ends."""

    def __init__(self, on_stage: Callable[[str, float], None] | None) -> None:
        super().__init__()
        self.on_stage = on_stage

    def done(self, name: str, started: float) -> None:
        self[name] = time.perf_counter() - started
        if self.on_stage is not None:
            self.on_stage(name, self[name])


def fit_parts(
    vacancies: Sequence[Vacancy],
    *,
    models: Sequence[str] = MODEL_NAMES,
    salary: bool = True,
    salary_topics: bool = True,
    random_state: int = 0,
    model_params: Mapping[str, Mapping[str, Any]] | None = None,
    scoring: ScoringParams | None = None,
    vocabulary: Any | None = None,
    progress: bool = False,
    fit_sample: int | None = None,
    on_stage: Callable[[str, float], None] | None = None,
) -> Bundle:
    """Fit everything a bundle holds on ``vacancies``.

    With ``salary_topics`` the salary model gets each vacancy's dominant topic of the default
    topic model as a feature, and the bundle asks the grid with the query's specialization topic.
    ``fit_sample``: the vocabulary, topic models and salary model are fitted on that many
    vacancies drawn at random (seeded), and every vacancy is indexed and given topic weights;
    at a million vacancies a full fit would take hours (docs/benchmarks.md says what it costs).
    ``on_stage(name, seconds)`` is called as each stage ends (a long run reports as it goes).
    """
    unknown = [m for m in models if m not in MODEL_NAMES]
    if unknown or not models:
        raise ValueError(f"models must be among {', '.join(MODEL_NAMES)}, got {list(models)}")
    timings = _StageTimings(on_stage)
    started = time.perf_counter()
    sample = sample_rows(len(vacancies), fit_sample, random_state)
    fitted_on = vacancies if sample is None else [vacancies[i] for i in sample]
    vocab = vocabulary if vocabulary is not None else build_vocabulary(fitted_on)
    timings.done("vocabulary", started)
    started = time.perf_counter()
    index, docs = build_index(vocab, vacancies, progress=progress)
    timings.done("index", started)
    recommenders: dict[str, Recommender] = {}
    params = {
        name: {**PRODUCT_MODEL_PARAMS.get(name, {}), **(model_params or {}).get(name, {})} for name in models
    }
    for name in tqdm(list(models), desc="models", disable=not progress):
        started = time.perf_counter()
        fit_docs = docs if sample is None else [docs[i] for i in sample]
        model, info = fit_topic_model(name, fit_docs, params[name], random_state)
        params[name].update(info)
        recommenders[name] = build_recommender(name, model, vocab, index, docs, vacancies, scoring)
        timings.done(name, started)
        logger.info("%s: %d topics in %.1fs", name, model.n_topics_, timings[name])
    salary_model = None
    topic_source = salary_topic_model(recommenders) if salary_topics else None
    if salary:
        started = time.perf_counter()
        topics = recommenders[topic_source].dominant_topics() if topic_source else None
        if sample is not None and topics is not None:
            topics = [topics[i] for i in sample]
        salary_model = fit_salary(fitted_on, vocab, random_state, topics)
        timings.done("salary", started)
    return Bundle(
        vocabulary=vocab,
        index=index,
        recommenders=recommenders,
        salary_model=salary_model,
        salary_topics=topic_source if salary_model is not None else None,
        timings=dict(timings),
        model_params=params,
    )


def train_bundle(
    vacancies: Sequence[Vacancy],
    out_dir: str | Path,
    *,
    models: Sequence[str] = MODEL_NAMES,
    salary: bool = True,
    salary_topics: bool = True,
    random_state: int = 0,
    model_params: Mapping[str, Mapping[str, Any]] | None = None,
    scoring: ScoringParams | None = None,
    data_paths: Sequence[str] = (),
    load_summary: Mapping[str, Any] | None = None,
    progress: bool = False,
    keep: int = 3,
    fit_sample: int | None = None,
    on_stage: Callable[[str, float], None] | None = None,
) -> Path:
    """Fit the vocabulary, topic models (and salary model) and write them as the current bundle
    (``fit_sample``: fitted on that many vacancies, see ``fit_parts``).

    The same job on two sources is trained and shown once (``recommender.data.dedupe``): one
    entry with the other's link, so its skills and salary are not counted twice."""
    started = time.perf_counter()
    given = len(vacancies)
    vacancies = dedupe(vacancies)
    if len(vacancies) < given:
        logger.info("merged %d vacancies posted on two sources", given - len(vacancies))
    fingerprint = data_hash(vacancies)
    parts = fit_parts(
        vacancies,
        models=models,
        salary=salary,
        salary_topics=salary_topics,
        random_state=random_state,
        model_params=model_params,
        scoring=scoring,
        progress=progress,
        fit_sample=fit_sample,
        on_stage=on_stage,
    )
    extra = {
        "data": {
            "paths": [str(p) for p in data_paths],
            "hash": fingerprint,
            "rows": len(vacancies),
            "merged_across_sources": given - len(vacancies),
            **({"load": dict(load_summary)} if load_summary else {}),
        },
        "random_state": random_state,
        **({"fit_sample": fit_sample} if fit_sample else {}),
        "train_seconds": round(time.perf_counter() - started, 2),
    }
    return write_bundle(parts, out_dir, manifest_extra=extra, keep=keep)
