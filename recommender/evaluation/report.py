"""`jobrec evaluate`: train on the fixed split, measure everything, write docs/evaluation.md/json."""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from recommender.data import load_vacancies
from recommender.data.models import Vacancy
from recommender.data.split import train_test_split
from recommender.evaluation.baselines import CooccurrenceBaseline, PopularityBaseline
from recommender.evaluation.markdown import render_markdown
from recommender.evaluation.queries import (
    RecommenderSet,
    alias_check,
    design_advice_check,
    report_queries,
    specializations,
)
from recommender.evaluation.skills_eval import evaluate_skill_advice, make_skill_cases
from recommender.evaluation.topics_eval import evaluate_topics
from recommender.evaluation.vacancies_eval import (
    evaluate_vacancy_recommendations,
    generic_specializations,
    specialization_shares,
)
from recommender.train import TrainedParts, build_vocabulary, fit_parts, salary_topic_model

logger = logging.getLogger(__name__)

SKILL_RECALL_GAIN_TARGET = 0.30  # product recall@10 ≥ 1.3 × the better baseline's
VACANCY_PRECISION_TARGET = 0.85
DESIGN_TARGET = 7


def _test_topics(rec: Any, vocabulary: Any, test: Sequence[Vacancy]) -> list[int | None]:
    """Held-out vacancies' dominant topics, from their skills (what the model can see of them)."""
    doc_topic = np.asarray(rec.topic_model.transform([vocabulary.skills_of(v) for v in test]))
    return [int(row.argmax()) if row.any() else None for row in doc_topic]


