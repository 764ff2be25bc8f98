"""Retraining with a quality gate and a hot swap.

1. Export the collected vacancies (the database's normalized records) for the child.
2. Train in a child process (``bot.jobs.train_process``) into a staging directory, on the
   base corpus plus the export. The serving bundle directory is never touched by it, so a
   crash or kill of the child leaves the current model serving.
3. Compare the candidate with the current bundle (quality gate): the parts each serves, the
   manifest metrics and the same-cases scores.
4. Accepted: move the version under ``versions/``, repoint ``current``, record it (path,
   sha256, metrics, the gate's decision) in ``model_versions`` (one transaction: that row is
   what "current" means to every process), announce it on Redis, load it in a thread and
   ``ModelHolder.swap`` it in. Rejected: move it under ``rejected/`` with the reasons and record
   it as a rejected row (never served).

Each run stages in its own folder, ``staging/<run>``. The scheduler runs a retrain only under
the deployment-wide "retrain" lock, so a run (and a worker at start, ``clean_staging``) may
clear the leftovers of killed ones. The child dies with the process that started it
(``train_process --parent-pid``), so no orphan writes there after a newer run promoted.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import sys
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.jobs.quality_gate import GateDecision, bundle_parts, compare
from bot.jobs.train_process import GATE_FILE
from bot.jobs.vacancy_file import SUFFIX as VACANCY_FILE
from bot.jobs.vacancy_file import write_batch
from bot.services.model_holder import ModelHolder
from bot.services.model_watch import bundle_sha256
from bot.storage.model_versions import PROMOTED, REJECTED, ModelVersionRepository
from bot.storage.vacancies import VacancyRepository
from recommender.bundle import VERSIONS_DIR, load_bundle, point_current, read_manifest, resolve_current
from recommender.data import Vacancy

logger = logging.getLogger(__name__)

STAGING_DIR = "staging"
REJECTED_DIR = "rejected"
EXPORT_NAME = "collected" + VACANCY_FILE


class TrainingFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class RetrainConfig:
    model_dir: Path
    base_data: Sequence[str] = ()
    models: str = "nmf,lda,cluster"
    salary: bool = True
    tolerance: float = 0.05
    timeout: float = 4 * 3600.0
    sample: int | None = None
    # months of history trained on, counted back from the newest publication (None: all of it)
    history_months: int | None = None
    random_state: int = 0
    # Accept a candidate lacking a part the serving bundle has (a topic model, the salary model).
    allow_smaller: bool = False
    python: str = sys.executable
    extra_args: Sequence[str] = ()


@dataclass
class RetrainOutcome:
    status: str  # "promoted" | "rejected" | "failed"
    version: str | None = None
    reason: str = ""
    decision: GateDecision | None = None
    details: dict[str, Any] = field(default_factory=dict)


async def export_collected(repository: VacancyRepository, path: Path, *, batch: int = 2000) -> int:
    """Write every stored vacancy (``Vacancy``, as the database holds it) into one vacancy file
    (bot.jobs.vacancy_file), atomically. Pickling runs in a thread, a batch at a time, so the
    event loop stays free."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    pending: list[Vacancy] = []
    with tmp.open("wb") as stream:
        async for vacancy in repository.iter_vacancies(batch_size=batch):
            pending.append(vacancy)
            if len(pending) >= batch:
                await asyncio.to_thread(write_batch, stream, pending)
                count, pending = count + len(pending), []
        if pending:
            await asyncio.to_thread(write_batch, stream, pending)
            count += len(pending)
    os.replace(tmp, path)
    return count


def train_command(config: RetrainConfig, data: Sequence[str], out: Path, current: Path | None) -> list[str]:
    command = [config.python, "-m", "bot.jobs.train_process", "--out", str(out), "--models", config.models]
    command += ["--random-state", str(config.random_state), "--parent-pid", str(os.getpid())]
    if current is not None:
        command += ["--compare-with", str(current)]
    if not config.salary:
        command.append("--no-salary")
    if config.sample:
        command += ["--sample", str(config.sample)]
    if config.history_months:
        command += ["--history-months", str(config.history_months)]
    return [*command, *config.extra_args, "--data", *data]


