"""Students from every field: non-IT queries (skills and job titles, Russian and English) with the
sector their answer must stay in.

A query is *in its field* when the answer's sector (``Recommendation.sector``, else the sector its
specialization's title names) is the expected one; *another sector* when the specialization names
a different one (a nurse told "Персональный водитель"). Beside it, two measures a label alone
cannot pass: the share of the five vacancies listed that are of the expected sector (the naive
TF-IDF baseline gets the same queries) and the skills to learn that belong to another sector.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from recommender.skills.sectors import SHARED_SECTORS, Sectors

# (query, expected sector): what students of these fields type at the skills step.
SECTOR_QUERIES: tuple[tuple[str, str], ...] = (
    ("медсестра, уколы", "medicine"),
    ("медсестра", "medicine"),
    ("сестринское дело, инъекции", "medicine"),
    ("nurse", "medicine"),
    ("уход за пациентами, первая помощь", "medicine"),
    ("фармацевт", "medicine"),
    ("pharmacist, pharmacology", "medicine"),
    ("врач", "medicine"),
    ("учитель", "education"),
    ("педагогика, английский язык", "education"),
    ("teacher", "education"),
    ("преподаватель математики", "education"),
    ("репетитор, подготовка к егэ", "education"),
    ("воспитатель, работа с детьми", "education"),
    ("tutoring, teaching methods", "education"),
    ("1с, бухгалтерия, excel", "finance"),
    ("бухгалтер", "finance"),
    ("accountant", "finance"),
    ("бухгалтерский учёт, налоговый учёт", "finance"),
    ("экономист, финансовый анализ", "finance"),
    ("1с:бухгалтерия, первичная документация", "finance"),
    ("bookkeeping, payroll", "finance"),
    ("рекрутер", "hr"),
    ("подбор персонала, кадровое делопроизводство", "hr"),
    ("hr manager, recruiting", "hr"),
    ("менеджер по персоналу", "hr"),
    ("юрист", "law"),
    ("договорная работа, гражданское право", "law"),
    ("lawyer, contract law", "law"),
    ("юрисконсульт", "law"),
    ("логист", "logistics"),
    ("складской учёт, погрузчик", "logistics"),
    ("logistics, customs clearance", "logistics"),
    ("кладовщик", "logistics"),
    ("продавец-консультант", "retail"),
    ("кассир", "retail"),
    ("cashier, merchandising", "retail"),
    ("мерчендайзер, выкладка товара", "retail"),
    ("повар", "catering"),
    ("бариста", "catering"),
    ("официант", "catering"),
    ("cook, haccp", "catering"),
    ("прораб", "construction"),
    ("сметчик, гранд-смета", "construction"),
    ("welder, welding", "construction"),
    ("технический надзор, снип", "construction"),
    ("инженер-конструктор, компас-3d", "engineering"),
    ("autocad, solidworks, ескд", "engineering"),
    ("технолог", "engineering"),
    ("mechanical engineer", "engineering"),
    ("маркетолог", "marketing"),
    ("smm, таргетированная реклама", "marketing"),
    ("marketing, seo, copywriting", "marketing"),
    ("контент-маркетинг, копирайтинг", "marketing"),
)
TARGET_IN_FIELD = 0.9
TOP_N = 5


def answer_sector(recommendation: Any) -> str | None:
    """The sector an answer names: its sector when it has one, else its specialization's title's."""
    if recommendation.sector is not None:
        return str(recommendation.sector.id)
    label = recommendation.specialization.label if recommendation.specialization else ""
    return Sectors.default().of_title(label) if label else None


def label_sector(recommendation: Any) -> str | None:
    """The sector the specialization's title names ("Персональный водитель": logistics)."""
    label = recommendation.specialization.label if recommendation.specialization else ""
    return Sectors.default().of_title(label) if label else None


def _titles_in(titles: Sequence[str], sector: str) -> float:
    sectors = Sectors.default()
    return sum(sectors.of_title(t) == sector for t in titles) / TOP_N


