"""Scheduled jobs: collection, retraining with a quality gate and hot swap, digests.

``setup_scheduler`` is imported lazily so ``python -m bot.jobs.train_process`` (the
training child) does not pay for APScheduler and aiogram imports.
"""

from __future__ import annotations

from typing import Any


def setup_scheduler(*args: Any, **kwargs: Any) -> Any:
    """See ``bot.jobs.scheduler.setup_scheduler``."""
    from bot.jobs.scheduler import setup_scheduler as setup

    return setup(*args, **kwargs)
