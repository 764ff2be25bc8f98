"""`jobrec model list | rollback [VERSION]`: the model versions and which one every process serves.

``list``: every recorded version (promoted and rejected, with the quality gate's decision and
reasons) and the bundles on disk that no retrain recorded (`jobrec train`), newest first; ``*``
marks the one served. ``rollback``: serve an earlier version again, by default the one served
before the current one. It is recorded in ``model_versions`` (the row served last is current),
``MODEL_DIR/current`` is repointed and Redis told, so every bot and worker switches as it does
after a retrain (at once with Redis, else within MODEL_POLL_SECONDS). A rejected version is
never served; a folder whose files are not what was recorded is refused.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.config import Settings, load_settings
from bot.jobs.quality_gate import direction, flatten_metrics
from bot.storage.model_versions import PROMOTED, REJECTED, ModelVersion, ModelVersionRepository

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_BAD_SETTINGS = 2
SHOWN_METRICS = 3


def register_model(subparsers: Any) -> None:
    parser = subparsers.add_parser("model", help="model versions: list them, roll back to an earlier one")
    actions = parser.add_subparsers(dest="model_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="versions, dates, metrics, gate decisions, which is served")
    listing.add_argument("--json", action="store_true", help="one JSON object per version")
    listing.set_defaults(func=model_command)
    rollback = actions.add_parser("rollback", help="serve an earlier version (default: the one before)")
    rollback.add_argument("version", nargs="?", default=None)
    rollback.set_defaults(func=model_command)


def model_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings is None:
        return EXIT_BAD_SETTINGS
    if args.model_action == "list":
        return asyncio.run(_with_versions(settings, lambda repo: list_versions(settings, repo, args.json)))
    return asyncio.run(_with_versions(settings, lambda repo: rollback(settings, repo, args.version)))


async def _with_versions(settings: Settings, action: Any) -> int:
    from bot.storage.db import create_engine, create_sessionmaker, upgrade_database

    await asyncio.to_thread(upgrade_database, settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        return int(await action(ModelVersionRepository(create_sessionmaker(engine))))
    finally:
        await engine.dispose()


@dataclass(frozen=True)
class Listed:
    version: str
    created_at: datetime | None
    status: str  # promoted | rejected | on disk (trained by `jobrec train`, never recorded)
    gate: str
    metrics: dict[str, float]
    served: bool
    path: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "status": self.status,
            "gate": self.gate,
            "metrics": self.metrics,
            "served": self.served,
            "path": self.path,
        }

    def line(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}" if self.created_at else "-"
        metrics = ", ".join(f"{k} {v:.4g}" for k, v in self.metrics.items()) or "-"
        mark = "*" if self.served else " "
        return f"{mark} {self.version}  {when}  {self.status}  {metrics}  gate: {self.gate or '-'}"


def key_metrics(metrics: dict[str, Any]) -> dict[str, float]:
    """The first few comparable metrics (the ones the gate reads), for a one-line listing."""
    comparable = [(name, value) for name, value in flatten_metrics(metrics) if direction(name) != 0]
    return dict(comparable[:SHOWN_METRICS])


async def listed_versions(settings: Settings, versions: ModelVersionRepository) -> list[Listed]:
    from recommender.bundle import VERSIONS_DIR, read_manifest, resolve_current

    rows = await versions.history(limit=200)
    current = await versions.current()
    served_folder = resolve_current(settings.model_dir) if current is None else None
    listed = [_listed_row(row, current) for row in rows]
    recorded = {row.version for row in rows}
    folders = settings.model_dir / VERSIONS_DIR
    for folder in sorted(folders.iterdir() if folders.is_dir() else (), reverse=True):
        if folder.name in recorded or not folder.is_dir():
            continue
        try:
            manifest = read_manifest(folder)
        except (OSError, RuntimeError, ValueError):
            continue  # not a bundle
        listed.append(
            Listed(
                version=folder.name,
                created_at=_parse_time(manifest.get("created_at")),
                status="on disk",
                gate="",
                metrics=key_metrics(manifest.get("metrics", {})),
                served=served_folder is not None and folder.resolve() == served_folder,
                path=str(folder),
            )
        )
    return sorted(listed, key=lambda item: item.created_at or datetime.min.replace(tzinfo=UTC), reverse=True)


def _listed_row(row: ModelVersion, current: ModelVersion | None) -> Listed:
    return Listed(
        version=row.version,
        created_at=row.created_at,
        status=row.status,
        gate=str(row.gate.get("summary", "")),
        metrics=key_metrics(row.metrics),
        served=current is not None and row.id == current.id,
        path=row.path,
    )


def _parse_time(value: object) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


async def list_versions(settings: Settings, versions: ModelVersionRepository, as_json: bool) -> int:
    listed = await listed_versions(settings, versions)
    if as_json:
        for item in listed:
            print(json.dumps(item.to_dict(), ensure_ascii=False))
    elif not listed:
        print(f"no model versions: none recorded and none in {settings.model_dir} (run `jobrec train`)")
    else:
        print("\n".join(item.line() for item in listed))
    return EXIT_OK


class RollbackRefused(Exception):
    """The version asked for cannot be served; the message says why in one line."""


async def rollback(settings: Settings, versions: ModelVersionRepository, version: str | None) -> int:
    try:
        target, previous = await _rollback(settings, versions, version)
    except RollbackRefused as exc:
        print(f"jobrec model rollback: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(
        f"now serving {target} (was {previous or 'none'}); every process switches "
        + ("at once" if settings.redis_url else f"within {settings.model_poll_seconds:g} s")
    )
    return EXIT_OK


async def _rollback(
    settings: Settings, versions: ModelVersionRepository, version: str | None
) -> tuple[str, str | None]:
    from bot.services.model_watch import bundle_sha256
    from recommender.bundle import VERSIONS_DIR, point_current

    listed = await listed_versions(settings, versions)
    serving = next((item for item in listed if item.served), None)
    target = version or await _served_before(versions, serving)
    if serving is not None and target == serving.version:
        raise RollbackRefused(f"{target} is already served")
    row = await versions.find(target)
    if row is not None and row.status == REJECTED:
        raise RollbackRefused(f"{target} was rejected by the quality gate ({row.gate.get('summary', '')})")
    folder = Path(row.path) if row is not None else settings.model_dir / VERSIONS_DIR / target
    await asyncio.to_thread(_check_loads, folder)
    digest = await asyncio.to_thread(bundle_sha256, folder)
    if row is not None and digest != row.sha256:
        found, recorded = digest[:12], row.sha256[:12]
        raise RollbackRefused(f"{folder} is not what was recorded (sha256 {found}…, recorded {recorded}…)")
    if row is None:
        gate = {"decision": "operator", "summary": "served by `jobrec model rollback` (never gated)"}
        await versions.record(target, str(folder.resolve()), digest, _manifest_metrics(folder), gate)
    else:
        await versions.serve(target)
    if folder.resolve().parent == (settings.model_dir / VERSIONS_DIR).resolve():
        point_current(settings.model_dir, folder.name)
    await _announce(settings, target)
    return target, serving.version if serving else None


async def _served_before(versions: ModelVersionRepository, serving: Any) -> str:
    """The promoted version served last before the current one."""
    now = serving.version if serving is not None else None
    earlier = [
        row
        for row in await versions.history(limit=200)
        if row.status == PROMOTED and row.served_at is not None and row.version != now
    ]
    if not earlier:
        raise RollbackRefused("no earlier served version to roll back to (name one: `jobrec model list`)")
    return max(earlier, key=lambda row: (row.served_at, row.id)).version


def _check_loads(folder: Path) -> None:
    from recommender.bundle import BundleError, load_bundle

    if not folder.is_dir():
        raise RollbackRefused(f"no bundle folder {folder} (pruned or never trained)")
    try:
        load_bundle(folder)
    except (BundleError, OSError) as exc:
        raise RollbackRefused(f"{folder} does not load: {exc}") from exc


def _manifest_metrics(folder: Path) -> dict[str, Any]:
    from recommender.bundle import read_manifest

    metrics = read_manifest(folder).get("metrics", {})
    return metrics if isinstance(metrics, dict) else {}


async def _announce(settings: Settings, version: str) -> None:
    if not settings.redis_url:
        return
    from bot.shared_state import connect_redis, publish_model_version

    redis = connect_redis(settings.redis_url)
    try:
        await publish_model_version(redis, settings.redis_prefix, version)
    finally:
        await redis.aclose()
