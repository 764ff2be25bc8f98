"""Hostile cases for the worker as a real process (issue 22, items 5-7), on SQLite and PostgreSQL.

Each case, what was done -> what must hold:
- `jobrec worker --once collect`, hh.ru answering 403 -> exit 1, the reason in one line, no
  traceback, the run recorded as failed;
- `jobrec worker --once retrain` whose training fails -> exit 1 with the reason;
- SIGTERM during `jobrec worker --once retrain` (the child at work) -> one INFO line, no
  CancelledError traceback, exit 75 within the grace period, the child gone, no staging left,
  the run recorded as interrupted;
- kill -9 of `jobrec worker` while its training child works -> the child exits within seconds;
  the restarted worker cleans the dead run's staging and resumes the retrain at once (not at its
  next weekly time): the dead run is recorded as died, the resumed one promotes a new version;
  SIGTERM then stops the idle worker with exit 0 and no traceback;
- a training child's staging folder is removed under it (a restarted worker cleaned a dead
  run's) -> it exits within seconds and does not recreate it;
- a training child started for a parent that is already gone -> it exits at once;
- SIGTERM to `jobrec worker --once collect` in the middle of a collect (a slow fake hh.ru, the
  first page stored) -> exit 75 within the grace period, no traceback, the run recorded as
  interrupted with what it stored; a restarted `jobrec worker` resumes it at once: every listed
  vacancy stored exactly once, no stored card fetched again;
- SIGTERM to `jobrec worker` in the middle of a digest (a slow fake Telegram, a message under
  way) -> exit 0 within the grace period, the run recorded as interrupted; after a restart
  every subscriber got exactly one digest.

The training child is held "at work" by a data path that is a FIFO nobody writes: it blocks
reading it, as a long training would, for as long as the test needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from databases import scalar

from bot.collector.records import to_record
from bot.storage import Repository
from bot.storage.db import create_engine, create_sessionmaker, upgrade_database
from bot.storage.job_runs import JobRunRepository
from bot.storage.vacancies import VacancyRepository

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "collector"))
from corpus import corpus
from fake_hh import FakeHH, make_cards
from fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
JOBREC = "import sys; from recommender.cli import main; sys.exit(main())"
GRACE = 5
# Closing the database, Redis and HTTP sessions after the grace period.
EXIT_MARGIN_SECONDS = 5.0

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the child")


def worker_env(database_url: str, model_dir: Path, data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "MODEL_", "HH_"))}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url,
            "MODEL_DIR": str(model_dir),
            "DATA_PATH": str(data),
            "RETRAIN_MODELS": "nmf",
            "RETRAIN_SALARY": "false",
            "RETRAIN_MIN_NEW": "1000000",
            # Nothing falls due by itself during a test: what runs was asked for or resumed.
            "COLLECT_CRON": "0 0 1 1 *",
            "RETRAIN_CRON": "0 0 1 1 *",
            "SHUTDOWN_GRACE_SECONDS": str(GRACE),
            "COLLECT_STATE_PATH": str(model_dir.parent / "collect_state.json"),
            **extra,
        }
    )
    return env


async def start(args: list[str], env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as stream:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-c", JOBREC, *args, cwd=log.parent, env=env, stdout=stream, stderr=stream
        )


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(part) for part in (task / "children").read_text().split()]
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


async def training_child(process: asyncio.subprocess.Process, timeout: float = 60) -> int:
    """The pid of the worker's training child, once it runs ``bot.jobs.train_process``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in children(process.pid):
            with contextlib.suppress(OSError):
                if b"bot.jobs.train_process" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    return pid
        assert process.returncode is None, "the worker exited before training"
        await asyncio.sleep(0.1)
    raise AssertionError("no training child started")


async def gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        await asyncio.sleep(0.1)
    return False


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "slow.jsonl"
    os.mkfifo(path)
    return path


@pytest.fixture
async def migrated(database_url: str) -> str:
    await asyncio.to_thread(upgrade_database, database_url)
    return database_url


@pytest.fixture
async def hh_refusing() -> AsyncIterator[FakeHH]:
    server = FakeHH(cards=make_cards(3), require_token="not-given")
    await server.start()
    yield server
    await server.stop()


