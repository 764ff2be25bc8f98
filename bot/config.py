"""Settings from the environment and `.env` (pydantic-settings). Every key is documented in
`.env.example`. One class for every command, read one way (``load_settings``): the bot, the
worker, the collector and `jobrec db` alike. ``BOT_TOKEN`` may be absent for the commands that
never talk to Telegram; ``require_token`` is how the ones that do ask for it.

Which `.env` (``env_file``): ``JOBREC_ENV_FILE`` when set, else the project folder's, else the
current folder's, so a command started from a subfolder reads the same settings; relative paths
in it (the SQLite file, MODEL_DIR, DATA_PATH, COLLECT_STATE_PATH) are relative to its folder.
The library's commands (`jobrec train`, `ask`, `evaluate`) get the values they use from these same
settings, as plain strings, through the ``jobrec.environment`` plug-in, ``library_environment``."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from recommender.cli import UsageError
from recommender.cli.defaults import BUILT_IN, CommandDefaults

# Telegram tokens look like "123456789:AA...": a numeric bot id, a colon, 30+ url-safe characters.
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
ENV_FILE_VARIABLE = "JOBREC_ENV_FILE"
# The checkout (or /app in the image): the folder holding the bot package and pyproject.toml.
PROJECT_DIR = Path(__file__).resolve().parents[1]
# "sqlite+aiosqlite:///var/jobrec.db": three slashes and no fourth is a path relative to the folder.
RELATIVE_SQLITE = re.compile(r"^(sqlite[^:]*:///)(?!/)(?!:memory:)(?!file:)(.+)$")


class Settings(BaseSettings):
    # No default file: ``load_settings`` passes the one ``env_file`` finds.
    model_config = SettingsConfigDict(env_file=None, env_file_encoding="utf-8", extra="ignore")

    # Required by `jobrec bot` and `jobrec webhook`; without it a worker sends no digests.
    bot_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///var/jobrec.db"
    # PostgreSQL connections a bot process keeps open (and up to 10 more at peaks, closed after
    # use). Below the updates handled at once, every peak opened and closed connections: ~5 ms
    # of CPU per answer under the load benchmark. The server's max_connections must cover
    # replicas x (this + 10) + workers.
    database_pool_size: int = Field(default=20, ge=1, le=500)
    # The defaults are the library's (recommender.cli.defaults): every shared file for the corpus.
    model_dir: Path = Path(BUILT_IN.model_dir)
    # The corpus used for training and retraining; several paths separated by os.pathsep.
    data_path: str = os.pathsep.join(BUILT_IN.data_paths)
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    # e.g. http://localhost:8081 for a local Bot API server; empty means api.telegram.org.
    telegram_api_base: str | None = None
    log_level: str = "INFO"
    # Flood protection per user, messages and button presses alike: a burst of RATE_LIMIT_COUNT,
    # refilled at RATE_LIMIT_COUNT / RATE_LIMIT_WINDOW per second (3/s: above any human pace).
    rate_limit_count: int = 30
    rate_limit_window: float = 10.0
    # How often (seconds) to look for a model bundle when the bot started without one.
    model_poll_seconds: float = 60.0
    # Retention (docs/fresh-data.md): a vacancy leaves answers and digests when closed or not seen
    # for this many days; retraining keeps this many months of history. Every process's index
    # catches up with the collected vacancies on the worker's announcement, or every this many seconds.
    vacancy_retention_days: int = Field(default=30, ge=1)
    training_history_months: int = Field(default=18, ge=1)
    index_catchup_seconds: float = Field(default=60.0, gt=0)
    # Salary answers in today's roubles (converted by the average-wage index, labelled an
    # estimate) or in the roubles of the data's year.
    salary_money: Literal["today", "data_year"] = "today"

    # --- scale-out (docs/deploy.md): webhook replicas, Redis, one worker ---
    # Shared state between replicas (FSM, event isolation, update dedupe, flood limit, model
    # notifications); unset keeps it all in this process's memory.
    redis_url: str | None = None
    # Prefix of every Redis key and channel, so several deployments (or tests) share one Redis.
    redis_prefix: str = "jobrec"
    # How long an unfinished dialogue (its state and typed data) is kept in Redis.
    fsm_ttl_seconds: int = 7 * 24 * 3600
    # `jobrec bot --webhook`: the public HTTPS URL Telegram posts to (its path is served),
    # the host:port this process listens on behind the reverse proxy, and the secret Telegram
    # sends in X-Telegram-Bot-Api-Secret-Token (1-256 of A-Z a-z 0-9 _ -).
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1:8080"
    webhook_secret: SecretStr | None = None
    # One update per user at a time across replicas (event isolation): a lock held this long
    # at most, however long the handler takes.
    update_lease_seconds: float = 30.0
    # An update another replica is handling is re-sent by Telegram; the replica renews its
    # claim every third of this while it works, so after this many seconds without a renewal it
    # is taken for dead and the update is handled again.
    update_claim_seconds: float = 6.0

    # --- collector and scheduled jobs (bot/collector, bot/jobs): add HH_* / schedule keys here ---
    # Which sources the worker and `jobrec collect` collect from: "hh", "trudvsem" or both.
    collect_sources: str = "hh,trudvsem"
    # hh.ru API (see docs/fresh-data.md). hh asks for "AppName/1.0 (contact@example.com)".
    hh_api_base: str = "https://api.hh.ru"
    hh_user_agent: str = ""
    # An application registered at dev.hh.ru: the collector fetches its token (POST /token).
    hh_client_id: str = ""
    hh_client_secret: SecretStr | None = None
    hh_token: SecretStr | None = None  # a token obtained elsewhere, used as given
    hh_rate_limit: float = 2.0  # requests per second
    hh_concurrency: int = 2
    hh_timeout: float = 20.0
    # A Retry-After longer than this ends the run (the next one resumes) instead of sleeping.
    collect_max_wait_seconds: float = 300.0
    # Работа России open-data API (no key); comma-separated 13-digit region codes, empty: all.
    trudvsem_api_base: str = "https://opendata.trudvsem.ru/api/v1"
    trudvsem_regions: str = ""
    trudvsem_rate_limit: float = 2.0
    trudvsem_concurrency: int = 2
    # What the scheduled collection searches: text, comma-separated area and professional role ids.
    collect_text: str = ""
    collect_areas: str = ""
    collect_roles: str = ""
    collect_period_days: int = 30
    collect_limit: int | None = None
    collect_state_path: Path = Path("var/collect_state.json")
    # Schedules: crontab strings (minute hour day month day-of-week), UTC.
    collect_cron: str = "30 2 * * *"
    retrain_cron: str = "0 4 * * 0"
    # Retrain early when this many vacancies arrived since the current bundle was trained.
    retrain_min_new: int = 5000
    retrain_check_minutes: float = 60.0
    retrain_models: str = "nmf,lda,cluster"
    retrain_salary: bool = True
    retrain_timeout_seconds: float = 4 * 3600.0
    # Accept a retrained bundle lacking a part the serving one has (a topic model, the salary
    # model); false: the quality gate refuses it (`jobrec worker --once retrain --allow-smaller`).
    retrain_allow_smaller: bool = False
    # A retrained bundle worse than the current one by more than this share is kept aside.
    quality_tolerance: float = 0.05
    digest_tick_seconds: float = 60.0
    telegram_messages_per_second: float = 25.0
    job_misfire_grace_seconds: int = 3600
    # Run the scheduled jobs inside the bot; false when a separate `jobrec worker` runs them.
    jobs_in_bot: bool = True
    # At SIGTERM, how long work in hand may take to reach a safe point before it is cut short:
    # the worker's jobs; the bot's updates in hand (what is left goes back to Telegram
    # unconfirmed when polling, or is answered 503 by a webhook replica). Keep docker-compose's
    # stop_grace_period above it.
    shutdown_grace_seconds: float = Field(default=10.0, ge=0)

    @field_validator("bot_token")
    @classmethod
    def _token_is_well_formed(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        if not TOKEN_PATTERN.match(value.get_secret_value().strip()):
            # Never echo the value: it is a secret even when malformed.
            raise ValueError("is malformed (expected <digits>:<30+ characters> from @BotFather)")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("webhook_secret")
    @classmethod
    def _secret_is_allowed(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_PATTERN.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("redis_url", "webhook_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return value or None

    @property
    def data_paths(self) -> tuple[str, ...]:
        """DATA_PATH's paths."""
        return tuple(part for part in self.data_path.split(os.pathsep) if part)

    @property
    def webhook_host_port(self) -> tuple[str, int]:
        host, _, port = self.webhook_listen.rpartition(":")
        return host or "0.0.0.0", int(port)

    @field_validator("webhook_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        _, sep, port = value.rpartition(":")
        if not sep or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be host:port, e.g. 0.0.0.0:8080")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in re.split(r"[,\s]+", value.strip()) if part)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("telegram_api_base", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return value or None

    @field_validator("telegram_api_base")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value.strip()):
            raise ValueError("must be an http:// or https:// URL, e.g. http://localhost:8081")
        return value.strip().rstrip("/") if value else None


