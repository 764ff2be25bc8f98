"""/stats for the ids in ADMIN_IDS; for anyone else the command does not exist."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.collector.status import report_line
from bot.jobs.quality_gate import metric_leaves
from bot.services.formatting import esc, fit
from bot.services.model_holder import ModelHolder
from bot.storage import Repository
from bot.storage.model_versions import ModelVersionRepository
from bot.storage.sources import SourceStateRepository
from bot.texts import t

MAX_METRICS = 12


def build_router(admin_ids: Iterable[int]) -> Router:
    router = Router(name="admin")
    router.message.filter(F.from_user.id.in_(frozenset(admin_ids)))
    router.message.register(stats, Command("stats"))
    return router


def shown_metrics(metrics: Any) -> list[tuple[str, Any]]:
    """The bundle's metrics under dotted names: numbers and short strings only."""
    if not isinstance(metrics, Mapping):
        return []
    return [
        (name, value)
        for name, value in metric_leaves(metrics)
        if isinstance(value, int | float | str | bool) and len(str(value)) <= 40
    ]


def format_metric(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


async def gate_line(versions: ModelVersionRepository | None, version: str | None, lang: str) -> str:
    """The quality gate's decision on the served version, as recorded when it was promoted."""
    if versions is None or version is None:
        return ""
    recorded = await versions.find(version)
    if recorded is None or not recorded.gate.get("summary"):
        return ""
    return "\n" + t(lang, "stats_gate", gate=esc(str(recorded.gate["summary"])))


async def stats(
    message: Message,
    repo: Repository,
    holder: ModelHolder,
    lang: str,
    versions: ModelVersionRepository | None = None,
    sources: SourceStateRepository | None = None,
) -> None:
    data = await repo.stats()
    collection = [report_line(report) for report in await sources.reports()] if sources else []
    bundle = holder.current
    metrics = shown_metrics(getattr(bundle, "metrics", None))[:MAX_METRICS]
    per_day = "\n".join(f"  {day.isoformat()}: {count}" for day, count in data.queries_per_day) or "  —"
    subscriptions = ", ".join(f"{k}: {v}" for k, v in sorted(data.subscriptions.items())) or "0"
    await message.answer(
        fit(
            t(
                lang,
                "stats",
                users=data.users,
                active=data.active_users,
                blocked=data.blocked_users,
                subscriptions=subscriptions,
                likes=data.feedback.get(1, 0),
                dislikes=data.feedback.get(-1, 0),
                per_day=per_day,
                model=esc(holder.version or "—") + await gate_line(versions, holder.version, lang),
                metrics="\n".join(f"  {esc(k)}: {esc(format_metric(v))}" for k, v in metrics),
            )
            + t(lang, "stats_sources", lines="\n".join(f"  {esc(line)}" for line in collection) or "  —")
        )
    )