def last_run(url: str, job: str) -> tuple[str | None, str]:
    outcome = scalar(url, f"SELECT outcome FROM job_runs WHERE job = '{job}' ORDER BY id DESC LIMIT 1")
    summary = scalar(url, f"SELECT summary FROM job_runs WHERE job = '{job}' ORDER BY id DESC LIMIT 1")
    return outcome, str(summary)


async def test_collect_refused_by_hh_exits_1_with_its_reason(
    migrated: str, model_dir: Path, base_corpus: Path, hh_refusing: FakeHH, tmp_path: Path
) -> None:
    hh = {"HH_API_BASE": hh_refusing.url, "HH_USER_AGENT": "t/1 (t@e.st)", "COLLECT_SOURCES": "hh"}
    env = worker_env(migrated, model_dir, base_corpus, **hh)
    log = tmp_path / "collect.log"
    process = await start(["worker", "--once", "collect"], env, log)
    assert await asyncio.wait_for(process.wait(), 120) == 1
    text = log.read_text()
    assert "Traceback" not in text
    last = text.strip().splitlines()[-1]  # the job's one line: each source's outcome
    assert last.startswith("collect: failed: hh: ") and "stopped: hh.ru refuses requests" in last
    assert last_run(migrated, "collect")[0] == "failed"


async def test_failed_retrain_exits_1_with_its_reason(migrated: str, model_dir: Path, tmp_path: Path) -> None:
    env = worker_env(migrated, model_dir, tmp_path / "no-such-corpus.jsonl")
    log = tmp_path / "retrain.log"
    process = await start(["worker", "--once", "retrain"], env, log)
    assert await asyncio.wait_for(process.wait(), 180) == 1
    last = log.read_text().strip().splitlines()[-1]
    assert last.startswith("retrain: failed: training process exited with"), last
    outcome, summary = last_run(migrated, "retrain")
    assert outcome == "failed" and "training process exited" in summary


async def test_sigterm_during_a_once_retrain_is_an_info_line_and_exit_75(
    migrated: str, model_dir: Path, fifo: Path, tmp_path: Path
) -> None:
    log = tmp_path / "retrain.log"
    process = await start(["worker", "--once", "retrain"], worker_env(migrated, model_dir, fifo), log)
    child = await training_child(process)
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(process.wait(), GRACE + 10) == 75
    assert time.monotonic() - started < GRACE + 5
    text = log.read_text()
    assert "INFO bot.shutdown: SIGTERM received: stopping" in text
    assert "Traceback" not in text and "CancelledError" not in text and "ERROR" not in text
    assert await gone(child, 5)
    assert not any((model_dir / "staging").glob("*"))
    outcome, summary = last_run(migrated, "retrain")
    assert outcome == "interrupted" and "stopped by the shutdown" in summary


async def test_kill_9_while_training_then_restart_resumes(
    migrated: str, model_dir: Path, base_corpus: Path, fifo: Path, tmp_path: Path
) -> None:
    # A retrain was running when its worker died (its run row never closed): the next worker
    # resumes it at start, here into a training that blocks.
    engine = create_engine(migrated)
    await JobRunRepository(create_sessionmaker(engine)).start("retrain", "scheduled")
    await engine.dispose()
    log = tmp_path / "worker.log"
    first = await start(["worker"], worker_env(migrated, model_dir, fifo), log)
    child = await training_child(first)
    staging = list((model_dir / "staging").glob("*"))
    assert staging

    first.kill()
    await first.wait()
    assert await gone(child, 5), "the training child outlived its worker"
    assert all(path.exists() for path in staging)  # what the dead run left behind

    second = await start(["worker"], worker_env(migrated, model_dir, base_corpus), log)
    try:
        for _ in range(1800):  # the resumed retrain trains on the real corpus and promotes
            if scalar(migrated, "SELECT count(*) FROM model_versions WHERE status = 'promoted'"):
                break
            assert second.returncode is None, log.read_text()[-3000:]
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("the interrupted retrain was not resumed: " + log.read_text()[-3000:])
        assert not any(path.exists() for path in staging)
        for _ in range(100):
            if last_run(migrated, "retrain")[0] == "done":
                break
            await asyncio.sleep(0.1)
        outcomes = scalar(
            migrated, "SELECT count(*) FROM job_runs WHERE job = 'retrain' AND outcome = 'died'"
        )
        assert outcomes == 2  # the row this test wrote and the first worker's run
        assert last_run(migrated, "retrain")[0] == "done"
        reason = scalar(
            migrated, "SELECT reason FROM job_runs WHERE job = 'retrain' ORDER BY id DESC LIMIT 1"
        )
        assert str(reason).startswith("resumed")
    finally:
        second.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(second.wait(), GRACE + 10)
    text = log.read_text()
    assert code == 0
    assert "Traceback" not in text and "CancelledError" not in text