def _advice_elsewhere(recommender: Any, skills: Sequence[str], sector: str) -> list[str]:
    """Advised skills whose curated sector is another one (Python advised to a teacher); office and
    sales skills suit every sector."""
    sectors = Sectors.default()
    field_of = recommender.vocabulary.field
    return [
        s
        for s in skills
        if (other := sectors.of_skill(s, field_of)) is not None
        and other != sector
        and other not in SHARED_SECTORS
    ]


def evaluate_sector_queries(recommender: Any, naive: Any = None) -> dict[str, Any]:
    """Every query of SECTOR_QUERIES through ``recommender.recommend``; ``naive``: an evaluation
    system (``top_vacancy_rows``) whose five vacancies are scored the same way."""
    rows: list[dict[str, Any]] = []
    for text, expected in SECTOR_QUERIES:
        result = recommender.recommend(recommender.vocabulary.parse(text), k=TOP_N)
        answered, named = answer_sector(result), label_sector(result)
        advice = [a.skill for a in result.skills_to_learn]
        row: dict[str, Any] = {
            "query": text,
            "expected": expected,
            "answered": answered,
            "label": result.specialization.label if result.specialization else None,
            "thin": bool(result.sector.thin) if result.sector else False,
            "sector_vacancies": result.sector.vacancies if result.sector else None,
            "in_field": answered == expected,
            "other_sector": named is not None and named != expected,
            "top_in_sector": _titles_in([v.title for v in result.vacancies], expected),
            "advice_elsewhere": _advice_elsewhere(recommender, advice, expected),
            "titles": [v.title for v in result.vacancies],
        }
        if naive is not None and result.skills_recognized:
            picked = naive.top_vacancy_rows(list(result.skills_recognized), TOP_N)
            row["naive_top_in_sector"] = _titles_in([recommender.index.titles[r] for r in picked], expected)
        rows.append(row)
    n = len(rows)
    summary = {
        "queries": n,
        "in_field": sum(r["in_field"] for r in rows) / n,
        "other_sector": sum(r["other_sector"] for r in rows),
        "thin_said": sum(r["thin"] for r in rows),
        "top_in_sector": sum(r["top_in_sector"] for r in rows) / n,
        "advice_elsewhere": sum(bool(r["advice_elsewhere"]) for r in rows),
        "target": TARGET_IN_FIELD,
    }
    if naive is not None:
        summary["naive_top_in_sector"] = sum(r.get("naive_top_in_sector", 0.0) for r in rows) / n
    return {"summary": summary, "rows": rows}


def sector_markdown(section: dict[str, Any]) -> list[str]:
    """The section of docs/evaluation.md: the summary and one line per query."""
    s = section["summary"]
    lines = [
        "## Students from every field (non-IT queries)",
        "",
        f"{s['queries']} queries of medicine, education, finance, HR, law, logistics, retail, catering, "
        "construction, engineering and marketing students (skills and job titles, Russian and English; "
        "`recommender/evaluation/sectors_eval.py`). *In its field*: the answer's sector is the expected one; "
        "*another sector*: its specialization names a different one. *Top-5 in sector*: share of the five "
        "vacancies listed whose titles are of the expected sector (the naive TF-IDF baseline ranks the same "
        "recognized skills). *Thin*: the corpus holds fewer than 30 vacancies of the sector, and the answer "
        "names the sector and says so rather than a field.",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| in its field | {s['in_field']:.3f} | ≥ {s['target']} |",
        f"| another sector named | {s['other_sector']} of {s['queries']} | 0 |",
        f"| top-5 vacancies in the sector | {s['top_in_sector']:.3f}"
        + (f" (naive {s['naive_top_in_sector']:.3f})" if "naive_top_in_sector" in s else "")
        + " | — |",
        f"| answers saying the sector is thin in the data | {s['thin_said']} | — |",
        f"| answers advising a skill of another sector | {s['advice_elsewhere']} | 0 |",
        "",
        "| query | expected | answered | specialization | thin | top-5 in sector | advice of another sector"
        " |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in section["rows"]:
        lines.append(
            f"| {r['query']} | {r['expected']} | {r['answered'] or '—'} | {r['label'] or '—'} | "
            f"{'yes (' + str(r['sector_vacancies']) + ')' if r['thin'] else ''} | {r['top_in_sector']:.1f} | "
            f"{', '.join(r['advice_elsewhere'])} |"
        )
    lines.append("")
    return lines
