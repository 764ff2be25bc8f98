"""Every process serves the model version the database calls current.

A retrain (in whichever worker) records the promoted bundle in ``model_versions`` and
announces it on Redis; each bot replica and worker runs ``ModelWatcher.run``, which wakes on
the announcement (or every ``poll_seconds`` without Redis, or when a message was lost), loads
the new bundle in a thread, checks its sha256 and swaps it in. Requests in flight keep the
bundle they took.

Before any retrain has been recorded, the bundle ``MODEL_DIR/current`` (from `jobrec train`)
is what serves, and a `jobrec train` that repoints it is followed, as in a single-process
install; once a promotion is recorded, the newest row wins.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from bot.config import Settings
from bot.services.model_holder import ModelHolder
from bot.shared_state import model_announcements
from bot.shutdown import raise_if_cancelled
from bot.storage.model_versions import ModelVersion, ModelVersionRepository
from recommender.bundle import Bundle, BundleError, has_bundle, load_bundle, resolve_current

logger = logging.getLogger(__name__)


def bundle_sha256(path: Path) -> str:
    """One digest over every file of a bundle folder (relative names and contents, sorted)."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(path)).encode("utf-8") + b"\0")
        with file.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


class ModelMismatch(BundleError):
    """The folder's content is not what the version row recorded (partial copy, edited files)."""


def load_recorded(version: ModelVersion) -> Bundle:
    """Blocking: load the recorded bundle after checking its digest."""
    path = Path(version.path)
    found = bundle_sha256(path)
    if found != version.sha256:
        raise ModelMismatch(f"bundle {path} has sha256 {found[:12]}…, recorded {version.sha256[:12]}…")
    return load_bundle(path).warm()  # its titles read here, not in the first answers


class ModelWatcher:
    def __init__(
        self,
        holder: ModelHolder,
        versions: ModelVersionRepository,
        model_dir: Path,
        *,
        poll_seconds: float = 60.0,
        redis: Redis | None = None,
        redis_prefix: str = "jobrec",
    ) -> None:
        self.holder = holder
        self.versions = versions
        self.model_dir = Path(model_dir)
        self.poll_seconds = poll_seconds
        self.redis = redis
        self.redis_prefix = redis_prefix
        self._failed: str | None = None  # a version that would not load: not retried every poll
        # Told once per new problem (the bot tells its admins); None: only logged.
        self._reported: str | None = None
        self.on_problem: Callable[[str], Awaitable[None]] | None = None
        # A new bundle passes through this before it is served: the index follower's ``level``
        # removes what closed since its training (None: served as loaded).
        self.prepare: Callable[[Bundle], Awaitable[Bundle]] | None = None

    @classmethod
    def for_settings(
        cls, settings: Settings, holder: ModelHolder, sessions: Any, redis: Redis | None
    ) -> ModelWatcher:
        return cls(
            holder,
            ModelVersionRepository(sessions),
            settings.model_dir,
            poll_seconds=settings.model_poll_seconds,
            redis=redis,
            redis_prefix=settings.redis_prefix,
        )

    async def check(self) -> bool:
        """Load and swap in the current version when this process serves another; True if it did."""
        wanted = await self.versions.current()
        if wanted is None:
            return await self._fallback_to_folder()
        if wanted.version == self.holder.version or wanted.version == self._failed:
            return False
        try:
            bundle = await asyncio.to_thread(load_recorded, wanted)
        except (BundleError, OSError) as exc:
            self._failed = wanted.version
            logger.error(
                "model %s cannot be served here, keeping %s: %s", wanted.version, self.holder.version, exc
            )
            await self._report(str(exc))
            return False
        await self._serve(bundle)
        return True

    async def _serve(self, bundle: Bundle) -> None:
        if self.prepare is not None:
            try:
                bundle = await self.prepare(bundle)
            except Exception as exc:  # the database is down, say: serve it; the follower catches up
                raise_if_cancelled(exc)
                logger.exception("could not bring the new model's index level; serving it as trained")
        self.holder.swap(bundle)

    async def _report(self, problem: str) -> None:
        """A bundle that will not load: with nothing else serving, users are told the model is
        unavailable (not "training"); the problem is told once, not at every poll."""
        if self.holder.current is None:
            self.holder.problem = problem
        if problem == self._reported:
            return
        self._reported = problem
        if self.on_problem is not None:
            await self.on_problem(problem)

    async def _fallback_to_folder(self) -> bool:
        """No promotion recorded yet: serve ``MODEL_DIR/current`` (`jobrec train` repoints it)."""
        current = resolve_current(self.model_dir)
        if current is None or not has_bundle(self.model_dir):
            return False
        serving = getattr(self.holder.current, "path", None)
        if serving is not None and Path(serving).resolve() == current:
            return False
        try:
            bundle = await asyncio.to_thread(load_bundle, self.model_dir)
        except (BundleError, OSError) as exc:
            if str(exc) != self._reported:
                logger.error("the model in %s is unavailable: %s", self.model_dir, exc)
            await self._report(str(exc))
            return False
        await self._serve(bundle)
        return True

    async def check_logged(self) -> None:
        """``check``; a failure is logged and the current model kept serving (tried again later)."""
        try:
            await self.check()
        except Exception as exc:  # the database is down, say: log, keep serving, try again
            raise_if_cancelled(exc)
            logger.exception("model watch failed; serving %s", self.holder.version)

    async def run(self) -> None:
        """Until cancelled: check at start, on every announcement and every ``poll_seconds``."""
        wake = asyncio.Event()
        listener = (
            asyncio.create_task(model_announcements(self.redis, self.redis_prefix, wake))
            if self.redis is not None
            else None
        )
        try:
            while True:
                await self.check_logged()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), self.poll_seconds)
                wake.clear()
        finally:
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener
