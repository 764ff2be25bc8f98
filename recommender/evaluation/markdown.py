"""The evaluation results as docs/evaluation.md."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from recommender.evaluation.choice_eval import choice_markdown
from recommender.evaluation.queries import DESIGN_MARKERS
from recommender.evaluation.sectors_eval import sector_markdown


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


def _first(table: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any]:
    """The first row of a per-system table (its counts are the same for every system)."""
    return next(iter(table.values()), {})


def _targets(results: Mapping[str, Any]) -> list[str]:
    t = results["targets"]
    met = {True: "**met**", False: "**missed**"}
    lines = ["## Targets", "", f"Product model: `{t['product_model']}`.", ""]
    fields = t["report_queries_in_field"]
    rows = [
        [
            "title-family precision@5: product − naive",
            f"{t['title_family_gain_over_naive']['value']:+.3f}",
            "≥ +0.10",
            met[t["title_family_gain_over_naive"]["met"]],
        ],
        [
            f"long-tail skill recall@10: product / best baseline ({t['long_tail_recall_ratio']['baseline']})",
            f"{t['long_tail_recall_ratio']['value']:.2f}×",
            "≥ 1.5×",
            met[t["long_tail_recall_ratio"]["met"]],
        ],
        [
            "specialization label accuracy (held-out cards; the best classifier fitted to the roles: "
            f"{_f(t['label_accuracy'].get('ceiling') or float('nan'))})",
            _f(t["label_accuracy"]["value"]),
            "≥ 0.8",
            met[t["label_accuracy"]["met"]],
        ],
        [
            "report queries with a specialization of their field and field skills",
            f"{fields['value']}/{fields['target']}",
            f"{fields['target']}/{fields['target']}",
            met[fields["met"]],
        ],
        [
            f"skill recall@10 gain over the best baseline ({t['skill_recall_gain']['baseline']})",
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
        *_non_it_target(t),
    ]
    return [*lines, *_table(["target", "measured", "goal", ""], rows), ""]


def _non_it_target(t: Mapping[str, Any]) -> list[list[Any]]:
    """The rows of the non-IT students and the field choice (reports written before have none)."""
    if "non_it_in_field" not in t:
        return []
    target = t["non_it_in_field"]
    met = "**met**" if target["met"] else "**missed**"
    chosen = t["field_chosen_precision@5"]
    return [
        [
            f"title-family precision@5, own field chosen (unchosen {_f(chosen['unchosen'])}; "
            f"by the buttons alone {_f(chosen.get('from_buttons', float('nan')))})",
            _f(chosen["value"]),
            f"≥ {chosen['target']}",
            "**met**" if chosen["met"] else "**missed**",
        ],
        [
            f"non-IT student queries in their field (another sector named: {target['other_sector']})",
            _f(target["value"]),
            f"≥ {target['target']}, none in another sector",
            met,
        ],
    ]


def _describe(name: str) -> str:
    if name.endswith("-no-topic"):
        return f"{name.removesuffix('-no-topic')} without the topic terms (ablation)"
    return SYSTEM_NOTES.get(name, f"product, `{name}` topic model")


SYSTEM_NOTES = {
    "naive": "TF-IDF cosine over title + text; advice: commonest skills of its top 50",
    "nmf-report": "product with NMF at the report's settings (1000 terms, min_df 0.3%)",
    "random": "5 random vacancies; as a label, the commonest role (chance level)",
    "supervised-logistic": "logistic regression fitted to the training cards' roles (a ceiling)",
    "supervised-linear-svm": "linear SVM fitted to the training cards' roles (a ceiling)",
    "supervised-naive-bayes": "multinomial naive Bayes fitted to the training cards' roles (a ceiling)",
    "supervised-knn": "the 50 nearest training cards' roles, by cosine (a ceiling)",
    "supervised-logistic-top2": "logistic regression, right when the role is among its two likeliest",
    "popularity": "the corpus's most asked-for skills, whatever the query",
    "co-occurrence": "skills most often asked together with any query skill",
}


def _all_metrics(results: Mapping[str, Any]) -> list[str]:
    """One table: every system (product per topic model, ablations, baselines) on every measure."""
    names = list(dict.fromkeys([*results.get("systems", []), *results["skills"]]))
    columns = [
        ("title family@5", "title_families", "precision@5"),
        ("role@5", "roles", "precision@5"),
        ("label acc.", "label_accuracy", "accuracy"),
        ("skill recall@10", "skills", "recall@10"),
        ("long-tail recall@10", "skills", "long_tail_recall@10"),
        ("mean lift", "skills", "mean_lift"),
        ("nDCG@10", "skills", "ndcg@10"),
        ("specialization@5", "vacancies", "precision@5"),
        ("title word@5", "vacancies", "title_word@5"),
    ]
    rows = []
    for name in names:
        row: list[Any] = [f"`{name}`", _describe(name)]
        for _, section, key in columns:
            value = (results.get(section) or {}).get(name, {}).get(key)
            row.append(float("nan") if value is None else float(value))
        rows.append(row)
    return [
        "## Every system on every measure",
        "",
        "Product rows are the recommender with each topic model; `-no-topic` rows are the same",
        "recommender with the topic terms of the ranking and the advice set to 0 (`"
        + "`, `".join(results.get("topic_terms", []))
        + "`), the specialization still being a topic. — : not applicable.",
        "",
        *_table(["system", "what", *[c[0] for c in columns]], rows),
        "",
    ]


# (column title, results section, key) of the measures the ablation is judged on
ABLATION_MEASURES = (
    ("title-family precision@5", "title_families", "precision@5"),
    ("role precision@5", "roles", "precision@5"),
    ("label accuracy", "label_accuracy", "accuracy"),
    ("skill recall@10", "skills", "recall@10"),
    ("long-tail recall@10", "skills", "long_tail_recall@10"),
    ("mean lift", "skills", "mean_lift"),
)
NOTHING = 0.005  # a difference below this is "nothing measurable" (the sample's noise is larger)


def _value(results: Mapping[str, Any], section: str, name: str, key: str) -> float | None:
    value = (results.get(section) or {}).get(name, {}).get(key)
    return None if value is None else float(value)


def _ablation(results: Mapping[str, Any]) -> list[str]:
    """What the topic term and the choice of topic model change, said in words."""
    names = results.get("systems", [])
    models = [n for n in names if f"{n}-no-topic" in names]
    if not models:
        return []
    lines = ["## What the topic models add", ""]
    for model in models:
        diffs = []
        for title, section, key in ABLATION_MEASURES:
            with_topic = _value(results, section, model, key)
            without = _value(results, section, f"{model}-no-topic", key)
            if with_topic is not None and without is not None:
                diffs.append((title, with_topic - without))
        moved = [f"{t} {d:+.3f}" for t, d in diffs if abs(d) >= NOTHING]
        still = [t for t, d in diffs if abs(d) < NOTHING]
        text = f"- `{model}`: the topic term changes " + (", ".join(moved) if moved else "nothing")
        if still:
            text += f"; it adds nothing measurable (|Δ| < {NOTHING}) to {', '.join(still)}"
        lines.append(text + ".")
    spread = []
    for title, section, key in ABLATION_MEASURES:
        values = {m: _value(results, section, m, key) for m in models}
        known = {m: v for m, v in values.items() if v is not None}
        if len(known) > 1:
            best = max(known, key=lambda m: known[m])
            spread.append(f"{title}: best `{best}`, spread {max(known.values()) - min(known.values()):.3f}")
    if spread:
        lines.append(
            "- Between the topic models ("
            + ", ".join(f"`{m}`" for m in models)
            + "): "
            + "; ".join(spread)
            + "."
        )
    if "nmf-report" in names and "nmf" in names:
        changes = [
            f"{t} {(a or 0) - (b or 0):+.3f}"
            for t, section, key in ABLATION_MEASURES
            if (a := _value(results, section, "nmf", key)) is not None
            and (b := _value(results, section, "nmf-report", key)) is not None
        ]
        lines.append(
            "- The product's NMF settings against the report's (`nmf` − `nmf-report`): "
            + ", ".join(changes)
            + "."
        )
    lines += [
        "",
        "The specialization is a topic in every variant (without the topic term only the ranking and",
        "the advice ignore the topics), so label accuracy moves only through which vacancies the",
        "specialization's neighbours are.",
        "",
    ]
    return lines


def _skills(results: Mapping[str, Any]) -> list[str]:
    rows = [
        [
            name,
            r["recall@10"],
            r.get("long_tail_recall@10", float("nan")),
            r.get("mean_lift", float("nan")),
            r["ndcg@10"],
            r["cases"],
        ]
        for name, r in results["skills"].items()
    ]
    first = _first(results["skills"])
    return [
        "## Skill recommendation",
        "",
        "Held-out full cards (test split) with at least two canonical key skills: half of the key skills",
        "(chosen by a generator seeded with the vacancy id) are hidden, the rest are the query. A method",
        "recommends 10 skills the query does not contain; recall@10 and nDCG@10 count the hidden ones found.",
        "*long-tail recall@10* counts only the hidden skills outside the corpus's 30 most frequent",
        f"({first.get('long_tail_cases', 0)} cases hide one): suggesting the favourites to everyone wins",
        "plain recall, not this. *mean lift*: P(skill | the card's hh role) / P(skill) over training",
        "cards, averaged over the advised skills (1.0 = no more specific than the corpus;",
        f"{first.get('lift_cases', 0)} cases have a role). `recommender/evaluation/skills_eval.py`.",
        "Baselines: *naive* (the skills most frequent among the naive search's top 50), *popularity*",
        "and *co-occurrence* (skills most often asked together with any query skill).",
        "",
        *_table(["method", "recall@10", "long-tail recall@10", "mean lift", "nDCG@10", "cases"], rows),
        "",
        *_skills_by_source_year(results),
    ]


def _skills_by_source_year(results: Mapping[str, Any]) -> list[str]:
    """recall@10 of the same cases split by the held-out card's source and year."""
    groups = results.get("skills_by_source_year")
    if not groups:  # a report stored before the breakdown, or no group large enough
        return []
    methods = list(_first(groups))
    rows = [
        [group, *(table[m]["recall@10"] for m in methods), _first(table)["cases"]]
        for group, table in groups.items()
    ]
    return [
        "Skill recall@10 by the held-out card's source and publication year (groups of 10 cases or",
        "more; the cases column says how sure):",
        "",
        *_table(["source, year", *methods, "cases"], rows),
        "",
    ]