class MissingToken(ValueError):
    """BOT_TOKEN is needed by this command and is not set."""


def require_token(settings: Settings) -> str:
    if settings.bot_token is None:
        raise MissingToken("bad settings: BOT_TOKEN is missing (the token from @BotFather)")
    return settings.bot_token.get_secret_value()


_TOLD: set[str] = set()


def tell_once(line: str) -> None:
    """A settings problem on stderr, once per process however many readers meet it."""
    if line not in _TOLD:
        _TOLD.add(line)
        print(line, file=sys.stderr)


class EnvFileMissing(ValueError):
    """JOBREC_ENV_FILE names a file that is not there."""


def env_file() -> Path | None:
    """The `.env` to read: JOBREC_ENV_FILE, else the project folder's, else the current folder's."""
    named = os.environ.get(ENV_FILE_VARIABLE)
    if named:
        path = Path(named).expanduser()
        if not path.exists():
            raise EnvFileMissing(f"bad settings: {ENV_FILE_VARIABLE}={named} does not exist")
        return path
    for folder in (PROJECT_DIR, Path.cwd()):
        if (folder / ".env").is_file():
            return folder / ".env"
    return None


def settings_base(path: Path | None) -> Path | None:
    """The folder relative paths are read from: the `.env` file's (None: the current folder)."""
    return path.resolve().parent if path is not None and path.is_file() else None


