"""Load through the webhook path: simulated users, answers per second, reply-time percentiles.

Real ``jobrec bot --webhook`` replicas (subprocesses) on PostgreSQL and Redis; the fake
Telegram (tests/bot/fake_telegram.py) delivers each user's message by POSTing it to the
replicas round-robin, as Telegram and a reverse proxy would, and records the bot's replies.
Each simulated user sends a skills query, waits for the full answer, and sends the next
(closed loop, no think time). A reply time is from the update entering Telegram's queue to
the answer's last message reaching Telegram. "CPU ms/answer" is the bot processes' user+system
CPU time per answer: on a machine shared with other work it says what the answers/s would be
with the cores to themselves (cores × 1000 / CPU ms, at most one core per process). A second
line splits the run's CPU per answer: the bot, this process (load generator + fake Telegram),
PostgreSQL, Redis and the whole machine (other sessions' work included). The same
load runs against the default single-process long-polling bot (the baseline), one replica,
and two replicas.

    .venv/bin/python bench/bench_webhook.py [--users 40] [--queries 5] [--model-dir DIR]
    .venv/bin/python bench/bench_webhook.py --rate 50 --seconds 10 --users 200   # open loop

Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (as the tests do). Without
--model-dir it trains a small bundle on a synthetic corpus (seconds), so the figures measure
the bot's serving path rather than a big model's recommendation time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in ("", "tests", "tests/bot", "tests/jobs", "tests/scale"):
    sys.path.insert(0, str(ROOT / folder))

from cluster import SECRET, TOKEN, Cluster, Proc, wait_ready  # noqa: E402
from corpus import corpus, write_jsonl  # noqa: E402
from databases import REDIS_URL, fresh_postgres_database, fresh_redis_prefix  # noqa: E402
from fake_telegram import FakeTelegram  # noqa: E402

from bot.storage import upgrade_database  # noqa: E402

QUERIES = ("python, sql, pandas", "figma, photoshop", "react, typescript, css", "linux, docker, bash",
           "1с, excel", "machine learning, python", "kubernetes, ansible", "html, javascript")  # fmt: skip
FIRST_USER = 100_000
# --distinct: each query also names one of these, so no two queries of a run are alike (8 × 25 of
# them) and no answer reuses another's ranking (the recommender keeps the last 8, Recommender.rank)
EXTRA_SKILLS = ("git", "excel", "английский язык", "jira", "postgresql", "docker", "figma", "1с", "scrum",
                "html", "java", "c++", "ms office", "kotlin", "go", "redis", "agile", "photoshop", "bpmn",
                "rest api", "linux", "ux", "тестирование", "django", "аналитика")  # fmt: skip
extra_skills: tuple[str, ...] = ()  # EXTRA_SKILLS with --distinct (set once, in main)


def train_small_bundle(out: Path) -> Path:
    from recommender.data import load_vacancies
    from recommender.train import train_bundle

    data = write_jsonl(out.parent / "bench-corpus.jsonl", corpus(per_field=80))
    train_bundle(load_vacancies([data]).vacancies, out, models=("nmf",), salary=False, random_state=0)
    return out


async def answer_size(tg: FakeTelegram, user: int) -> int:
    """How many messages one answer is (sent once, before measuring)."""
    await tg.send_text(user, QUERIES[0])
    await tg.wait_until(lambda: any("hh.ru/vacancy/" in s.text for s in tg.outbox(user)), timeout=120)
    await asyncio.sleep(1.0)  # anything sent after the vacancies belongs to the answer too
    return len(tg.outbox(user))


def query_text(user: int, n: int) -> str:
    """The ``n``-th query of ``user``: one of QUERIES, with --distinct one of EXTRA_SKILLS added."""
    text = QUERIES[(user + n) % len(QUERIES)]
    if not extra_skills:
        return text
    return f"{text}, {extra_skills[(user * 7 + n) % len(extra_skills)]}"


async def ask_once(tg: FakeTelegram, user: int, n: int, size: int) -> float:
    """One skills query from ``user``: seconds until the whole answer (``size`` messages) is in."""
    before = len(tg.outbox(user))
    started = time.perf_counter()
    await tg.send_text(user, query_text(user, n))
    await tg.wait_until(lambda: len(tg.outbox(user)) >= before + size, timeout=120)
    return time.perf_counter() - started


async def simulate(
    tg: FakeTelegram, users: list[int], queries: int, size: int, first: int = 0
) -> tuple[list[float], float]:
    latencies: list[float] = []

    async def user_loop(user: int) -> None:
        for n in range(first, first + queries):
            latencies.append(await ask_once(tg, user, n, size))

    started = time.perf_counter()
    await asyncio.gather(*(user_loop(user) for user in users))
    return latencies, time.perf_counter() - started


def _pid_cpu(pid: int) -> float:
    """User + system CPU seconds of one process so far (Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def cpu_seconds(procs: list[Proc]) -> float:
    """User + system CPU time the bot processes used so far."""
    total = 0.0
    for proc in procs:
        assert proc.process is not None
        total += _pid_cpu(proc.process.pid)
    return total


def _service_cpu(names: tuple[str, ...]) -> float:
    """CPU seconds of every process with one of these command names (PostgreSQL's backends
    come and go: a backend that exits between two readings is not counted; other sessions'
    use of the same server is)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                name = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if name in names:
                total += _pid_cpu(int(entry.name))
    return total


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent not idle (every process on the machine, others' too)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class CpuMeter:
    """CPU used during the measured run by each side of the benchmark, in seconds."""

    bots: list[Proc]
    start: dict[str, float] = field(default_factory=dict)
    used: dict[str, float] = field(default_factory=dict)

    def read(self) -> dict[str, float]:
        return {
            "bot": cpu_seconds(self.bots),
            "load generator + fake Telegram": time.process_time(),
            "PostgreSQL": _service_cpu(("postgres",)),
            "Redis": _service_cpu(("redis-server",)),
            "machine": machine_busy_seconds(),
        }

    def __enter__(self) -> CpuMeter:
        self.start = self.read()
        return self

    def __exit__(self, *_exc: object) -> None:
        end = self.read()
        self.used = {key: end[key] - self.start[key] for key in end}


async def simulate_open(
    tg: FakeTelegram, users: list[int], rate: float, total: int, size: int, first: int, seed: int = 0
) -> tuple[list[float], float]:
    """Open loop: ``total`` queries arriving at ``rate`` a second on average (Poisson, seeded),
    each from a user with no query of theirs in flight, whatever the bot's speed. Many students
    writing at once behave so; a closed loop of users without think time measures how many are
    waiting (reply time = users / answers per second), not the reply time at a given load."""
    rng = random.Random(seed)
    free: asyncio.Queue[int] = asyncio.Queue()
    for user in users:
        free.put_nowait(user)
    latencies: list[float] = []

    async def one(user: int, n: int) -> None:
        latencies.append(await ask_once(tg, user, n, size))
        free.put_nowait(user)

    started = time.perf_counter()
    due = started
    tasks = []
    for n in range(total):
        due += rng.expovariate(rate)
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(one(await free.get(), first + n)))
    await asyncio.gather(*tasks)
    return latencies, time.perf_counter() - started


def report(name: str, latencies: list[float], seconds: float, cpu: dict[str, float]) -> dict[str, float]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    row = {"answers": len(ordered), "per_second": len(ordered) / seconds,
           "p50": statistics.median(ordered), "p99": p99, "max": ordered[-1],
           "cpu_ms": cpu["bot"] * 1000 / len(ordered)}  # fmt: skip
    print(f"{name:<22} {row['answers']:>7} {row['per_second']:>10.1f} {row['p50'] * 1000:>9.0f} "
          f"{row['p99'] * 1000:>9.0f} {row['max'] * 1000:>9.0f} {row['cpu_ms']:>12.1f}",
          flush=True)  # fmt: skip
    shares = ", ".join(f"{key} {used * 1000 / len(ordered):.1f}" for key, used in cpu.items())
    print(f"  CPU ms per answer: {shares}; load average {os.getloadavg()[0]:.1f}", flush=True)
    return row


async def run_setup(name: str, replicas: int, args: argparse.Namespace, model_dir: Path, work: Path) -> dict:
    database = fresh_postgres_database()
    url = next(database)
    prefix_gen = fresh_redis_prefix()
    prefix = next(prefix_gen)
    tg = FakeTelegram(TOKEN)
    await tg.start()
    users = [FIRST_USER + i for i in range(args.users + 1)]
    for user in users:
        tg.add_user(user)
    folder = work / name
    folder.mkdir()
    await asyncio.to_thread(upgrade_database, url)
    quiet = {"LOG_LEVEL": "WARNING", "RATE_LIMIT_COUNT": "1000"}
    cluster = Cluster(folder, url, REDIS_URL, prefix, tg.url, model_dir, extra_env=quiet)
    procs: list[Proc] = []
    try:
        if replicas == 0:  # the default: one long-polling process, state in memory
            proc = Proc(name, ["bot"], cluster.env(REDIS_URL="", JOBS_IN_BOT="false"), folder / "bot.log")
            cluster.procs.append(proc)
            await proc.start()
            await tg.wait_until(lambda: any(m == "getUpdates" for m, _ in tg.calls), timeout=180)
        else:
            procs = [cluster.replica(f"{name}-{i}") for i in range(replicas)]
            await asyncio.gather(*(p.start() for p in procs))
            await asyncio.gather(*(wait_ready(p, timeout=180) for p in procs))
            tg.webhook = {"url": "https://bot.example.com/telegram/webhook", "secret_token": SECRET}
            tg.start_delivery([p.webhook for p in procs], concurrency=args.connections)
        size = await answer_size(tg, users[0])
        # Unmeasured: every replica's first answers pay once for what a process builds on
        # first use (pydantic schemas, compiled SQL, the bundle's pages read from disk):
        # seconds of CPU that 200 answers would carry as tens of ms each.
        await simulate(tg, users[1:], args.warmup, size)
        with CpuMeter(cluster.procs) as meter:
            if args.rate:
                total = round(args.rate * args.seconds)
                latencies, seconds = await simulate_open(tg, users[1:], args.rate, total, size, args.warmup)
            else:
                latencies, seconds = await simulate(tg, users[1:], args.queries, size, first=args.warmup)
        errors = [e for e in tg.errors if e[1] != 409]
        if errors:
            print(f"  {name}: {len(errors)} Bot API errors, e.g. {errors[:3]}")
        return report(name, latencies, seconds, meter.used)
    finally:
        await tg.stop_delivery()
        await cluster.stop()
        await tg.stop()
        for generator in (database, prefix_gen):
            for _ in generator:
                pass


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=40, help="simulated users at once")
    parser.add_argument("--queries", type=int, default=5, help="queries per user")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured queries per user first")
    parser.add_argument("--connections", type=int, default=40, help="Telegram's parallel webhook connections")
    parser.add_argument("--model-dir", type=Path, default=None, help="a bundle folder (default: a small one)")
    parser.add_argument("--distinct", action="store_true", help="no two queries alike (see EXTRA_SKILLS)")
    parser.add_argument("--setups", default="polling,1,2", help="'polling' and/or replica counts")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="open loop: queries arriving per second (Poisson) instead of --queries per user",
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="open loop: how long they arrive")
    args = parser.parse_args()
    global extra_skills
    extra_skills = EXTRA_SKILLS if args.distinct else ()
    work = Path(tempfile.mkdtemp(prefix="jobrec-bench-webhook-"))
    try:
        model_dir = args.model_dir or train_small_bundle(work / "models")
        load = (f"open loop: {args.rate:g} queries/s for {args.seconds:g} s from {args.users} users"
                if args.rate else f"{args.users} users x {args.queries} queries")  # fmt: skip
        distinct = ", every query distinct" if args.distinct else ""
        print(f"{load}{distinct}, {args.connections} webhook connections")
        print(f"{'setup':<22} {'answers':>7} {'answers/s':>10} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9} "
              f"{'CPU ms/answer':>12}")  # fmt: skip
        results = {}
        for setup in args.setups.split(","):
            if setup == "polling":
                results[setup] = await run_setup("polling (1 process)", 0, args, model_dir, work)
            else:
                count = int(setup)
                results[setup] = await run_setup(f"webhook x{count}", count, args, model_dir, work)
        if "1" in results and "2" in results:
            ratio = results["2"]["per_second"] / results["1"]["per_second"]
            print(f"two replicas / one replica: {ratio:.2f}x answers/s")
        if "polling" in results and "1" in results:
            ratio = results["1"]["per_second"] / results["polling"]["per_second"]
            print(f"one webhook replica / long polling: {ratio:.2f}x answers/s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
