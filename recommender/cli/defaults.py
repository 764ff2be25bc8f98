"""Where the library's commands read vacancies and keep bundles when the command line does not say.

The values are plain (paths as strings). The library's own are ``BUILT_IN``; an application
plugs in its settings through the ``jobrec.environment`` entry-point group (pyproject.toml): one
function ``() -> CommandDefaults``, which for this project is ``bot.config.library_environment``
(the bot's one settings object: the environment and `.env`). So the library never reads the
environment itself and never imports the application.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

DEFAULT_DATA_DIR = "../shared/data"
DEFAULT_MODEL_DIR = "var/models"
# Every file of ../shared/data (its README says what each holds), oldest first: a vacancy found
# in two files keeps the later copy. samples/ is left out: edited fixtures, not a corpus.
DATA_FILES = (
    "hh_it_2021.jsonl.gz",
    "hh_cards_2021_2023.jsonl.gz",
    "hh_2024_2025_tables.jsonl.gz",
    "hh_2025_2026.jsonl.gz",
)


@dataclass(frozen=True, slots=True)
class CommandDefaults:
    model_dir: str  # the bundle directory (`--model-dir`, `jobrec train --out`)
    data_paths: tuple[str, ...]  # the corpus (`--data`): files or folders


BUILT_IN = CommandDefaults(
    model_dir=DEFAULT_MODEL_DIR,
    data_paths=tuple(str(Path(DEFAULT_DATA_DIR) / name) for name in DATA_FILES),
)


def command_defaults() -> CommandDefaults:
    """The plugged-in application's values, else ``BUILT_IN``. Read when a command needs them (not
    cached: each call sees the settings as they are), so a command given every path reads none."""
    for plugged in entry_points(group="jobrec.environment"):
        defaults: CommandDefaults = plugged.load()()
        return defaults
    return BUILT_IN
