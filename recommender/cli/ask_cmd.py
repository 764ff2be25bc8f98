"""`jobrec ask "skills"`: specialization, vacancies and skills to learn for a skills query."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from recommender.cli import UsageError
from recommender.cli.common import add_model_dir_argument, data_paths, model_dir
from recommender.data.money import format_pay

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("ask", help="recommend vacancies and skills for a skills query")
    parser.add_argument("query", nargs="?", default=None, help='skills, e.g. "python, sql, нейросети"')
    parser.add_argument("--model", default=None, choices=("nmf", "lda", "cluster"), help="topic model")
    parser.add_argument("--k", type=int, default=5, help="vacancies to show (default 5)")
    parser.add_argument("--offset", type=int, default=0, help="skip this many vacancies (paging)")
    parser.add_argument(
        "--field", default=None, help="answer within one of the fields an answer offers (its key, --json)"
    )
    parser.add_argument("--area", default=None, help="city name or hh area id")
    parser.add_argument("--schedule", default=None, help="hh schedule id, e.g. remote")
    parser.add_argument("--experience", default=None, help="hh experience id, e.g. noExperience")
    parser.add_argument("--json", action="store_true", help="print one JSON object per query")
    parser.add_argument("--batch", default=None, metavar="FILE", help="one query per line ('-' for stdin)")
    parser.add_argument("--salary", action="store_true", help="add the salary grid")
    add_model_dir_argument(parser)
    parser.add_argument(
        "--data", nargs="+", default=None, metavar="PATH", help="data to train on if no bundle"
    )
    parser.add_argument(
        "--train-models", default="nmf,lda,cluster", help="models to train when there is no bundle yet"
    )
    parser.set_defaults(func=run)


def ensure_bundle(args: argparse.Namespace) -> Any:
    """Load the bundle, training one on the configured data first when there is none."""
    from recommender.bundle import has_bundle, load_bundle
    from recommender.cli.train_cmd import parse_models, train_from_paths

    directory = model_dir(args)
    if args.model_dir and not Path(args.model_dir).is_dir():
        # A typo, not a request to spend minutes training into a new folder.
        raise UsageError(f"--model-dir {args.model_dir} does not exist (jobrec train --model-dir makes one)")
    if not has_bundle(directory):
        paths = data_paths(args)
        print(f"no model bundle in {directory}: training one on {', '.join(paths)} first", file=sys.stderr)
        train_from_paths(paths, directory, models=parse_models(args.train_models))
    return load_bundle(directory)


def _answer(bundle: Any, text: str, args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    """The answer as JSON-ready data, and the salary grid (None unless --salary found one)."""
    from recommender.recommend import Filters  # numpy and scipy: imported to answer, not for --help

    understood = bundle.understand(text)  # as the bot reads it: typos corrected, a title as its field
    query = understood.query
    filters = Filters(area=args.area, schedule=args.schedule, experience=args.experience)
    result = bundle.recommend(
        query, filters, k=args.k, model=args.model, offset=args.offset, field=args.field
    )
    answer = result.to_dict()
    answer["corrections"] = [{"term": c.term, "skill": c.skill} for c in understood.corrections]
    answer["title_as_field"] = understood.title
    grid = None
    if args.salary and result.skills_recognized:
        grid = bundle.salary_grid(query, area=args.area)
        answer["salary_grid"] = grid.to_dict() if grid is not None else None
    return answer, grid


def print_answer(answer: dict[str, Any], display: Any, grid: Any = None) -> None:
    """The human-readable form of one answer."""
    print(f"Запрос: {answer['query']}   (модель {answer['model']})")
    for correction in answer.get("corrections", ()):
        print(f"Понял «{correction['term']}» как {display(correction['skill'])}.")
    if answer.get("title_as_field"):
        print(f"Понял «{answer['title_as_field']}» как профессию: навыки её вакансий.")
    if answer["skills_recognized"]:
        print("Навыки: " + ", ".join(display(s) for s in answer["skills_recognized"]))
    for unknown in answer["unknown_terms"]:
        hint = f" — возможно: {', '.join(unknown['suggestions'])}" if unknown["suggestions"] else ""
        print(f"Не распознано: {unknown['term']}{hint}")
    if not answer["skills_recognized"]:
        print("Ни одного известного навыка: уточните запрос.")
        return
    spec = answer["specialization"]
    if spec:
        print(f"\nСпециализация: {spec['label']} (сходство {spec['score']:.2f})")
        for item in spec["top_skills"]:
            print(f"  {item['share']:5.0%}  {display(item['skill'])}")
    sector = answer.get("sector")
    if sector and sector["thin"]:
        print(
            f"В данных мало вакансий области «{sector['name_ru']}» ({sector['vacancies']}): "
            "ответ приблизительный."
        )
    if answer.get("fields"):
        chosen = answer.get("field")
        names = [
            ("✓ " if c["key"] == chosen else "")
            + ("↳ " if c.get("parent") else "")  # a narrower field within the one chosen
            + f"{c['label']} ({c['share']:.0%})"
            for c in answer["fields"]
        ]
        print("Области на выбор: " + " · ".join(names))
    print(f"\nВакансии (подходящих: {answer['total_vacancies']}):")
    for i, vac in enumerate(answer["vacancies"], 1):
        salary = format_pay(**vac["pay"]) if vac["pay"] else "з/п не указана"
        where = ", ".join(part for part in (vac["employer"], vac["area"]) if part)
        published = f"; {vac['published_at'][:10]}" if vac.get("published_at") else ""
        print(f"{i}. {vac['title']} — {where}; {salary}{published}; score {vac['score']:.2f}")
        if vac["matched_skills"]:
            print("   есть: " + ", ".join(display(s) for s in vac["matched_skills"]))
        if vac["missing_skills"]:
            print("   нужно: " + ", ".join(display(s) for s in vac["missing_skills"]))
        print(f"   {vac['url']}")
    print("\nЧто изучить:")
    for item in answer["skills_to_learn"]:
        print(f"  {display(item['skill'])} (в {item['share']:.0%} похожих вакансий)")
    if grid is not None:
        from recommender.salary.chart import chart_text
        from recommender.salary.table import format_table

        print("\n" + format_table(grid, chart_text("ru")))


def _display_function(bundle: Any) -> Any:
    display = getattr(bundle.vocabulary, "display", None)
    return display if callable(display) else str


# A batch is a list of queries typed by people: anything larger is not one.
MAX_BATCH_BYTES = 50_000_000


def _queries(batch: str) -> list[str]:
    """One query per line; a file that is not UTF-8 text is refused in one line."""
    if batch == "-":
        data = sys.stdin.buffer.read(MAX_BATCH_BYTES + 1)
    else:
        path = Path(batch)
        if path.exists() and not path.is_file():
            raise UsageError(f"--batch {batch} is not a regular file")
        with path.open("rb") as handle:
            data = handle.read(MAX_BATCH_BYTES + 1)
    if len(data) > MAX_BATCH_BYTES:
        raise UsageError(f"--batch {batch} is larger than {MAX_BATCH_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"--batch {batch} is not UTF-8 text (byte {exc.start})") from exc
    if "\x00" in text:
        raise UsageError(f"--batch {batch} looks binary (NUL bytes), not one query per line")
    return [line.strip() for line in text.splitlines() if line.strip()]


def run(args: argparse.Namespace) -> int:
    from recommender.bundle import BundleError

    if args.query is None and args.batch is None:
        print('give a query, e.g. jobrec ask "python, sql", or --batch FILE', file=sys.stderr)
        return 2
    queries = _queries(args.batch) if args.batch else [args.query]  # bad input fails before any work
    try:
        bundle = ensure_bundle(args)
    except BundleError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.model and args.model not in bundle.models:
        print(f"model {args.model} is not in the bundle (it has {', '.join(bundle.models)})", file=sys.stderr)
        return 2
    display = _display_function(bundle)
    for i, query in enumerate(queries):
        answer, grid = _answer(bundle, query, args)
        if args.json:
            print(json.dumps(answer, ensure_ascii=False), flush=True)
        else:
            if i:
                print("\n" + "-" * 60)
            print_answer(answer, display, grid)
    return 0
