"""Collection rate against the fake hh.ru and Работа России at the default limits.

The real collectors (bot/collector) run against the fakes of tests/collector on 127.0.0.1,
with the real clock, into a SQLite file, at the defaults a real host survives: 2 requests/s,
2 in flight. Each fake answer takes ``--latency`` seconds (hh.ru answers in roughly 0.2–0.5 s).
The naive baseline is the obvious polite client: one request at a time, sleeping 1/rate
after each answer. Ours spaces request *starts* 1/rate apart and overlaps the waits, so it
holds the rate whatever the latency.

    .venv/bin/python bench/bench_collect.py [--cards 40] [--trudvsem 2000] [--latency 0.3]

hh.ru costs one request per new vacancy (its card) plus one per 100 (the search page), so
its rate is about the request rate; Работа России's listing carries whole vacancies, 100 a
request.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for folder in ("", "tests", "tests/collector"):
    sys.path.insert(0, str(ROOT / folder))

from fake_hh import FakeHH, make_cards  # noqa: E402
from fake_trudvsem import FakeTrudvsem, make_vacancies  # noqa: E402

from bot.collector.collector import Collector, CollectRequest  # noqa: E402
from bot.collector.hh_client import HHClient, HHClientConfig  # noqa: E402
from bot.collector.http import HttpConfig  # noqa: E402
from bot.collector.records import to_record  # noqa: E402
from bot.collector.trudvsem_client import TrudvsemClient  # noqa: E402
from bot.collector.trudvsem_collector import TrudvsemCollector, TrudvsemRequest  # noqa: E402
from bot.storage.db import create_engine, create_sessionmaker, upgrade_database  # noqa: E402
from bot.storage.vacancies import VacancyRepository  # noqa: E402

USER_AGENT = "jobrec-bench/1.0 (bench@example.com)"
RATE = 2.0  # the defaults (bot/collector/http.py)


async def repository(folder: Path, name: str) -> tuple[VacancyRepository, Any]:
    url = f"sqlite+aiosqlite:///{folder / name}.db"
    await asyncio.to_thread(upgrade_database, url)
    engine = create_engine(url)
    return VacancyRepository(create_sessionmaker(engine)), engine


async def ours_hh(fake: FakeHH, repo: VacancyRepository) -> tuple[int, float]:
    started = time.perf_counter()
    async with HHClient(HHClientConfig(user_agent=USER_AGENT, base_url=fake.url)) as client:
        stats = await Collector(client, repo).collect(CollectRequest(period_days=2000))
    return stats.new, time.perf_counter() - started


async def naive_hh(fake: FakeHH, repo: VacancyRepository) -> tuple[int, float]:
    """One request at a time, 1/rate of sleep after each answer."""
    import aiohttp

    started = time.perf_counter()
    stored = 0
    async with aiohttp.ClientSession(headers={"User-Agent": USER_AGENT}) as session:
        page, pages = 0, 1
        while page < pages:
            async with session.get(
                f"{fake.url}/vacancies", params={"page": page, "per_page": 100}
            ) as response:
                body = await response.json()
            await asyncio.sleep(1 / RATE)
            pages = body["pages"]
            for item in body["items"]:
                async with session.get(f"{fake.url}/vacancies/{item['id']}") as response:
                    card = await response.json()
                await asyncio.sleep(1 / RATE)
                stored += (await repo.upsert([to_record(card)])).new
            page += 1
    return stored, time.perf_counter() - started


async def ours_trudvsem(fake: FakeTrudvsem, repo: VacancyRepository) -> tuple[int, float]:
    started = time.perf_counter()
    config = HttpConfig(base_url=fake.url, user_agent=USER_AGENT)
    async with TrudvsemClient(config) as client:
        stats = await TrudvsemCollector(client, repo).collect(TrudvsemRequest(period_days=100_000))
    return stats.new, time.perf_counter() - started


def line(name: str, count: int, seconds: float) -> str:
    rate = count / seconds
    return f"{name:<34} {count:>6} vacancies in {seconds:6.1f} s = {rate:7.1f}/s ({rate * 3600:,.0f}/h)"


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cards", type=int, default=40, help="hh.ru vacancies (one card request each)")
    parser.add_argument("--trudvsem", type=int, default=2000, help="Работа России vacancies")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds each fake answer takes")
    args = parser.parse_args()

    hh = FakeHH(cards=make_cards(args.cards), card_delay=args.latency)
    trudvsem = FakeTrudvsem(vacancies=make_vacancies(args.trudvsem))
    await hh.start()
    await trudvsem.start()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"default limits: {RATE:g} requests/s, 2 in flight; fake latency {args.latency:g} s per card")
        repo, engine = await repository(folder, "ours")
        count, seconds = await ours_hh(hh, repo)
        print(line("hh.ru, ours (cards)", count, seconds))
        requests_ours = len(hh.requests)
        await engine.dispose()
        hh.requests.clear()
        repo, engine = await repository(folder, "naive")
        count_naive, seconds_naive = await naive_hh(hh, repo)
        print(line("hh.ru, naive sequential (cards)", count_naive, seconds_naive))
        speedup = (count / seconds) / (count_naive / seconds_naive)
        naive_requests = len(hh.requests)
        print(f"  ours {speedup:.2f}x the naive rate; requests: ours {requests_ours}, naive {naive_requests}")
        await engine.dispose()
        repo, engine = await repository(folder, "trudvsem")
        count, seconds = await ours_trudvsem(trudvsem, repo)
        print(line("Работа России, ours (100/page)", count, seconds))
        await engine.dispose()
    await hh.stop()
    await trudvsem.stop()


if __name__ == "__main__":
    asyncio.run(main())
