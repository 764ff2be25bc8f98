"""After a collection, what share of answers are led by vacancies younger than 30 days?

A realistic state, built the way production builds it: a bundle trained on the shared data
(``--model-dir``: trained there with NMF only and no salary model when it has none), then one
collection from the fake hh.ru and Работа России (tests/collector: their own generated
vacancies, published over the last ``--days`` days up to today, nothing re-dated from the shared
files) run by the real ``CollectionRun`` into a SQLite file (the link pass included), served
through the incremental index path (``IndexFollower.catch_up`` over the database's changes,
as every bot replica does between retrains). Then every evaluation query
(``recommender.evaluation.queries.COMMON_QUERIES``) is answered as the bot answers (k = 5, today's date,
all of Russia) by relevance and by date, and we count the answers whose first vacancy is
younger than 30 days, and those with any such vacancy among the five.

What the figure means: the fakes generate a few kinds of vacancies (Python/SQL, Django,
design, 1С/Excel on hh.ru; programmer, accountant, storekeeper, design engineer, Java on
Работа России), so a query outside those fields has no fresh vacancy to be led by, whatever
the ranking. The share says how the ranking treats fresh vacancies that exist beside a large
older corpus, not how many real fields a real collection would refresh.

    .venv/bin/python bench/fresh_share.py [--model-dir var/fresh-bench-models] [--hh 400] [--trudvsem 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for folder in ("", "tests", "tests/collector"):
    sys.path.insert(0, str(ROOT / folder))

from fake_hh import FakeHH, make_cards  # noqa: E402
from fake_trudvsem import FakeTrudvsem, make_vacancies  # noqa: E402

from bot.collector.run import CollectionRun  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.services.index_follow import IndexFollower  # noqa: E402
from bot.services.model_holder import ModelHolder  # noqa: E402
from bot.storage.db import create_engine, create_sessionmaker, upgrade_database  # noqa: E402
from bot.storage.vacancy_changes import CollectedVacancyChanges  # noqa: E402
from recommender.bundle import BundleError, load_bundle  # noqa: E402
from recommender.cli.defaults import command_defaults  # noqa: E402
from recommender.data import load_vacancies  # noqa: E402
from recommender.evaluation.queries import COMMON_QUERIES  # noqa: E402
from recommender.recommend import RUSSIA, Filters  # noqa: E402
from recommender.train import train_bundle  # noqa: E402

YOUNG = timedelta(days=30)
USER_AGENT = "jobrec-bench/1.0 (bench@example.com)"


def bundle_at(model_dir: Path) -> Any:
    """The bundle in ``model_dir``, trained on the shared data first when there is none."""
    try:
        return load_bundle(model_dir)
    except BundleError:
        paths = list(command_defaults().data_paths)
        print(f"training a bundle (nmf, no salary) on {len(paths)} files into {model_dir} ...", flush=True)
        train_bundle(
            load_vacancies(paths).vacancies, model_dir, models=("nmf",), salary=False, data_paths=paths
        )
        return load_bundle(model_dir)


async def collect_and_follow(bundle: Any, n_hh: int, n_trudvsem: int, days: float, folder: Path) -> Any:
    """One collection from both fakes into a fresh database, then the served bundle caught up."""
    now = datetime.now(UTC)
    hh, trudvsem = FakeHH(), FakeTrudvsem()
    hh.cards = make_cards(n_hh, start=now - timedelta(days=days), span_days=days)
    trudvsem.vacancies = make_vacancies(
        n_trudvsem, newest=now, step=timedelta(days=days) / max(n_trudvsem, 1)
    )
    url = f"sqlite+aiosqlite:///{folder / 'fresh.db'}"
    await asyncio.to_thread(upgrade_database, url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    await hh.start()
    await trudvsem.start()
    try:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=url, hh_api_base=hh.url, trudvsem_api_base=trudvsem.url,
            hh_user_agent=USER_AGENT, hh_rate_limit=1000.0, trudvsem_rate_limit=1000.0,
            hh_concurrency=8, collect_period_days=int(days) + 1,
            collect_state_path=folder / "collect_state.json",
        )  # fmt: skip
        for stats in await CollectionRun(settings, sessions).run(["hh", "trudvsem"]):
            print(stats.summary())
        holder = ModelHolder(bundle)
        follower = IndexFollower(holder, CollectedVacancyChanges(sessions, settings.vacancy_retention_days))
        changed = await follower.catch_up()
        served = holder.current
        assert served is not None
        print(f"index caught up: {changed} vacancies added or removed; {len(served.index)} served")
        return served
    finally:
        await hh.stop()
        await trudvsem.stop()
        await engine.dispose()


def young(published_at: str | None, today: date) -> bool:
    return published_at is not None and today - date.fromisoformat(published_at[:10]) < YOUNG


def shares(bundle: Any, sort: str, today: date) -> tuple[int, int, list[str]]:
    """Answers led by a young vacancy, answers with any young one, and each query's first vacancy."""
    led = anywhere = 0
    lines = []
    for text in COMMON_QUERIES:
        # today's date, as the bot passes it: recent vacancies lead their match tier
        query = bundle.understand(text).query
        answer = bundle.recommend(query, Filters(country=RUSSIA, sort=sort), k=5, today=today)
        flags = [young(v.published_at, today) for v in answer.vacancies]
        led += bool(flags and flags[0])
        anywhere += any(flags)
        first = answer.vacancies[0] if answer.vacancies else None
        what = f"{first.published_at} {first.source} {first.title[:40]}" if first else "(none)"
        lines.append(f"  {text[:36]:36} {sum(flags)}/5 young; first: {what}")
    return led, anywhere, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model-dir", type=Path, default=ROOT / "var" / "fresh-bench-models")
    parser.add_argument("--hh", type=int, default=400, help="fake hh.ru cards collected")
    parser.add_argument("--trudvsem", type=int, default=1000, help="fake Работа России vacancies collected")
    parser.add_argument(
        "--days", type=float, default=29.0, help="the collection's vacancies span this many days"
    )
    args = parser.parse_args()
    bundle = bundle_at(args.model_dir)
    before = len(bundle.index)
    with tempfile.TemporaryDirectory() as folder:
        served = asyncio.run(collect_and_follow(bundle, args.hh, args.trudvsem, args.days, Path(folder)))
    print(f"bundle {bundle.version}: {before} vacancies trained, {len(served.index)} served after collecting")
    today = datetime.now(UTC).date()
    n = len(COMMON_QUERIES)
    for sort in ("relevance", "date"):
        led, anywhere, lines = shares(served, sort, today)
        print(f"sort={sort}: led by a vacancy < 30 days old {led}/{n} ({led / n:.0%}); "
              f"any such vacancy in the top 5 {anywhere}/{n} ({anywhere / n:.0%})")  # fmt: skip
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
