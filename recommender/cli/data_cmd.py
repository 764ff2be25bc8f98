"""`jobrec data stats`: what a vacancy corpus holds."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from recommender.cli.common import add_data_argument, data_paths
from recommender.data import load_vacancies
from recommender.data.money import format_rub
from recommender.data.sampling import sample_rows
from recommender.data.stats import CorpusStats, corpus_stats

# Learning a vocabulary from the texts and extracting every vacancy's skills is ~90% of the
# command's time on the whole corpus (docs/benchmarks.md); a share, a median and a top list are
# estimated within about a percentage point from 10,000 vacancies.
SKILLS_SAMPLE = 10_000


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("data", help="inspect vacancy data")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    stats = actions.add_parser("stats", help="counts, fill rates, salaries, cities, specializations, skills")
    add_data_argument(stats)
    stats.add_argument("--top", type=int, default=15, help="rows in each top list (default 15)")
    stats.add_argument("--no-skills", action="store_true", help="skip the skill extraction pass")
    stats.add_argument(
        "--skills-sample",
        type=int,
        default=SKILLS_SAMPLE,
        metavar="N",
        help=f"learn and count the skills on a seeded sample of N vacancies (default {SKILLS_SAMPLE:,}; "
        "0: all of them, several times slower)",
    )
    stats.set_defaults(func=run_stats)


def _print_table(title: str, rows: list[tuple[str, int]], total: int) -> None:
    print(f"\n{title}")
    for name, count in rows:
        print(f"  {count:>7,}  {count / total:6.1%}  {name}")


def _print_stats(stats: CorpusStats, top: int) -> None:
    sources = ", ".join(f"{name}: {count:,}" for name, count in sorted(stats.by_source.items()))
    details = ", ".join(f"{name}: {count:,}" for name, count in sorted(stats.by_detail.items()))
    print(f"\nvacancies: {stats.total:,} ({sources}; {details})")
    _print_table("by source and publication year", list(stats.by_year.items()), stats.total)
    _print_table("by country", stats.by_country, stats.total)
    print("\nfill rate per field")
    for name, rate in stats.fill_rates.items():
        print(f"  {name:<20}{rate:7.1%}")
    print(f"\nsalary: {stats.salary_count:,} vacancies ({stats.salary_count / max(stats.total, 1):.1%}), "
          f"monthly net RUB; outside the 40k–500k bounds: {stats.salary_outliers:,}")
    for name, value in stats.salary_quantiles.items():
        print(f"  {name:<5}{format_rub(value):>14}")
    _print_table("experience", stats.experience, stats.total)
    _print_table("schedule", stats.schedule, stats.total)
    _print_table(f"top {top} cities", stats.top_cities, stats.total)
    _print_table(f"top {top} specializations / professional roles", stats.top_labels, stats.total)


def _print_skills(vacancies: list, top: int, sample: int) -> None:
    from recommender.skills import SkillVocabulary, coverage

    started = time.perf_counter()
    rows = sample_rows(len(vacancies), sample, random_state=0)
    counted = vacancies if rows is None else [vacancies[i] for i in rows]
    vocabulary = SkillVocabulary.build(counted)
    counts: Counter[str] = Counter()
    per_vacancy = [vocabulary.skills_of(v) for v in counted]
    for skills in per_vacancy:
        counts.update(skills)
    share, median = coverage(vocabulary, counted, per_vacancy=per_vacancy)
    elapsed = time.perf_counter() - started
    scope = "all vacancies" if rows is None else (
        f"a seeded sample of {len(counted):,} of {len(vacancies):,} vacancies (--skills-sample 0: all)"
    )
    print(f"\nskills: vocabulary of {len(vocabulary):,} skills learned and counted on {scope} "
          f"in {elapsed:.1f} s")
    print(f"  vacancies with at least one skill found in title + text: {share:.1%}; "
          f"median per vacancy: {median:g}")
    _print_table(f"top {top} skills found in the texts", [
        (vocabulary.display(skill), count) for skill, count in counts.most_common(top)
    ], len(counted))


def run_stats(args: argparse.Namespace) -> int:
    paths = data_paths(args)
    started = time.perf_counter()
    try:
        result = load_vacancies(paths)
    except FileNotFoundError as exc:
        print(f"jobrec: {exc}", file=sys.stderr)
        return 2
    summary = result.summary
    elapsed = time.perf_counter() - started
    print(f"{summary.describe()} ({len(paths)} path(s), {elapsed:.1f} s)")
    if not result.vacancies:
        print("no vacancies to describe")
        return 1
    _print_stats(corpus_stats(result.vacancies, args.top), args.top)
    if not args.no_skills:
        _print_skills(result.vacancies, args.top, args.skills_sample)
    return 0
