"""Search progress on disk, so an interrupted collection resumes where it stopped.

The file remembers the run's plan (query, areas, roles and the moment it started, which
fixes the date windows of the split searches) and the pages already stored. A run with
the same plan continues an unfinished one; anything else starts afresh.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

logger = logging.getLogger(__name__)


@dataclass
class CollectPlan:
    text: str
    areas: list[str]
    roles: list[str]
    period_days: int
    started_at: str  # ISO 8601, UTC

    def same_search(self, other: CollectPlan) -> bool:
        return (self.text, self.areas, self.roles, self.period_days) == (
            other.text,
            other.areas,
            other.roles,
            other.period_days,
        )


@dataclass
class ProgressState:
    plan: CollectPlan
    done_pages: dict[str, list[int]] = field(default_factory=dict)
    finished: bool = False

    def is_done(self, slice_key: str, page: int) -> bool:
        return page in self.done_pages.get(slice_key, [])

    def mark_done(self, slice_key: str, page: int) -> None:
        self.done_pages.setdefault(slice_key, []).append(page)

    @property
    def started_at(self) -> datetime:
        return datetime.fromisoformat(self.plan.started_at)


class ProgressStore:
    """A JSON file written atomically (temp file + rename): a kill never leaves half a file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def load(self) -> ProgressState | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return ProgressState(
                plan=CollectPlan(**data["plan"]),
                done_pages={k: [int(p) for p in v] for k, v in data.get("done_pages", {}).items()},
                finished=bool(data.get("finished", False)),
            )
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as exc:
            logger.warning("ignoring unreadable collect progress %s: %s", self.path, exc)
            return None

    def save(self, state: ProgressState) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"plan": asdict(state.plan), "done_pages": state.done_pages, "finished": state.finished}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                json.dump(payload, stream, ensure_ascii=False)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def resume_or_start(self, plan: CollectPlan) -> ProgressState:
        previous = self.load()
        if previous is not None and not previous.finished and previous.plan.same_search(plan):
            logger.info("resuming the collection started at %s", previous.plan.started_at)
            return previous
        return ProgressState(plan=plan)