async def child(out: Path, parent_pid: int, data: Path, log: Path) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["--out", str(out), "--parent-pid", str(parent_pid), "--models", "nmf", "--no-salary"]
    with log.open("ab") as stream:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.jobs.train_process", *args, "--data", str(data),
            env=env, stdout=stream, stderr=stream,
        )  # fmt: skip


async def test_a_child_whose_staging_was_cleaned_exits_without_recreating_it(
    fifo: Path, tmp_path: Path
) -> None:
    """A restarted worker removed the dead run's staging: its child (were it still alive) stops."""
    run = tmp_path / "staging" / "run"
    run.mkdir(parents=True)
    process = await child(run / "bundles", os.getpid(), fifo, tmp_path / "child.log")
    await asyncio.sleep(1.5)  # at work: blocked reading its data
    assert process.returncode is None
    shutil.rmtree(tmp_path / "staging")
    assert await asyncio.wait_for(process.wait(), 10) == 3
    assert not (tmp_path / "staging").exists()
    assert "staging folder, is gone" in (tmp_path / "child.log").read_text()


async def test_a_child_started_for_a_dead_parent_exits_at_once(fifo: Path, tmp_path: Path) -> None:
    run = tmp_path / "staging" / "run"
    run.mkdir(parents=True)
    process = await child(run / "bundles", 1, fifo, tmp_path / "child.log")  # pid 1 is not its parent
    assert await asyncio.wait_for(process.wait(), 30) == 3


# SIGTERM in the middle of a collect and of a digest ------------------------------------------

COLLECTED = 250  # three search pages of hh.ru's 100: the signal lands after the first is stored
SUBSCRIBERS = range(7000, 7012)


async def stopped_in_time(process: asyncio.subprocess.Process, log: Path) -> int:
    """SIGTERM, then the exit code; the process must be gone within the grace period (plus closing)."""
    began = time.monotonic()
    process.send_signal(signal.SIGTERM)
    code = await asyncio.wait_for(process.wait(), GRACE + 30)
    seconds = time.monotonic() - began
    assert seconds <= GRACE + EXIT_MARGIN_SECONDS, f"exit after {seconds:.1f} s: {log.read_text()[-3000:]}"
    return code