def _fields(results: Mapping[str, Any]) -> list[str]:
    families = results["title_families"]
    names = [n for n in families if not n.startswith("_")]
    rows = [[n, families[n]["precision@5"], families[n]["queries"]] for n in names]
    lines = [
        "## Vacancies of the user's field",
        "",
        "*Title-family precision@5*: held-out vacancies (test split, a fixed sample by id hash) whose",
        'title names a field (not a bare "Специалист" or "Инженер") shared by at least 5 training',
        "vacancies; the query is the held-out vacancy's skills; a recommended vacancy is on target when",
        "its title is in the held-out title's family: the title is cleaned of levels, brackets and",
        "employer tails, English role words become Russian (developer / programmer / программист →",
        'разработчик), "ui"/"ux" one word, fillers dropped, Russian words cut to 6 letters, the first',
        '3 words kept; a title is in the family when it has all of them ("Backend Python developer" is',
        'in {python, разраб}, a bare "Разработчик" is not). `recommender/evaluation/families.py`.',
        "",
        *_table(["system", "title-family precision@5", "queries"], rows),
        "",
    ]
    counts = families.get("_family_counts", {})
    if counts and names:
        header = ["family", "queries", *names]
        table = [
            [f, n, *[families[s]["by_family"].get(f, float("nan")) for s in names]] for f, n in counts.items()
        ]
        lines += ["By the commonest held-out families:", "", *_table(header, table), ""]
    roles = results["roles"]
    accuracy = results["label_accuracy"]
    rows = [
        [
            n,
            roles.get(n, {}).get("precision@5", float("nan")),
            accuracy.get(n, {}).get("accuracy", float("nan")),
        ]
        for n in dict.fromkeys([*roles, *accuracy])
    ]
    n_roles = _first(roles).get("queries", 0)
    n_labels = _first(accuracy).get("queries", 0)
    lines += [
        '*Role precision@5*: held-out cards with an hh professional role (not "Другое") as queries',
        f"(their skills, {n_roles} queries), ranked among the training cards with a role; the share of the 5",
        "sharing the role. *Label accuracy*: the same cards queried with their key skills only",
        f"({n_labels} queries); right when the specialization stands for the card's role: for the",
        "product, the majority role of the training cards its specialization topic dominates; for the",
        "naive search, the majority role of its 50 best cards; for *random*, the commonest role;",
        "*supervised-…* rows are ceilings: classifiers over TF-IDF of the training cards' key skills",
        "fitted to their roles (logistic regression, linear SVM, naive Bayes, 50 nearest cards), asked",
        "the same queries; *supervised-logistic-top2* counts it right when the role is among its two",
        "likeliest, the most two specializations shown could reach. Most of what every system misses",
        "is between IT roles that share their key skills (Тестировщик / Программист, DevOps /",
        "Системный инженер / Системный администратор).",
        "",
        *_table(["system", "role precision@5", "label accuracy"], rows),
        "",
    ]
    return lines


