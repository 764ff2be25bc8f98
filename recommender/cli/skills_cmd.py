"""`jobrec skills "..."`: the canonical skills of a text, and what was not understood."""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import sys
import time
from pathlib import Path

from recommender.cli.common import add_data_argument, add_model_dir_argument, model_dir
from recommender.skills import SkillVocabulary

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "skills",
        help="normalize a list of skills: canonical names, unknown terms with suggestions",
        description="Show the canonical skills found in TEXT and suggestions for terms not understood. "
        "Uses the vocabulary of the trained bundle when there is one, else the curated default; "
        "--data builds a vocabulary from vacancy files instead (put TEXT before --data, "
        "which takes several paths).",
    )
    parser.add_argument("text", nargs="+", help='skills or any text, e.g. "python3, k8s, джава, с++17"')
    add_model_dir_argument(parser)
    add_data_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--suggestions", type=int, default=3, metavar="N", help="suggestions per unknown term (default 3)"
    )
    parser.set_defaults(func=run_skills)


def bundle_vocabulary(directory: str | Path) -> SkillVocabulary | None:
    """The vocabulary of the current bundle in ``directory``; None when there is none."""
    from recommender.bundle import resolve_current

    current = resolve_current(directory)
    path = current / "vocabulary.pkl" if current is not None else None
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            vocabulary = pickle.load(fh)
    except Exception as exc:  # an old or broken bundle: the default still answers
        logger.warning("cannot read %s (%s); using the default vocabulary", path, exc)
        return None
    return vocabulary if isinstance(vocabulary, SkillVocabulary) else None


def choose_vocabulary(args: argparse.Namespace) -> tuple[SkillVocabulary, str]:
    if getattr(args, "data", None):
        from recommender.data import load_vacancies

        result = load_vacancies(list(args.data))
        return SkillVocabulary.build(result.vacancies), f"built from {len(result.vacancies):,} vacancies"
    directory = model_dir(args)
    vocabulary = bundle_vocabulary(directory)
    if vocabulary is not None:
        return vocabulary, f"bundle in {directory}"
    return SkillVocabulary.default(), "curated default"


def _suggestions(vocabulary: SkillVocabulary, term: str, n: int) -> list[str]:
    return [vocabulary.display(skill) for skill in vocabulary.suggest(term, n)]


def run_skills(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    vocabulary, origin = choose_vocabulary(args)
    text = " ".join(args.text)
    extraction = vocabulary.extract(text)
    unknown = [
        {"term": term, "suggestions": _suggestions(vocabulary, term, args.suggestions)}
        for term in extraction.unknown
    ]
    names = [vocabulary.display(s) for s in extraction.skills]
    if args.json:
        json.dump(
            {
                "skills": extraction.skills,
                "display": names,
                "unknown": unknown,
                "vocabulary": origin,
            },
            sys.stdout,
            ensure_ascii=False,
        )
        print()
        return 0
    print(f"skills ({len(names)}): " + (", ".join(names) or "-"))
    for item in unknown:
        hint = f" (did you mean: {', '.join(item['suggestions'])}?)" if item["suggestions"] else ""
        print(f"unknown: {item['term']}{hint}")
    elapsed = time.perf_counter() - started
    print(f"vocabulary: {origin}, {len(vocabulary):,} skills ({elapsed:.2f} s)")
    return 0
