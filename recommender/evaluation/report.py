"""`jobrec evaluate`: train on the fixed split, measure everything, write docs/evaluation.md/json."""

from __future__ import annotations

import json
import logging
import math
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from statistics import mean
from typing import Any

import numpy as np

from recommender.bundle import Bundle
from recommender.data import load_vacancies
from recommender.data.models import Vacancy
from recommender.data.sampling import sample_rows
from recommender.data.split import train_test_split
from recommender.evaluation.baselines import CooccurrenceBaseline, PopularityBaseline
from recommender.evaluation.choice_eval import evaluate_field_choice
from recommender.evaluation.fields_eval import (
    evaluate_label_accuracy,
    evaluate_roles,
    evaluate_title_families,
    family_queries,
    role_queries,
    role_rows,
)
from recommender.evaluation.markdown import render_markdown
from recommender.evaluation.naive import NaiveTfidfRecommender
from recommender.evaluation.queries import (
    RecommenderSet,
    alias_check,
    design_advice_check,
    report_field_checks,
    report_queries,
    specializations,
)
from recommender.evaluation.sectors_eval import evaluate_sector_queries
from recommender.evaluation.skills_eval import (
    RoleLift,
    evaluate_skill_advice,
    frequent_skills,
    make_skill_cases,
    skill_advice_by_group,
    source_year,
)
from recommender.evaluation.systems import (
    TOP_TWO,
    TOPIC_TERMS,
    NaiveSystem,
    ProductSystem,
    RandomSystem,
    SupervisedRoles,
    label_ceiling,
    without_topic_terms,
)
from recommender.evaluation.topics_eval import evaluate_topics
from recommender.evaluation.vacancies_eval import (
    evaluate_vacancy_recommendations,
    generic_specializations,
    specialization_shares,
)
from recommender.train import (
    build_recommender,
    build_vocabulary,
    canonical_key_skills,
    fit_parts,
    make_topic_model,
    salary_topic_model,
)

logger = logging.getLogger(__name__)

SKILL_RECALL_GAIN_TARGET = 0.30  # product recall@10 ≥ 1.3 × the best baseline's
VACANCY_PRECISION_TARGET = 0.85
DESIGN_TARGET = 7
TITLE_FAMILY_GAIN_TARGET = 0.10  # product title-family precision@5 ≥ naive's + 0.10
LONG_TAIL_RATIO_TARGET = 1.5  # product long-tail recall@10 ≥ 1.5 × the best baseline's
LABEL_ACCURACY_TARGET = 0.8
SKILL_BASELINES = ("naive", "popularity", "co-occurrence")
REPORT_NMF_PARAMS = {"min_df": 0.003, "max_features": 1000}  # the report's (NMFTopicModel's defaults)


def _test_topics(rec: Any, vocabulary: Any, test: Sequence[Vacancy]) -> list[int | None]:
    """Held-out vacancies' dominant topics, from their skills (what the model can see of them)."""
    doc_topic = np.asarray(rec.topic_model.transform([vocabulary.skills_of(v) for v in test]))
    return [int(row.argmax()) if row.any() else None for row in doc_topic]


