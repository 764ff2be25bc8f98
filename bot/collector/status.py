"""Each source's last collection as /stats and /readyz show it (rows of ``source_status``)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from bot.storage.sources import SourceReport

SOURCE_NAMES = {"hh": "hh.ru", "trudvsem": "Работа России"}


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "never"


def report_line(report: SourceReport) -> str:
    """``hh.ru: ok at 2026-12-07 02:31 UTC; seen 1200, new 340, …`` or its last error."""
    name = SOURCE_NAMES.get(report.source, report.source)
    counts = report.counts
    figures = (
        f"seen {counts.seen}, new {counts.new}, updated {counts.updated}, "
        f"failed {counts.failed}, closed {counts.closed}"
    )
    if report.failing:
        return (
            f"{name}: FAILING since {_when(report.last_error_at)} ({report.last_error}); "
            f"last success {_when(report.last_success_at)}; last run {figures}"
        )
    return f"{name}: ok at {_when(report.last_success_at)}; {figures}"


def report_json(report: SourceReport) -> dict[str, Any]:
    """For /readyz: informative only; a failing collection does not make a replica unready."""

    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat(timespec="seconds") if moment is not None else None

    return {
        "ok": not report.failing,
        "last_success": iso(report.last_success_at),
        "last_error_at": iso(report.last_error_at),
        "last_error": report.last_error,
        "counts": asdict(report.counts),
    }
