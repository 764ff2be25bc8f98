"""`jobrec data stats` and the other library commands start without the bot's imports."""

from __future__ import annotations

import json
import subprocess
import sys

from recommender.cli import build_parser


def test_a_named_command_loads_only_its_own_entry_point() -> None:
    parser = build_parser("data")
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert set(commands) == {"data"}
    assert {"data", "train", "bot", "worker"} <= set(
        next(a for a in build_parser()._actions if a.dest == "command").choices
    )


def test_data_stats_runs_without_importing_aiogram(tmp_path) -> None:
    path = tmp_path / "v.jsonl"
    path.write_text(
        json.dumps({"id": "1", "name": "Python-разработчик", "area": {"id": "1", "name": "Москва"}})
    )
    script = (
        "import sys; from recommender.cli import main; "
        f"code = main(['data', 'stats', '--no-skills', '--data', {str(path)!r}]); "
        "print('aiogram' in sys.modules, code)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False 0"
