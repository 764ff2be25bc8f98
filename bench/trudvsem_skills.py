"""Share of Работа России vacancies with at least two skills found (docs/fresh-data.md).

Parses each vacancy of a Работа России API response with the library's parser and finds its
skills as the bot does (``SkillVocabulary.skills_of``: the ``skills`` list, then title and
text), with a vocabulary built from the shared hh.ru cards.

    .venv/bin/python bench/trudvsem_skills.py [RESPONSE.json] [--cards FILE]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from recommender.data import load_vacancies, parse_trudvsem
from recommender.train import build_vocabulary

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "response", nargs="?", default=str(SHARED / "samples" / "trudvsem_api_vacancies.json")
    )
    parser.add_argument("--cards", default=str(SHARED / "hh_cards_2021_2023.jsonl.gz"))
    args = parser.parse_args()
    vocabulary = build_vocabulary(load_vacancies([args.cards]).vacancies)
    items = json.loads(Path(args.response).read_text(encoding="utf-8"))["results"]["vacancies"]
    enough = 0
    for item in items:
        vacancy = parse_trudvsem(item)
        skills = vocabulary.skills_of(vacancy)
        listed = len(vacancy.key_skills)
        enough += len(skills) >= 2
        print(f"{vacancy.title[:50]:<50} listed {listed:>2}, found {len(skills):>2}: {', '.join(skills[:8])}")
    print(f"{enough} of {len(items)} vacancies ({enough / len(items):.0%}) have at least 2 skills found")


if __name__ == "__main__":
    main()
