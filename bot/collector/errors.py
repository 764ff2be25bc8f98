"""How a source request can fail, the same for hh.ru and Работа России."""

from __future__ import annotations


class SourceError(Exception):
    """A request that failed for good (after retries, or not retryable); the run goes on."""


class SourceStopped(SourceError):
    """The source refused us in a way retrying cannot fix (a 403, a Retry-After longer than the
    run can wait): the run stops at once, sends no further request, and says why in ``reason``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RecordGone(SourceError):
    """404 for one vacancy: the source no longer serves it (closed or removed)."""
