"""`jobrec worker --once JOB` runs one job in-process and exits."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from databases import table_names

from recommender.cli import main


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if key.startswith(("HH_", "BOT_", "DATABASE_", "COLLECT_", "RETRAIN_", "MODEL_")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


@pytest.mark.usefixtures("clean_env")
async def test_worker_once_retrain_check_without_bot_token(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    model_dir: Path,
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("MODEL_DIR", str(model_dir))
    monkeypatch.setenv("RETRAIN_MIN_NEW", "10")
    code = await asyncio.to_thread(main, ["worker", "--once", "retrain-check"])
    out = capsys.readouterr().out
    assert code == 0
    # nothing collected since the bundle: no retrain
    assert out.strip() == "retrain-check: done: not needed: 0 new vacancies (< 10)"
    assert "digest_subscriptions" in table_names(database_url)  # the worker migrated the database
