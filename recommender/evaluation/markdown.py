"""The evaluation results as docs/evaluation.md."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from recommender.evaluation.queries import DESIGN_MARKERS


def _f(value: Any, digits: int = 3) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "—" if value != value else f"{value:.{digits}f}"
    return str(value)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_f(c) for c in row) + " |" for row in rows]
    return lines


def _targets(results: Mapping[str, Any]) -> list[str]:
    t = results["targets"]
    met = {True: "**met**", False: "**missed**"}
    lines = ["## Targets", "", f"Product model: `{t['product_model']}`.", ""]
    rows = [
        [
            "skill recall@10 gain over the better baseline",
            f"{t['skill_recall_gain']['value']:+.1%}",
            "≥ +30%",
            met[t["skill_recall_gain"]["met"]],
        ],
        [
            "vacancy specialization precision@5",
            _f(t["vacancy_precision@5"]["value"]),
            "≥ 0.85",
            met[t["vacancy_precision@5"]["met"]],
        ],
        [
            "design query: design skills in top 10 to learn",
            t["design_top10"]["value"],
            "≥ 7",
            met[t["design_top10"]["met"]],
        ],
        [
            '"джава, спринг" and "java, spring": same top 5',
            _f(t["alias_same_top5"]["value"]),
            "yes",
            met[t["alias_same_top5"]["met"]],
        ],
    ]
    return [*lines, *_table(["target", "measured", "goal", ""], rows), ""]


def _skills(results: Mapping[str, Any]) -> list[str]:
    rows = [[name, r["recall@10"], r["ndcg@10"], r["cases"]] for name, r in results["skills"].items()]
    return [
        "## Skill recommendation",
        "",
        "Held-out full cards (test split) with at least two canonical key skills: half of the key skills",
        "(chosen by a generator seeded with the vacancy id) are hidden, the rest are the query. A method",
        "recommends 10 skills the query does not contain; recall@10 and nDCG@10 count the hidden ones found.",
        "Baselines: *popularity* (the corpus's most asked-for skills) and *co-occurrence* (skills most often",
        "asked together with any query skill).",
        "",
        *_table(["method", "recall@10", "nDCG@10", "cases"], rows),
        "",
        "The advice is drawn mostly from the vacancies that ask for the query's skills (ranked by idf",
        "coverage of the query), their co-occurrence with the query skills and the skills' key-skill",
        "share, discounted by corpus frequency (lift); the topic model only adds the specialization's",
        "skill shares (weight `topic_share_weight`), so the three models give nearly the same advice.",
        "",
    ]


def _vacancies(results: Mapping[str, Any]) -> list[str]:
    generic = ", ".join(results["generic_specializations"])
    shares = results.get("specialization_shares") or {}
    top_spec = results["generic_specializations"][0] if results["generic_specializations"] else "—"
    top_share = float(shares.get(top_spec, float("nan")))
    rows = [
        [
            name,
            r["precision@5"],
            r["precision@5_specific"],
            r["title_word@5"],
            r["queries"],
            r["queries_specific"],
        ]
        for name, r in results["vacancies"].items()
    ]
    return [
        "## Vacancy recommendation",
        "",
        "Held-out hh_it_2021 vacancies (test split, a fixed sample by id hash): the query is the skills",
        "extracted from the vacancy (title and snippet), the model returns 5 distinct training vacancies.",
        "*precision@5*: share of them sharing at least one hh specialization with the held-out vacancy.",
        "The brief expected nearly every vacancy to carry generic specializations; here the most frequent",
        f"one ({top_spec}) is on {top_share:.0%} of the list items, and hh_it_2021's specializations are",
        "the union of the search filters that returned a vacancy, so they are noisy labels: *random*",
        "(5 random vacancies) shows the chance level.",
        f"*precision@5 specific* ignores the {len(results['generic_specializations'])} most frequent ids",
        f"({generic}) and only counts queries that keep another one.",
        "*title word*: share of the 5 whose title contains the held-out title's main word",
        "(its first word that is not a level such as junior/ведущий).",
        "",
        *_table(
            ["model", "precision@5", "precision@5 specific", "title word@5", "queries", "specific queries"],
            rows,
        ),
        "",
    ]


def _topics(results: Mapping[str, Any]) -> list[str]:
    rows = [
        [name, r["topics"], r["c_v"], r["c_npmi"], r["diversity"], r.get("perplexity", float("nan"))]
        for name, r in results["topics"].items()
    ]
    return [
        "## Topic quality",
        "",
        "c_v and NPMI coherence of each topic's top 10 skills (gensim CoherenceModel on a seeded sample of",
        "3,000 training documents), topic diversity (share of unique skills among all topics' top 10), and",
        "LDA perplexity on held-out documents (gensim's bound; lower is better).",
        "",
        *_table(["model", "topics", "c_v", "NPMI", "diversity", "perplexity"], rows),
        "",
    ]


def _queries(results: Mapping[str, Any]) -> list[str]:
    lines = [
        "## The report's three queries",
        "",
        "The report's tables (section 6) are the reference: NMF found NLP and embedded vacancies and skills,",
        "LDA did not for the embedded query, and both gave unrelated skills for the design query.",
        "",
    ]
    for query, per_model in results["queries"].items():
        models = list(per_model)
        lines += [f"### «{query}»", ""]
        spec = [
            [m, per_model[m]["specialization"] or "—", ", ".join(per_model[m]["skills_recognized"])]
            for m in models
        ]
        lines += [*_table(["model", "specialization", "recognized"], spec), ""]
        header = ["#", *models]
        rows = []
        for i in range(5):
            row: list[Any] = [i + 1]
            for m in models:
                vacs = per_model[m]["vacancies"]
                row.append(f"{vacs[i]['title']} ({', '.join(vacs[i]['matched'])})" if i < len(vacs) else "")
            rows.append(row)
        lines += ["Top 5 vacancies (matched skills):", "", *_table(header, rows), ""]
        rows = []
        for i in range(7):
            row = [i + 1]
            for m in models:
                skills = per_model[m]["skills_to_learn"]
                row.append(skills[i] if i < len(skills) else "")
            rows.append(row)
        lines += ["Top 7 skills to learn:", "", *_table(header, rows), ""]
    return lines


def _specializations(results: Mapping[str, Any]) -> list[str]:
    table = results.get("specializations") or {}
    if not table:
        return []
    lines = [
        "## Specializations for common queries",
        "",
        'What the bot shows as "your specialization": the topic label (named after the titles most',
        "employers use among the topic's strongest vacancies, `recommender/topics/labels.py`), its",
        "score (cosine of the query's blended topic vector with the topic) and the topic's top skills.",
        "",
    ]
    rows = []
    for query, per_model in table.items():
        for model, spec in per_model.items():
            if spec is None:
                rows.append([f"«{query}»", model, "—", "", ""])
            else:
                skills = ", ".join(spec["top_skills"])
                rows.append([f"«{query}»", model, spec["label"], f"{spec['score']:.2f}", skills])
    return [*lines, *_table(["query", "model", "specialization", "score", "top skills"], rows), ""]


def _design_and_alias(results: Mapping[str, Any]) -> list[str]:
    lines = [
        "## Design advice and alias invariance",
        "",
        "A skill counts as a design tool or skill when its canonical name contains one of: "
        + ", ".join(f"`{m}`" for m in DESIGN_MARKERS)
        + " (`recommender/evaluation/queries.py`).",
        "",
    ]
    rows = [
        [m, f"{d['design_count']}/{d['n']}", ", ".join(d["skills"])] for m, d in results["design"].items()
    ]
    lines += [*_table(["model", "design skills in top 10", "top 10 skills to learn"], rows), ""]
    rows = [
        [m, a["same_top"], " / ".join(", ".join(s) for s in a["skills"])] for m, a in results["alias"].items()
    ]
    lines += [
        '"джава, спринг" vs "java, spring":',
        "",
        *_table(["model", "same top 5", "recognized"], rows),
        "",
    ]
    return lines


def _salary(results: Mapping[str, Any]) -> list[str]:
    salary = results.get("salary") or {}
    if not salary.get("available"):
        return ["## Salary", "", f"Not evaluated: {salary.get('reason', 'unavailable')}.", ""]
    text = str(salary["markdown"]).strip()
    return [text, ""] if text.startswith("## ") else ["## Salary", "", text, ""]


def render_markdown(results: Mapping[str, Any]) -> str:
    split = results["split"]
    timings = ", ".join(f"{k} {v}s" for k, v in results.get("timings_s", {}).items())
    scoring = ", ".join(f"{k}={v}" for k, v in results.get("scoring", {}).items())
    lines = [
        "# Offline evaluation",
        "",
        f"Produced by `{results.get('command', 'jobrec evaluate')}` (generated file: do not edit by hand).",
        "",
        f"Data: {', '.join(results.get('data', {}).get('paths', []))}. Split by a hash of the vacancy id",
        "(`recommender.data.split.is_test`, 1 in 5 held out):",
        f"{split['train']:,} train, {split['test']:,} test.",
        "Vocabulary, topic models and the index are fitted on the train part only.",
        f"Scoring parameters: {scoring}.",
        f"Run time: {timings}.",
        "",
        *_targets(results),
        *_skills(results),
        *_vacancies(results),
        *_topics(results),
        *_queries(results),
        *_specializations(results),
        *_design_and_alias(results),
        *_salary(results),
    ]
    return "\n".join(lines) + "\n"
