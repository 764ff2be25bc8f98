"""Stopping on SIGINT/SIGTERM, and telling a cancellation from a failure it caused."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

logger = logging.getLogger(__name__)


def stop_on_signals(stop: asyncio.Event | None = None) -> asyncio.Event:
    """``stop``, set on the first SIGINT or SIGTERM (logged once, at INFO: it is routine)."""
    stop = stop if stop is not None else asyncio.Event()
    loop = asyncio.get_running_loop()

    def received(sig: signal.Signals) -> None:
        if not stop.is_set():
            logger.info("%s received: stopping", sig.name)
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        # No signal handlers on Windows, nor outside the main thread (a test running main() in one).
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, received, sig)
    return stop


def raise_if_cancelled(exc: BaseException) -> None:
    """Re-raise as a cancellation when the current task is being cancelled.

    Some clients turn a cancellation into their own error (redis-py reports a cancelled read as
    "Connection closed by server."): a retry loop that caught it would go on forever.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError() from exc