async def until(predicate: Any, process: asyncio.subprocess.Process, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert process.returncode is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, "timed out: " + log.read_text()[-3000:]
        await asyncio.sleep(0.1)


def stored(url: str) -> int:
    return int(scalar(url, "SELECT count(*) FROM collected_vacancies WHERE source = 'hh'") or 0)


@pytest.fixture
async def hh_slow() -> AsyncIterator[FakeHH]:
    now = datetime.now(UTC)
    cards = make_cards(COLLECTED, start=now - timedelta(days=20), span_days=19)
    server = FakeHH(cards=cards, card_delay=0.03)
    await server.start()
    yield server
    await server.stop()


async def test_sigterm_mid_collect_then_the_restart_resumes_it(
    migrated: str, model_dir: Path, base_corpus: Path, hh_slow: FakeHH, tmp_path: Path
) -> None:
    hh = {
        "HH_API_BASE": hh_slow.url, "HH_USER_AGENT": "t/1 (t@e.st)", "COLLECT_SOURCES": "hh",
        "HH_RATE_LIMIT": "100", "HH_CONCURRENCY": "2",
    }  # fmt: skip
    env = worker_env(migrated, model_dir, base_corpus, **hh)
    log = tmp_path / "collect.log"
    first = await start(["worker", "--once", "collect"], env, log)
    await until(lambda: stored(migrated) >= 100, first, log, timeout=120)
    assert await stopped_in_time(first, log) == 75
    kept = stored(migrated)
    assert 100 <= kept < COLLECTED, kept  # stopped mid-run, its stored pages kept
    outcome, summary = last_run(migrated, "collect")
    assert outcome == "interrupted" and summary.startswith("stopped by the shutdown after"), summary
    cards_before = hh_slow.count("card")

    second = await start(["worker"], env, log)  # the collect falls due next year: only a resume runs it
    try:
        await until(lambda: last_run(migrated, "collect")[0] == "done", second, log, timeout=120)
        last = "SELECT reason FROM job_runs WHERE job = 'collect' ORDER BY id DESC LIMIT 1"
        reason = scalar(migrated, last)
        assert str(reason).startswith("resumed")
    finally:
        code = await stopped_in_time(second, log)
    assert code == 0
    listed = {card["id"] for card in hh_slow.cards}
    ids = scalar(migrated, "SELECT count(DISTINCT id) FROM collected_vacancies WHERE source = 'hh'")
    assert stored(migrated) == ids == len(listed) == COLLECTED  # none lost, none doubled
    # stored cards are never fetched again; only those in flight at the signal may repeat
    assert hh_slow.count("card") - cards_before <= COLLECTED - kept + 2
    text = log.read_text()
    assert "Traceback" not in text and "CancelledError" not in text, text[-3000:]


async def subscribe(url: str, tg: FakeTelegram) -> None:
    """Subscribers due a daily digest, and fresh vacancies for them seen after they subscribed."""
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    users = Repository(sessions)
    for user_id in SUBSCRIBERS:
        tg.add_user(user_id)
        await users.touch_user(user_id, "ru")
        skills = ["python", "sql"] if user_id % 2 else ["figma", "adobe photoshop"]
        await users.save_skills(user_id, ", ".join(skills), skills)
        await users.set_digest(user_id, "daily")
    await asyncio.sleep(0.05)  # vacancies first seen strictly after every subscription
    fresh = corpus(per_field=8, seed=9, first_id=90_000_000)
    await VacancyRepository(sessions).upsert([to_record(card) for card in fresh])
    await engine.dispose()


def digests(tg: FakeTelegram) -> dict[int, int]:
    return {user: len(tg.outbox(user)) for user in SUBSCRIBERS}


async def test_sigterm_mid_digest_then_every_subscriber_gets_exactly_one(
    migrated: str, model_dir: Path, base_corpus: Path, tg: FakeTelegram, tmp_path: Path
) -> None:
    telegram = {
        "BOT_TOKEN": tg.token, "TELEGRAM_API_BASE": tg.url,
        "DIGEST_TICK_SECONDS": "0.5", "TELEGRAM_MESSAGES_PER_SECOND": "50",
    }  # fmt: skip
    env = worker_env(migrated, model_dir, base_corpus, **telegram)
    log = tmp_path / "digest.log"
    await subscribe(migrated, tg)
    tg.delay("sendMessage", 0.6)  # a slow Telegram: the signal lands while a digest is under way
    first = await start(["worker"], env, log)
    await until(lambda: sum(digests(tg).values()) >= 3 and tg.delayed["sendmessage"] > 0, first, log, 120)
    assert await stopped_in_time(first, log) == 0
    served = sum(digests(tg).values())
    assert 3 <= served < len(SUBSCRIBERS), served
    outcome, summary = last_run(migrated, "digest")
    assert outcome == "interrupted" and "stopped by the shutdown" in summary, (outcome, summary)

    tg.delay("sendMessage", 0)
    second = await start(["worker"], env, log)
    try:
        await until(lambda: all(digests(tg).values()), second, log, timeout=120)
        await asyncio.sleep(2)  # a few more digest ticks: nothing more may arrive
    finally:
        code = await stopped_in_time(second, log)
    assert code == 0
    counts = digests(tg)
    assert set(counts.values()) == {1}, counts
    text = log.read_text()
    assert "Traceback" not in text and "CancelledError" not in text, text[-3000:]