def _report_fields(results: Mapping[str, Any]) -> list[str]:
    checks = results.get("report_fields") or {}
    rows = []
    for query, per_model in checks.items():
        for model, c in per_model.items():
            rows.append(
                [
                    f"«{query}»",
                    model,
                    c["label"] or "—",
                    _f(c["label_ok"]),
                    f"{len(c['field_skills'])}/10: {', '.join(c['field_skills'])}",
                    _f(c["met"]),
                ]
            )
    return [
        "Does each answer name the query's field (ML / NLP, embedded, design) and advise its skills",
        "(at least 5 of the top 10 skills to learn match the field's markers,",
        "`recommender/evaluation/queries.py`)?",
        "",
        *_table(
            ["query", "model", "specialization", "names the field", "field skills to learn", "met"], rows
        ),
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
    if not rows:
        return ["## Topic quality", "", "Not measured in this run (`--no-topic-quality` / `--quick`).", ""]
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


def _vacancy_cell(vacancy: Mapping[str, Any]) -> str:
    matched = ", ".join(vacancy.get("matched") or [])
    return f"{vacancy['title']} ({matched})" if matched else str(vacancy["title"])


def _queries(results: Mapping[str, Any]) -> list[str]:
    lines = [
        "## The report's three queries",
        "",
        "The report's tables (section 6) are the reference: NMF found NLP and embedded vacancies and skills,",
        "LDA did not for the embedded query, and both gave unrelated skills for the design query.",
        "The *report (NMF)* column is the report's own NMF answer (tables 2, 4, 7, 9, 12, 14, titles cut",
        "as printed there); *naive* is the TF-IDF search queried with the same recognized skills.",
        "",
        *_report_fields(results),
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
                row.append(_vacancy_cell(vacs[i]) if i < len(vacs) else "")
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
        'What the bot shows as "your specialization": the topic closest to the query and its best',
        "matches, named after what those matches in the topic are (the job word and the qualifier most",
        "of their employers share, `field_title`), else the topic's label (the titles most employers",
        'use among the topic\'s strongest vacancies; `recommender/topics/labels.py`); "A / B" when a',
        "second topic under another name is nearly as close (≥ 0.85 of the score); the score (cosine",
        "of the query's blended topic vector with the topic) and the topic's top skills.",
        "",
    ]
    rows = []
    for query, per_model in table.items():
        for model, spec in per_model.items():
            if spec is None:
                rows.append([f"«{query}»", model, "—", "", ""])
            else:
                skills = ", ".join(spec["top_skills"])
                label = spec["label"] + (f" / {spec['second']}" if spec.get("second") else "")
                rows.append([f"«{query}»", model, label, f"{spec['score']:.2f}", skills])
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
        reason = salary.get("reason", "unavailable")
        if reason == "skipped":
            return [
                "## Salary",
                "",
                "Not part of this run (`--no-salary`): the salary estimate has its own document,",
                "[evaluation-salary.md](evaluation-salary.md) (`python -m recommender.salary.evaluation`).",
                "",
            ]
        return ["## Salary", "", f"Not evaluated: {reason}.", ""]
    text = str(salary["markdown"]).strip()
    return [text, ""] if text.startswith("## ") else ["## Salary", "", text, ""]


def _source_years(results: Mapping[str, Any]) -> list[str]:
    """One line per split: how many rows of each source and publication year."""
    counts = results.get("data", {}).get("by_source_year")
    if not counts:  # a report stored before the breakdown existed
        return []
    return [
        f"By source and year, {part}: " + ", ".join(f"{k} {v:,}" for k, v in counts[part].items()) + "."
        for part in ("train", "test")
    ]


def _fit_sample(results: Mapping[str, Any]) -> list[str]:
    sample = results.get("data", {}).get("fit_sample")
    if not sample:
        return []
    return [
        f"The vocabulary and topic models are fitted on a seeded sample of {sample:,} train vacancies"
        " (`--fit-sample`); every train vacancy is indexed.",
    ]


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
        *_source_years(results),
        "Vocabulary, topic models and the index are fitted on the train part only.",
        *_fit_sample(results),
        f"Scoring parameters: {scoring}.",
        f"Run time: {timings}.",
        "",
        *_targets(results),
        *_all_metrics(results),
        *_ablation(results),
        *_fields(results),
        *_skills(results),
        *_vacancies(results),
        *_topics(results),
        *_queries(results),
        *_specializations(results),
        *_design_and_alias(results),
        *(sector_markdown(results["sectors"]) if "sectors" in results else []),
        *(choice_markdown(results["field_choice"]) if "field_choice" in results else []),
        *_salary(results),
    ]
    return "\n".join(lines) + "\n"