async def run_training(
    command: Sequence[str],
    timeout: float,
    log_path: Path,
    on_start: Callable[[asyncio.subprocess.Process], None] | None = None,
) -> Path:
    """Run the child; its log goes to ``log_path``. Returns the bundle path it printed."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE, stderr=log)
        if on_start is not None:
            on_start(process)
        try:
            stdout, _ = await asyncio.wait_for(process.communicate(), timeout)
        except (TimeoutError, asyncio.CancelledError):
            process.kill()
            await process.wait()
            raise
    if process.returncode != 0:
        raise TrainingFailed(f"training process exited with {process.returncode}; log: {log_path}")
    lines = stdout.decode("utf-8", "replace").strip().splitlines()
    if not lines or not Path(lines[-1]).is_dir():
        raise TrainingFailed(f"training process printed no bundle path; log: {log_path}")
    return Path(lines[-1])


def promote(model_dir: Path, candidate: Path) -> Path:
    """Move the candidate version next to the others and make it current (atomic symlink swap)."""
    target = model_dir / VERSIONS_DIR / candidate.name
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(candidate, target)
    point_current(model_dir, candidate.name)
    return target


def reject(model_dir: Path, candidate: Path, decision: GateDecision) -> Path:
    target = model_dir / REJECTED_DIR / candidate.name
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(candidate, target)
    report = {**decision.to_dict(), "comparisons": [asdict(c) for c in decision.comparisons]}
    (target / "gate_decision.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return target


def clean_staging(model_dir: Path) -> bool:
    """Remove what killed runs left in ``staging/``; call only while holding the retrain lock."""
    staging = model_dir / STAGING_DIR
    if not staging.exists():
        return False
    shutil.rmtree(staging, ignore_errors=True)
    logger.info("removed the staging folder left by an interrupted retrain: %s", staging)
    return True


class Retrainer:
    """Runs one retrain at a time; the bot keeps answering from ``holder.current`` meanwhile."""

    def __init__(
        self,
        config: RetrainConfig,
        repository: VacancyRepository,
        holder: ModelHolder,
        *,
        loader: Callable[[Path], Any] = load_bundle,
        versions: ModelVersionRepository | None = None,
        announce: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        self.config = config
        self.repository = repository
        self.holder = holder
        self.loader = loader
        self.versions = versions
        self.announce = announce
        self._lock = asyncio.Lock()
        # The running training child, for operators (and tests) who need to see or stop it.
        self.process: asyncio.subprocess.Process | None = None

    @property
    def running(self) -> bool:
        return self._lock.locked()

    async def new_since_current(self) -> int:
        """Vacancies collected since the serving bundle was trained (all of them without one)."""
        current = resolve_current(self.config.model_dir)
        created = None
        if current is not None:
            try:
                created = datetime.fromisoformat(str(read_manifest(current).get("created_at")))
            except (ValueError, RuntimeError):
                created = None
        return await self.repository.count_since(created.astimezone(UTC) if created else None)

    async def retrain(self, reason: str = "scheduled") -> RetrainOutcome:
        if self._lock.locked():
            return RetrainOutcome("failed", reason="a retrain is already running")
        async with self._lock:
            logger.info("retrain started (%s)", reason)
            try:
                return await self._retrain()
            except (TrainingFailed, TimeoutError, OSError, RuntimeError) as exc:
                logger.error("retrain failed, the current model keeps serving: %s", exc)
                return RetrainOutcome("failed", reason=str(exc))

    async def _retrain(self) -> RetrainOutcome:
        model_dir = self.config.model_dir
        # Leftovers of killed runs are never used; no other run is active (the retrain lock).
        clean_staging(model_dir)
        run = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        staging = model_dir / STAGING_DIR / run
        staging.mkdir(parents=True)
        try:
            candidate, exported = await self._train(staging)
        except asyncio.CancelledError:
            # Stopped (the worker shuts down): the child is killed, nothing half-made stays behind.
            shutil.rmtree(staging, ignore_errors=True)
            raise
        decision = self._gate(candidate)
        if not decision.accepted:
            kept = reject(model_dir, candidate, decision)
            logger.warning(
                "retrained bundle %s rejected and kept at %s: %s", candidate.name, kept, decision.summary()
            )
            await self._record(kept, decision, status=REJECTED)
            shutil.rmtree(staging, ignore_errors=True)
            return RetrainOutcome("rejected", candidate.name, decision.summary(), decision)
        await self._record_first_served()
        target = promote(model_dir, candidate)
        await self._record(target, decision)
        bundle = await asyncio.to_thread(self.loader, target)
        self.holder.swap(bundle)
        shutil.rmtree(staging, ignore_errors=True)
        return RetrainOutcome(
            "promoted", candidate.name, decision.summary(), decision, {"exported": exported}
        )

    async def _train(self, staging: Path) -> tuple[Path, int]:
        export = staging / EXPORT_NAME
        exported = await export_collected(self.repository, export)
        data = [*self.config.base_data, str(export)]
        serving = resolve_current(self.config.model_dir)
        command = train_command(self.config, data, staging / "bundles", serving)
        logger.info("training on the base corpus + %d collected vacancies", exported)
        try:
            candidate = await run_training(command, self.config.timeout, staging / "train.log", self._started)
        finally:
            self.process = None
        return candidate, exported

    async def _record_first_served(self) -> None:
        """Before the first recorded promotion, record the bundle `jobrec train` made current, so
        the history is whole and `jobrec model rollback` can return to it."""
        serving = resolve_current(self.config.model_dir)
        if self.versions is None or serving is None or await self.versions.current() is not None:
            return
        manifest = read_manifest(serving)
        version = str(manifest.get("version") or serving.name)
        if await self.versions.find(version) is not None:
            return
        digest = await asyncio.to_thread(bundle_sha256, serving)
        gate = {"decision": "operator", "summary": "served before any retrain was recorded (`jobrec train`)"}
        await self.versions.record(version, str(serving), digest, manifest.get("metrics", {}), gate)

    async def _record(self, target: Path, decision: GateDecision, *, status: str = PROMOTED) -> None:
        """A promoted version becomes current for every process: its row, then the news. A
        rejected one is recorded with the gate's reasons and never served."""
        if self.versions is None:
            return
        digest = await asyncio.to_thread(bundle_sha256, target)
        manifest = read_manifest(target)
        version = str(manifest.get("version") or target.name)
        metrics = manifest.get("metrics", {})
        path = str(target.resolve())
        await self.versions.record(version, path, digest, metrics, decision.to_dict(), status=status)
        if status != PROMOTED:
            return
        logger.info("model %s recorded as current (sha256 %s)", version, digest[:12])
        if self.announce is not None:
            await self.announce(version)

    def _started(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        logger.info("training process %d started", process.pid)

    def _gate(self, candidate: Path) -> GateDecision:
        """Manifest metrics of both bundles plus the child's same-cases scores (``gate.json``)."""
        current = resolve_current(self.config.model_dir)
        if current is None:
            return GateDecision(accepted=True)
        scores = _read_json(candidate / GATE_FILE)
        serving, candidate_manifest = read_manifest(current), read_manifest(candidate)
        current_metrics = {**serving.get("metrics", {}), "gate": scores.get("current", {})}
        candidate_metrics = {**candidate_manifest.get("metrics", {}), "gate": scores.get("candidate", {})}
        return compare(
            current_metrics,
            candidate_metrics,
            tolerance=self.config.tolerance,
            missing_parts=bundle_parts(serving) - bundle_parts(candidate_manifest),
            allow_smaller=self.config.allow_smaller,
        )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
