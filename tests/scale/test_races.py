"""Processes racing on one database, as bot replicas and workers starting together do.

Real ``jobrec`` subprocesses on SQLite and PostgreSQL: three concurrent ``db upgrade`` on an
empty database all exit 0 (migrations run under a lock); two concurrent imports of the same
files both exit 0 and leave exactly one row per vacancy (the upsert is one statement).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from databases import scalar, table_names

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "collector"))
from fake_hh import make_cards  # noqa: E402


async def jobrec(*args: str, cwd: Path, database_url: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL=database_url)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import sys; from recommender.cli import main; sys.exit(main())", *args,
        cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), timeout=180)
    return int(process.returncode or 0), out.decode("utf-8", "replace")


async def test_three_concurrent_upgrades_all_succeed(tmp_path: Path, database_url: str) -> None:
    results = await asyncio.gather(*(jobrec("db", "upgrade", cwd=tmp_path, database_url=database_url)
                                     for _ in range(3)))  # fmt: skip
    for code, out in results:
        assert code == 0, out[-2000:]
    assert {"users", "collected_vacancies", "digest_subscriptions"} <= table_names(database_url)
    assert scalar(database_url, "SELECT count(*) FROM alembic_version") == 1


async def test_two_concurrent_imports_both_succeed_with_the_exact_count(
    tmp_path: Path, database_url: str
) -> None:
    cards = make_cards(1500)
    first = tmp_path / "a.jsonl"
    second = tmp_path / "b.jsonl"
    first.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cards) + "\n", encoding="utf-8")
    # The second file overlaps the first on two thirds of its ids and adds its own.
    extra = make_cards(2000)[1500:]
    overlap = cards[500:] + extra
    second.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in overlap) + "\n", encoding="utf-8")
    # Both start on an empty database: they race on the migrations too.
    results = await asyncio.gather(
        jobrec("import", str(first), cwd=tmp_path, database_url=database_url),
        jobrec("import", str(second), cwd=tmp_path, database_url=database_url),
    )
    for code, out in results:
        assert code == 0, out[-2000:]
    assert scalar(database_url, "SELECT count(*) FROM collected_vacancies") == 2000
    assert scalar(database_url, "SELECT count(DISTINCT id) FROM collected_vacancies") == 2000
