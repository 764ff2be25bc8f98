"""The running model bundle, swappable without a restart.

A request takes ``holder.current`` once and keeps using that object, so a retrain that
calls ``swap`` mid-request never mixes two models in one answer.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recommender.bundle import Bundle

logger = logging.getLogger(__name__)


class ModelHolder:
    def __init__(self, bundle: Bundle | None = None) -> None:
        self._lock = threading.Lock()
        self._bundle = bundle
        # Why there is no model, when it is not merely "not trained yet" (a damaged bundle):
        # users are then told it is unavailable, not that it is training.
        self.problem: str | None = None

    @property
    def current(self) -> Bundle | None:
        with self._lock:
            return self._bundle

    def swap(self, bundle: Bundle) -> Bundle | None:
        """Replace the bundle; returns the previous one."""
        with self._lock:
            previous, self._bundle = self._bundle, bundle
            self.problem = None
        logger.info("model bundle swapped: %s -> %s", version_of(previous), version_of(bundle))
        return previous

    def replace(self, expected: Bundle, bundle: Bundle) -> bool:
        """Swap in ``bundle`` only while ``expected`` is still served (an index update must not
        undo a new model swapped in while it was built); True when it did."""
        with self._lock:
            if self._bundle is not expected:
                return False
            self._bundle = bundle
        return True

    @property
    def version(self) -> str | None:
        return version_of(self.current)


def version_of(bundle: Bundle | None) -> str | None:
    return None if bundle is None else str(getattr(bundle, "version", "?"))