def rebase_path(value: str, base: Path | None) -> str:
    if base is None or not value or Path(value).expanduser().is_absolute():
        return value
    return str(base / value)


def rebase_database_url(url: str, base: Path | None) -> str:
    match = RELATIVE_SQLITE.match(url)
    return f"{match.group(1)}{base / match.group(2)}" if match and base is not None else url


def rebase_data_path(value: str, base: Path | None) -> str:
    return os.pathsep.join(rebase_path(part, base) for part in value.split(os.pathsep) if part)


def load_settings() -> Settings | None:
    """Settings from the environment and .env; None after printing one clear line."""
    try:
        return read_settings()
    except (ValidationError, EnvFileMissing) as exc:
        tell_once(settings_error_line(exc))
        return None


def read_settings() -> Settings:
    """Settings from the environment and .env, relative paths made the `.env` folder's.
    Raises ValidationError or EnvFileMissing."""
    path = env_file()
    settings = Settings(_env_file=path)  # type: ignore[call-arg]
    base = settings_base(path)
    if base is None:
        return settings
    return settings.model_copy(
        update={
            "database_url": rebase_database_url(settings.database_url, base),
            "model_dir": Path(rebase_path(str(settings.model_dir), base)),
            "data_path": rebase_data_path(settings.data_path, base),
            "collect_state_path": Path(rebase_path(str(settings.collect_state_path), base)),
        }
    )


def library_environment() -> CommandDefaults:
    """The `jobrec.environment` plug-in (recommender.cli.defaults): the model and data folders of
    these settings as plain values, for the library's commands; the library never sees the
    settings object. Bad settings stop the command with their one line (exit code 2)."""
    try:
        settings = read_settings()
    except (ValidationError, EnvFileMissing) as exc:
        raise UsageError(settings_error_line(exc)) from None
    return CommandDefaults(
        model_dir=str(settings.model_dir),
        data_paths=settings.data_paths,
    )


def settings_error_line(exc: Exception) -> str:
    """One human line for a settings failure, without any secret in it."""
    if isinstance(exc, EnvFileMissing):
        return str(exc)
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return f"bad settings: {type(exc).__name__}"
    parts = []
    for error in errors(include_input=False, include_url=False):
        name = ".".join(str(p) for p in error.get("loc", ())).upper() or "settings"
        message = "is missing" if error.get("type") == "missing" else str(error.get("msg", "is invalid"))
        parts.append(f"{name} {message}".replace("Value error, ", ""))
    return "bad settings: " + "; ".join(parts)