def _salary_section(
    train: Sequence[Vacancy], test: Sequence[Vacancy], parts: TrainedParts, *, topics: bool = True
) -> dict[str, Any]:
    """The salary evaluation; with ``topics`` the product model gets the default topic model's
    dominant topic per vacancy (as ``jobrec train`` does) and a no-topic ablation is measured."""
    try:
        from recommender.salary.evaluation import evaluate_salary
    except ImportError as exc:
        return {"available": False, "reason": f"recommender.salary.evaluation unavailable: {exc}"}
    started = time.perf_counter()
    source = salary_topic_model(parts.recommenders) if topics else None
    topic_kwargs: dict[str, Any] = {}
    if source is not None:
        rec = parts.recommenders[source]
        topic_kwargs = {
            "train_topics": rec.dominant_topics(),
            "test_topics": _test_topics(rec, parts.vocabulary, test),
            "query_topic": rec.specialization_topic,
        }
    result = evaluate_salary(train, test, parts.vocabulary, **topic_kwargs)
    return {
        "available": True,
        "topic_model": source,
        "result": result.to_dict(),
        "markdown": result.to_markdown(),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _targets(results: Mapping[str, Any], product: str) -> dict[str, Any]:
    skills = results["skills"]
    baseline = max(skills["popularity"]["recall@10"], skills["co-occurrence"]["recall@10"])
    recall = skills[product]["recall@10"]
    gain = recall / baseline - 1 if baseline > 0 else math.inf
    precision = results["vacancies"][product]["precision@5"]
    design = results["design"][product]["design_count"]
    alias = results["alias"][product]["same_top"]
    return {
        "product_model": product,
        "skill_recall_gain": {
            "value": gain,
            "target": SKILL_RECALL_GAIN_TARGET,
            "met": gain >= SKILL_RECALL_GAIN_TARGET,
        },
        "vacancy_precision@5": {
            "value": precision,
            "target": VACANCY_PRECISION_TARGET,
            "met": precision >= VACANCY_PRECISION_TARGET,
        },
        "design_top10": {"value": design, "target": DESIGN_TARGET, "met": design >= DESIGN_TARGET},
        "alias_same_top5": {"value": alias, "target": True, "met": bool(alias)},
    }


def evaluate_parts(
    parts: TrainedParts,
    train: Sequence[Vacancy],
    test: Sequence[Vacancy],
    *,
    max_queries: int = 2000,
    coherence_sample: int = 3000,
) -> dict[str, Any]:
    """Every offline measure on fitted ``parts`` (trained on ``train`` only, row-aligned with it)."""
    timings: dict[str, float] = {}
    recs = parts.recommenders
    vocab = parts.vocabulary

    started = time.perf_counter()
    cases = make_skill_cases(vocab, test, max_cases=max_queries)
    advisors: dict[str, Any] = {name: rec.advise for name, rec in recs.items()}
    advisors["popularity"] = PopularityBaseline(parts.index.skills).advise
    advisors["co-occurrence"] = CooccurrenceBaseline(parts.index.skills).advise
    skills = evaluate_skill_advice(advisors, cases)
    timings["skills"] = time.perf_counter() - started

    started = time.perf_counter()
    listed_train = [v for v in train if v.source == "list"]
    generic = generic_specializations(listed_train)
    listed_test = [v for v in test if v.source == "list"]
    vacancies = evaluate_vacancy_recommendations(
        recs, train, listed_test, vocab, max_queries=max_queries, generic=generic
    )
    timings["vacancies"] = time.perf_counter() - started

    started = time.perf_counter()
    train_docs = [parts.index.skills.skills_of_row(i) for i in range(len(parts.index))]
    test_docs = [vocab.skills_of(v) for v in test[: coherence_sample * 2]]
    topics = evaluate_topics(
        {n: r.topic_model for n, r in recs.items()}, train_docs, test_docs, sample_size=coherence_sample
    )
    timings["topics"] = time.perf_counter() - started

    both = RecommenderSet(recs)
    names = list(recs)
    results: dict[str, Any] = {
        "split": {"train": len(train), "test": len(test), "skill_cases": len(cases)},
        "generic_specializations": generic,
        "specialization_shares": specialization_shares(listed_train, generic),
        "skills": skills,
        "vacancies": vacancies,
        "topics": topics,
        "queries": report_queries(both, names),
        "specializations": specializations(both, names),
        "design": {n: design_advice_check(both, n) for n in names},
        "alias": {n: alias_check(both, n) for n in names},
        "scoring": dict(vars(next(iter(recs.values())).params)),
        "timings_s": {k: round(v, 1) for k, v in timings.items()},
    }
    product = "nmf" if "nmf" in recs else names[0]
    results["targets"] = _targets(results, product)
    return results


def run_evaluation(
    paths: Sequence[str],
    *,
    models: Sequence[str] = ("nmf", "lda", "cluster"),
    max_queries: int = 2000,
    lda_topics: int | None = None,
    salary: bool = True,
    command: str = "jobrec evaluate",
) -> dict[str, Any]:
    """Load ``paths``, split by id hash, train on the train part, evaluate on the held-out part."""
    started = time.perf_counter()
    loaded = load_vacancies(paths)
    train, test = train_test_split(loaded.vacancies)
    logger.info("evaluation split: %d train, %d test", len(train), len(test))
    vocab = build_vocabulary(train)
    model_params: dict[str, dict[str, Any]] = {"lda": {"num_topics": lda_topics}} if lda_topics else {}
    fit_started = time.perf_counter()
    parts = fit_parts(
        train, models=models, salary=False, vocabulary=vocab, model_params=model_params, progress=True
    )
    fit_seconds = time.perf_counter() - fit_started
    results = evaluate_parts(parts, train, test, max_queries=max_queries)
    results["salary"] = (
        _salary_section(train, test, parts) if salary else {"available": False, "reason": "skipped"}
    )
    results["command"] = command
    results["data"] = {"paths": [str(p) for p in paths], "vacancies": len(loaded.vacancies)}
    results["timings_s"].update(
        {"fit": round(fit_seconds, 1), "total": round(time.perf_counter() - started, 1)}
    )
    results["fit_timings_s"] = {k: round(v, 1) for k, v in parts.timings.items()}
    results["model_params"] = parts.model_params
    return results


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def write_report(results: Mapping[str, Any], markdown_path: str | Path) -> tuple[Path, Path]:
    """Write the markdown report and the JSON beside it (same stem)."""
    md = Path(markdown_path)
    md.parent.mkdir(parents=True, exist_ok=True)
    md.write_text(render_markdown(results), encoding="utf-8")
    js = md.with_suffix(".json")
    data = {k: v for k, v in results.items() if k != "salary"}
    salary = dict(results.get("salary") or {})
    salary.pop("markdown", None)
    data["salary"] = salary
    js.write_text(json.dumps(_jsonable(data), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return md, js