def _salary_section(
    train: Sequence[Vacancy], test: Sequence[Vacancy], parts: Bundle, *, topics: bool = True
) -> dict[str, Any]:
    """The salary evaluation; with ``topics`` the product model gets the default topic model's
    dominant topic per vacancy (as ``jobrec train`` does) and a no-topic ablation is measured."""
    from recommender.salary.evaluation import evaluate_salary

    started = time.perf_counter()
    source = salary_topic_model(parts.recommenders) if topics else None
    topic_kwargs: dict[str, Any] = {}
    if source is not None:
        rec = parts.recommenders[source]
        topic_kwargs = {
            "train_topics": rec.dominant_topics(),
            "test_topics": _test_topics(rec, parts.vocabulary, test),
            "query_topic": lambda text: rec.specialization_topic(rec.vocabulary.parse(text)),
        }
    result = evaluate_salary(train, test, parts.vocabulary, **topic_kwargs)
    return {
        "available": True,
        "topic_model": source,
        "result": result.to_dict(),
        "markdown": result.to_markdown(),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _best(table: Mapping[str, Mapping[str, Any]], names: Sequence[str], key: str) -> tuple[str, float]:
    scored = [(name, float(table[name][key])) for name in names if name in table]
    return max(scored, key=lambda pair: pair[1]) if scored else ("", float("nan"))


def _target(value: Any, goal: Any, met: bool, **extra: Any) -> dict[str, Any]:
    return {"value": value, "target": goal, "met": bool(met), **extra}


def _targets(results: Mapping[str, Any], product: str) -> dict[str, Any]:
    skills = results["skills"]
    baseline_name, baseline = _best(skills, SKILL_BASELINES, "recall@10")
    recall = skills[product]["recall@10"]
    gain = recall / baseline - 1 if baseline > 0 else math.inf
    tail_name, tail_baseline = _best(skills, SKILL_BASELINES, "long_tail_recall@10")
    tail = skills[product]["long_tail_recall@10"]
    tail_ratio = tail / tail_baseline if tail_baseline > 0 else math.inf
    family = results["title_families"]
    family_gain = family[product]["precision@5"] - family["naive"]["precision@5"]
    accuracy = results["label_accuracy"][product]["accuracy"]
    fields = results["report_fields"]
    fields_met = [q for q, per_model in fields.items() if per_model[product]["met"]]
    precision = results["vacancies"][product]["precision@5"]
    design = results["design"][product]["design_count"]
    alias = results["alias"][product]["same_top"]
    sectors = results["sectors"]["summary"]
    choice = results["field_choice"]
    return {
        "product_model": product,
        "title_family_gain_over_naive": _target(
            family_gain, TITLE_FAMILY_GAIN_TARGET, family_gain >= TITLE_FAMILY_GAIN_TARGET
        ),
        "long_tail_recall_ratio": _target(
            tail_ratio, LONG_TAIL_RATIO_TARGET, tail_ratio >= LONG_TAIL_RATIO_TARGET, baseline=tail_name
        ),
        "label_accuracy": _target(
            accuracy,
            LABEL_ACCURACY_TARGET,
            accuracy >= LABEL_ACCURACY_TARGET,
            ceiling=label_ceiling(results["label_accuracy"]),
        ),
        "report_queries_in_field": _target(
            len(fields_met), len(fields), len(fields_met) == len(fields), met_queries=fields_met
        ),
        "skill_recall_gain": _target(
            gain, SKILL_RECALL_GAIN_TARGET, gain >= SKILL_RECALL_GAIN_TARGET, baseline=baseline_name
        ),
        "vacancy_precision@5": _target(
            precision, VACANCY_PRECISION_TARGET, precision >= VACANCY_PRECISION_TARGET
        ),
        "design_top10": _target(design, DESIGN_TARGET, design >= DESIGN_TARGET),
        "alias_same_top5": _target(alias, True, bool(alias)),
        "non_it_in_field": _target(
            sectors["in_field"],
            sectors["target"],
            sectors["in_field"] >= sectors["target"] and sectors["other_sector"] == 0,
            other_sector=sectors["other_sector"],
        ),
        "field_chosen_precision@5": _target(
            choice["chosen"],
            choice["target"],
            choice["chosen"] >= choice["target"],
            unchosen=choice["unchosen"],
            from_buttons=choice["chosen_from_buttons"],
        ),
    }


def report_settings_nmf(parts: Bundle, train: Sequence[Vacancy]) -> Any:
    """The product's recommender over an NMF fitted with the report's settings (1000 terms,
    min_df 0.3%): what the product's own topic settings (``PRODUCT_MODEL_PARAMS``) change."""
    docs = [parts.index.skills.skills_of_row(i) for i in range(len(parts.index))]
    model = make_topic_model("nmf", REPORT_NMF_PARAMS, 0).fit(docs)
    params = parts.recommenders["nmf"].params
    return build_recommender("nmf-report", model, parts.vocabulary, parts.index, docs, train, params)


def _systems(
    parts: Bundle, train: Sequence[Vacancy], *, ablation: bool, report_nmf: Any = None
) -> dict[str, Any]:
    """The product per topic model, its no-topic ablation (and the report-settings NMF),
    the naive search and the random ranker."""
    card_rows, roles = role_rows(train)
    systems: dict[str, Any] = {}
    for name, rec in parts.recommenders.items():
        systems[name] = ProductSystem(rec, roles)
    if ablation:
        for rec in parts.recommenders.values():
            clone = without_topic_terms(rec)
            systems[clone.name] = ProductSystem(clone, roles)
    if report_nmf is not None:
        systems[report_nmf.name] = ProductSystem(report_nmf, roles)
    naive = NaiveTfidfRecommender(train, parts.index)
    systems["naive"] = NaiveSystem(naive, card_rows, roles)
    systems["random"] = RandomSystem(len(train), roles)
    return systems


def supervised_roles(
    vocab: Any, train: Sequence[Vacancy], card_rows: np.ndarray, roles: Sequence[str | None]
) -> list[SupervisedRoles]:
    """The label-accuracy ceilings, one per classifier, fitted on the training cards queried as the
    held-out ones are (none without two roles to tell apart)."""
    skills = {row: canonical_key_skills(vocab, train[row]) for row in card_rows.tolist()}
    rows = [row for row, names in skills.items() if names]
    if len({roles[row] for row in rows}) < 2:
        return []
    card_skills, card_roles = [skills[row] for row in rows], [str(roles[row]) for row in rows]
    return [SupervisedRoles(card_skills, card_roles, kind=kind) for kind in SupervisedRoles.KINDS]


def top_two_accuracy(ceiling: SupervisedRoles, queries: Sequence[tuple[str, list[str]]]) -> float:
    """Share of the queries whose role is among the classifier's two likeliest: what showing two
    specializations could reach at best."""
    return mean(float(role in ceiling.predict_roles(skills, 2)) for role, skills in queries)


def evaluate_parts(
    parts: Bundle,
    train: Sequence[Vacancy],
    test: Sequence[Vacancy],
    *,
    max_queries: int = 2000,
    coherence_sample: int = 3000,
    topic_quality: bool = True,
    ablation: bool = True,
) -> dict[str, Any]:
    """Every offline measure on fitted ``parts`` (trained on ``train`` only, row-aligned with it).

    ``max_queries`` held-out queries per measure (a fixed sample by id hash); without
    ``topic_quality`` the coherence section is skipped, without ``ablation`` the no-topic variants.
    """
    timings: dict[str, float] = {}
    recs = parts.recommenders
    vocab = parts.vocabulary
    started = time.perf_counter()
    report_nmf = report_settings_nmf(parts, train) if ablation and "nmf" in recs else None
    systems = _systems(parts, train, ablation=ablation, report_nmf=report_nmf)
    card_rows, roles = role_rows(train)
    timings["systems"] = time.perf_counter() - started  # the report-settings NMF and the naive index

    started = time.perf_counter()
    cases = make_skill_cases(vocab, test, max_cases=max_queries)
    advisors: dict[str, Any] = {name: s.advise for name, s in systems.items() if name != "random"}
    advisors["popularity"] = PopularityBaseline(parts.index.skills).advise
    advisors["co-occurrence"] = CooccurrenceBaseline(parts.index.skills).advise
    doc_skills = [parts.index.skills.skills_of_row(i) for i in range(len(parts.index))]
    lift = RoleLift([doc_skills[row] for row in card_rows], [roles[row] for row in card_rows])
    skills = evaluate_skill_advice(advisors, cases, frequent=frequent_skills(doc_skills), lift=lift)
    by_group = {name: advisors[name] for name in (*recs, "co-occurrence") if name in advisors}
    skills_by_source_year = skill_advice_by_group(by_group, cases)
    timings["skills"] = time.perf_counter() - started

    started = time.perf_counter()
    queries, train_families = family_queries(vocab, train, test, max_queries=max_queries)
    title_families = evaluate_title_families(systems, queries, train_families)
    role_precision = evaluate_roles(
        systems, role_queries(vocab, test, max_queries=max_queries), card_rows, roles
    )
    label_queries = role_queries(vocab, test, max_queries=max_queries, key_skills_only=True)
    predictors = {n: s.predict_role for n, s in systems.items()}
    ceilings = supervised_roles(vocab, train, card_rows, roles)
    predictors.update({c.name: c.predict_role for c in ceilings})
    label_accuracy = evaluate_label_accuracy(predictors, label_queries)
    if ceilings and label_queries:
        label_accuracy[TOP_TWO] = {
            "accuracy": top_two_accuracy(ceilings[0], label_queries),
            "queries": len(label_queries),
        }
    timings["fields"] = time.perf_counter() - started

    started = time.perf_counter()
    listed_train = [v for v in train if v.detail == "list"]
    generic = generic_specializations(listed_train)
    listed_test = [v for v in test if v.detail == "list"]
    vacancies = evaluate_vacancy_recommendations(
        {n: s for n, s in systems.items() if n != "random"},
        train,
        listed_test,
        vocab,
        max_queries=max_queries,
        generic=generic,
    )
    timings["vacancies"] = time.perf_counter() - started

    topics: dict[str, Any] = {}
    if topic_quality:
        started = time.perf_counter()
        test_docs = [vocab.skills_of(v) for v in test[: coherence_sample * 2]]
        models = {n: r.topic_model for n, r in recs.items()}
        if report_nmf is not None:
            models[report_nmf.name] = report_nmf.topic_model
        topics = evaluate_topics(models, doc_skills, test_docs, sample_size=coherence_sample)
        timings["topics"] = time.perf_counter() - started

    both = RecommenderSet(recs)
    names = list(recs)
    results: dict[str, Any] = {
        "split": {"train": len(train), "test": len(test), "skill_cases": len(cases)},
        "systems": list(systems),
        "topic_terms": list(TOPIC_TERMS),
        "generic_specializations": generic,
        "specialization_shares": specialization_shares(listed_train, generic),
        "skills": skills,
        "skills_by_source_year": skills_by_source_year,
        "title_families": title_families,
        "roles": role_precision,
        "label_accuracy": label_accuracy,
        "vacancies": vacancies,
        "topics": topics,
        "queries": report_queries(both, names, naive=systems["naive"]),
        "report_fields": report_field_checks(both, names),
        "specializations": specializations(both, names),
        "design": {n: design_advice_check(both, n) for n in names},
        "alias": {n: alias_check(both, n) for n in names},
        "scoring": dict(vars(next(iter(recs.values())).params)),
        "timings_s": {k: round(v, 1) for k, v in timings.items()},
    }
    product = "nmf" if "nmf" in recs else names[0]
    results["sectors"] = evaluate_sector_queries(recs[product], naive=systems.get("naive"))
    results["field_choice"] = evaluate_field_choice(recs[product], queries, train_families)
    results["targets"] = _targets(results, product)
    return results


def source_years(vacancies: Sequence[Vacancy]) -> dict[str, int]:
    """``{"hh 2021": n, "trudvsem 2026": n, "hh undated": n}``: where and when the rows are from."""
    counts = Counter(source_year(v) for v in vacancies)
    return dict(sorted(counts.items()))


def run_evaluation(
    paths: Sequence[str],
    *,
    models: Sequence[str] = ("nmf", "lda", "cluster"),
    max_queries: int = 2000,
    lda_topics: int | None = None,
    salary: bool = True,
    topic_quality: bool = True,
    ablation: bool = True,
    command: str = "jobrec evaluate",
    fit_sample: int | None = None,
) -> dict[str, Any]:
    """Load ``paths``, split by id hash, train on the train part, evaluate on the held-out part
    (``fit_sample``: the vocabulary and topic models fitted on that many train vacancies, every
    one indexed, as ``fit_parts`` does at a million: what the sample costs in quality)."""
    started = time.perf_counter()
    loaded = load_vacancies(paths)
    train, test = train_test_split(loaded.vacancies)
    logger.info("evaluation split: %d train, %d test", len(train), len(test))
    rows = sample_rows(len(train), fit_sample, random_state=0)  # fit_parts' own sample
    vocab = build_vocabulary(train if rows is None else [train[i] for i in rows])
    model_params: dict[str, dict[str, Any]] = {"lda": {"num_topics": lda_topics}} if lda_topics else {}
    fit_started = time.perf_counter()
    parts = fit_parts(
        train,
        models=models,
        salary=False,
        vocabulary=vocab,
        model_params=model_params,
        progress=True,
        fit_sample=fit_sample,
    )
    fit_seconds = time.perf_counter() - fit_started
    results = evaluate_parts(
        parts, train, test, max_queries=max_queries, topic_quality=topic_quality, ablation=ablation
    )
    results["salary"] = (
        _salary_section(train, test, parts) if salary else {"available": False, "reason": "skipped"}
    )
    results["command"] = command
    results["data"] = {
        "paths": [str(p) for p in paths],
        "vacancies": len(loaded.vacancies),
        "fit_sample": fit_sample,
        "by_source_year": {"train": source_years(train), "test": source_years(test)},
    }
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
