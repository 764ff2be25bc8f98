"""Event-loop lag while a retrain runs: is the bot still responsive?

A 10 ms periodic timer runs on the event loop; its lag is how late each tick fires. While it
runs, the real ``Retrainer`` trains a bundle in a child process, gates it and hot-swaps it
(the swap loads the bundle in a thread), and the loop keeps serving recommendations through
``asyncio.to_thread`` the way the bot does. Prints p50/p95/p99/max lag in milliseconds.

    .venv/bin/python bench/bench_event_loop.py [--data FILE...] [--models nmf] [--sample N]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.collector.importer import import_files  # noqa: E402
from bot.jobs.retrain import RetrainConfig, Retrainer  # noqa: E402
from bot.services.model_holder import ModelHolder  # noqa: E402
from bot.storage.db import create_engine, create_sessionmaker, upgrade_database  # noqa: E402
from bot.storage.vacancies import VacancyRepository  # noqa: E402
from recommender.bundle import load_bundle  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "hh_cards_2021_2023.jsonl.gz"
TICK = 0.010
QUERIES = ("python, sql", "figma, photoshop", "1с, excel, бухгалтерский учет", "linux, docker")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def summary(ms: list[float]) -> str:
    return (
        f"event-loop lag ms: p50 {percentile(ms, 50):.2f}  p95 {percentile(ms, 95):.2f}  "
        f"p99 {percentile(ms, 99):.2f}  max {max(ms):.2f}  ({len(ms)} ticks)"
    )


async def idle_lag(holder: ModelHolder, seconds: float) -> list[float]:
    """The same timer and request load without a retrain, for comparison."""
    lags: list[float] = []
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(measure_lag(stop, lags)),
        asyncio.create_task(serve_requests(stop, holder, [])),
    ]
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*tasks)
    return lags


async def measure_lag(stop: asyncio.Event, lags: list[float]) -> None:
    loop = asyncio.get_running_loop()
    expected = loop.time() + TICK
    while not stop.is_set():
        await asyncio.sleep(max(0.0, expected - loop.time()))
        now = loop.time()
        lags.append(max(0.0, now - expected))
        expected = max(expected + TICK, now)  # no catch-up bursts after a long stall


async def serve_requests(stop: asyncio.Event, holder: ModelHolder, served: list[float]) -> None:
    """A request every 200 ms, computed in a thread as the bot's Advisor does."""
    n = 0
    while not stop.is_set():
        bundle = holder.current
        if bundle is not None:
            started = time.perf_counter()
            query = bundle.understand(QUERIES[n % len(QUERIES)]).query
            await asyncio.to_thread(bundle.recommend, query, k=5)
            served.append(time.perf_counter() - started)
        n += 1
        await asyncio.sleep(0.2)


async def main(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-event-loop-"))
    try:
        url = f"sqlite+aiosqlite:///{work / 'jobrec.db'}"
        await asyncio.to_thread(upgrade_database, url)
        engine = create_engine(url)
        repository = VacancyRepository(create_sessionmaker(engine))
        config = RetrainConfig(
            model_dir=work / "models",
            base_data=[str(p) for p in args.data],
            models=args.models,
            salary=args.salary,
            sample=args.sample,
            tolerance=1.0,  # the bench measures responsiveness, not quality: always promote
        )
        holder = ModelHolder()
        print("training the serving bundle (not measured)...", file=sys.stderr)
        first = await Retrainer(config, repository, holder).retrain("bench warm-up")
        if first.status != "promoted":
            print(f"warm-up training failed: {first.reason}", file=sys.stderr)
            return 1
        holder.swap(load_bundle(config.model_dir))
        # Collected vacancies for the measured retrain: the same files again, through the importer.
        await import_files(args.data, repository)

        baseline = await idle_lag(holder, args.baseline_seconds)
        lags: list[float] = []
        served: list[float] = []
        stop = asyncio.Event()
        timer = asyncio.create_task(measure_lag(stop, lags))
        requests = asyncio.create_task(serve_requests(stop, holder, served))
        started = time.perf_counter()
        outcome = await Retrainer(config, repository, holder).retrain("bench")
        elapsed = time.perf_counter() - started
        stop.set()
        await asyncio.gather(timer, requests)
        await engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ms = [lag * 1000 for lag in lags]
    print(f"baseline (no retrain, {args.baseline_seconds:.0f}s): {summary([lag * 1000 for lag in baseline])}")
    print(f"retrain: {outcome.status} in {elapsed:.1f}s ({outcome.version})")
    median_ms = statistics.median(served) * 1000 if served else float("nan")
    print(f"requests served meanwhile: {len(served)}, median {median_ms:.0f} ms")
    print(f"during the retrain: {summary(ms)}")
    return 0 if outcome.status == "promoted" and percentile(ms, 99) < 100 else 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", nargs="+", type=Path, default=[DEFAULT_DATA])
    parser.add_argument("--models", default="nmf")
    parser.add_argument("--salary", action="store_true", help="train the salary model too")
    parser.add_argument("--sample", type=int, default=None)
    parser.add_argument("--baseline-seconds", type=float, default=15.0)
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
