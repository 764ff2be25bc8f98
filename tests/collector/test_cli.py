"""`jobrec collect` and `jobrec import` as a user runs them: the installed command, real files."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from databases import scalar

from bot.collector.hh_client import CAPTCHA_ADVICE
from recommender.cli import main

from .fake_hh import FakeHH, make_cards
from .fake_trudvsem import FakeTrudvsem, make_vacancies


@pytest.fixture
def jobrec(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> Callable[..., Awaitable[tuple[int, str]]]:
    """Run ``jobrec ARGS`` in-process (its own event loop, in a thread) with the given environment."""
    for key in list(os.environ):
        if key.startswith(("HH_", "BOT_", "DATABASE_", "COLLECT_", "TRUDVSEM_")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no stray .env is read

    async def run(*args: str, env: dict[str, str]) -> tuple[int, str]:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        code = await asyncio.to_thread(main, list(args))
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return run


def rows(url: str) -> int:
    return int(scalar(url, "select count(*) from collected_vacancies"))


async def test_collect_command_against_the_fake_api(
    fake_hh: FakeHH, tmp_path: Path, database_url: str, jobrec
) -> None:
    fake_hh.cards = make_cards(120)
    db = database_url
    env = {
        "DATABASE_URL": database_url,
        "HH_API_BASE": fake_hh.url,
        "HH_USER_AGENT": "jobrec-tests/0.1 (tests@example.com)",
        "HH_RATE_LIMIT": "200",
        "COLLECT_STATE_PATH": str(tmp_path / "state.json"),
    }
    # the fake data ends on 2024-01-01; search the 30 days before "now" would find nothing,
    # so look back far enough to reach it
    code, out = await jobrec("collect", "--source", "hh", "--limit", "70", "--period", "2000", env=env)
    assert code == 0, out
    assert "new 70" in out and rows(db) == 70
    code, out = await jobrec("collect", "--source", "hh", "--period", "2000", env=env)
    assert code == 0, out
    assert rows(db) == 120
    assert json.loads((tmp_path / "state.json").read_text())["finished"] is True


async def test_collect_every_source_and_one_down(
    fake_hh: FakeHH, fake_trudvsem: FakeTrudvsem, tmp_path: Path, database_url: str, jobrec
) -> None:
    fake_hh.cards = make_cards(30)
    fake_trudvsem.vacancies = make_vacancies(120)  # dated 2024-01-01 and before, like the hh fake
    env = {
        "DATABASE_URL": database_url,
        "HH_API_BASE": fake_hh.url,
        "TRUDVSEM_API_BASE": fake_trudvsem.url,
        "HH_USER_AGENT": "jobrec-tests/0.1 (tests@example.com)",
        "HH_RATE_LIMIT": "200",
        "TRUDVSEM_RATE_LIMIT": "200",
        "COLLECT_STATE_PATH": str(tmp_path / "state.json"),
    }
    code, out = await jobrec("collect", "--source", "all", "--period", "2000", env=env)
    assert code == 0, out
    assert "hh: seen 30: new 30" in out and "trudvsem: seen 120: new 120" in out
    by_source = "select count(*) from collected_vacancies where source = '{}'"
    assert (
        scalar(database_url, by_source.format("hh")),
        scalar(database_url, by_source.format("trudvsem")),
    ) == (30, 120)
    assert (tmp_path / "state.trudvsem.json").exists()

    fake_hh.cards += [{**card, "id": str(700000 + i)} for i, card in enumerate(make_cards(5))]
    fake_trudvsem.down = True  # Работа России is down while hh.ru works
    code, out = await jobrec("collect", "--period", "2000", env={**env, "HH_RATE_LIMIT": "200"})
    assert code == 1, out
    assert "hh: seen 35: new 5" in out and "— done" in out
    assert "trudvsem: seen 0" in out and "incomplete: 1 pages failed" in out
    assert "Traceback" not in out


async def test_collect_needs_a_user_agent(tmp_path: Path, jobrec) -> None:
    code, out = await jobrec("collect", env={"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"})
    assert code == 2 and "HH_USER_AGENT" in out


async def test_captcha_is_explained_on_its_own_line(fake_hh: FakeHH, tmp_path: Path, jobrec) -> None:
    fake_hh.cards = make_cards(150)
    fake_hh.captcha_after = 1
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'jobrec.db'}",
        "HH_API_BASE": fake_hh.url,
        "HH_USER_AGENT": "jobrec-tests/0.1 (tests@example.com)",
        "HH_RATE_LIMIT": "200",
        "COLLECT_SOURCES": "hh",
        "COLLECT_STATE_PATH": str(tmp_path / "state.json"),
    }
    code, out = await jobrec("collect", "--period", "2000", env=env)
    assert code == 3, out
    summary = next(line for line in out.splitlines() if line.startswith("hh: seen"))
    assert summary.endswith(f"stopped: {CAPTCHA_ADVICE}")
    assert "HH_TOKEN" not in out and "Traceback" not in out
    # the log line stands on its own line, not glued onto the progress bar's
    assert any(line.startswith(("ERROR", "collection stopped")) or " ERROR " in line[:40]
               for line in out.splitlines() if "collection stopped" in line)  # fmt: skip
    assert not any("vac/s" in line and "collection stopped" in line for line in out.splitlines())


async def test_a_vague_user_agent_is_refused_in_one_line(tmp_path: Path, jobrec) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", "HH_USER_AGENT": "python-requests"}
    code, out = await jobrec("collect", "--source", "hh", env=env)
    assert code == 2
    assert (
        out.strip() == "HH_USER_AGENT should read 'AppName/1.0 (contact@example.com)', not 'python-requests'"
    )


async def test_client_id_without_secret_is_one_line(tmp_path: Path, jobrec) -> None:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        "HH_USER_AGENT": "jobrec-tests/0.1 (tests@example.com)",
        "HH_CLIENT_ID": "abc",
    }
    code, out = await jobrec("collect", "--source", "hh", env=env)
    assert code == 2 and out.strip() == "set both HH_CLIENT_ID and HH_CLIENT_SECRET (docs/fresh-data.md)"


async def test_import_command_counts(tmp_path: Path, database_url: str, jobrec) -> None:
    data = tmp_path / "cards.jsonl"
    data.write_text("\n".join([json.dumps(c) for c in make_cards(40)] + ["{oops"]) + "\n", encoding="utf-8")
    db = database_url
    env = {"DATABASE_URL": database_url}
    code, out = await jobrec("import", str(data), env=env)
    assert code == 0, out
    assert "read 41: new 40" in out and "failed 1" in out
    assert rows(db) == 40
    code, out = await jobrec("import", str(tmp_path / "missing.jsonl"), env=env)
    assert code == 2 and "missing.jsonl" in out
