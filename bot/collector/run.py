"""One collection run over the configured sources, for `jobrec collect` and the worker alike.

Sources run one after the other, each with its own client, progress file and status row:
one source failing (refused, down, or a bug) never stops the others, and each run's counts,
success time and error land in ``source_status`` for /stats, /readyz and the log.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.collector.clock import Clock, SystemClock
from bot.collector.collector import Collector, CollectRequest, CollectStats
from bot.collector.hh_auth import HHAuth
from bot.collector.hh_client import HHClient, HHClientConfig
from bot.collector.http import HttpConfig
from bot.collector.progress import ProgressStore
from bot.collector.trudvsem_client import TrudvsemClient
from bot.collector.trudvsem_collector import TrudvsemCollector, TrudvsemRequest
from bot.config import Settings
from bot.storage.sources import RunCounts, SourceStateRepository
from bot.storage.vacancies import VacancyRepository
from bot.storage.vacancy_links import LINK_MARGIN, VacancyLinks

logger = logging.getLogger(__name__)

SOURCES = ("hh", "trudvsem")
USER_AGENT_MISSING = (
    "set HH_USER_AGENT to a descriptive 'AppName/1.0 (contact@example.com)': hh.ru requires it"
)
# hh.ru's form: an application name and version, then a contact in parentheses.
USER_AGENT_FORM = re.compile(r"^\S+/\S+ \(.+\)$")
# Работа России asks for no User-Agent; ours names the project when HH_USER_AGENT is unset.
DEFAULT_USER_AGENT = "jobrec/1.0"


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def configured_sources(settings: Settings) -> list[str]:
    """COLLECT_SOURCES, in our order, unknown names dropped with a warning."""
    wanted = split_list(settings.collect_sources.lower())
    for unknown in sorted(set(wanted) - set(SOURCES)):
        logger.warning("COLLECT_SOURCES: unknown source %r (known: %s)", unknown, ", ".join(SOURCES))
    return [source for source in SOURCES if source in wanted]


def hh_config(settings: Settings) -> HHClientConfig:
    return HHClientConfig(
        user_agent=settings.hh_user_agent,
        base_url=settings.hh_api_base,
        rate_limit=settings.hh_rate_limit,
        concurrency=settings.hh_concurrency,
        timeout=settings.hh_timeout,
        max_wait=settings.collect_max_wait_seconds,
    )


def hh_auth(settings: Settings, sources: SourceStateRepository) -> HHAuth:
    secret = settings.hh_client_secret.get_secret_value() if settings.hh_client_secret else None
    return HHAuth(
        token=settings.hh_token.get_secret_value() if settings.hh_token else None,
        client_id=settings.hh_client_id.strip() or None,
        client_secret=secret,
        store=sources,
    )


def trudvsem_config(settings: Settings) -> HttpConfig:
    return HttpConfig(
        base_url=settings.trudvsem_api_base,
        user_agent=settings.hh_user_agent.strip() or DEFAULT_USER_AGENT,
        rate_limit=settings.trudvsem_rate_limit,
        concurrency=settings.trudvsem_concurrency,
        timeout=settings.hh_timeout,
        max_wait=settings.collect_max_wait_seconds,
    )


def collect_request(settings: Settings) -> CollectRequest:
    return CollectRequest(
        text=settings.collect_text,
        areas=split_list(settings.collect_areas),
        roles=split_list(settings.collect_roles),
        period_days=settings.collect_period_days,
        limit=settings.collect_limit,
    )


def state_path(settings: Settings, source: str) -> Path:
    """hh keeps COLLECT_STATE_PATH (as before); other sources a file beside it."""
    path = Path(settings.collect_state_path)
    return path if source == "hh" else path.with_name(f"{path.stem}.{source}{path.suffix}")


def refusal(settings: Settings, source: str) -> str | None:
    """Why ``source`` cannot start with these settings, in one line; None when it can."""
    user_agent = settings.hh_user_agent.strip()
    if source == "hh" and not user_agent:
        return USER_AGENT_MISSING
    if source == "hh" and not USER_AGENT_FORM.match(user_agent):
        return f"HH_USER_AGENT should read 'AppName/1.0 (contact@example.com)', not {user_agent!r}"
    if source == "hh" and bool(settings.hh_client_id.strip()) != bool(settings.hh_client_secret):
        return "set both HH_CLIENT_ID and HH_CLIENT_SECRET (docs/fresh-data.md)"
    return None


class CollectionRun:
    """Collect each source in turn; ``request`` overrides (from the command line) apply to all."""

    def __init__(
        self,
        settings: Settings,
        session_factory: Any,  # an async_sessionmaker (bot/storage is the one place that names it)
        *,
        request: CollectRequest | None = None,
        fetch_cards: bool = True,
        clock: Clock | None = None,
        progress_bar: Callable[[str], Callable[[int], None]] | None = None,
    ) -> None:
        self.settings = settings
        self.vacancies = VacancyRepository(session_factory)
        self.sources = SourceStateRepository(session_factory)
        self.links = VacancyLinks(session_factory)
        self.request = request or collect_request(settings)
        self.fetch_cards = fetch_cards
        self.clock = clock or SystemClock()
        self.progress_bar = progress_bar

    async def run(self, sources: Sequence[str]) -> list[CollectStats]:
        """Each source in turn, then the same job found on two sources merged into one entry
        (bot/storage/vacancy_links.py), before anyone is told the vacancies changed."""
        started = self.clock.now()
        results = []
        for source in sources:
            results.append(await self.run_source(source))
        try:
            await self.links.link_since(started - LINK_MARGIN, now=self.clock.now())
        except Exception:  # the vacancies are stored; the next run links them
            logger.exception("dedupe after collection failed; the next run tries again")
        return results

    async def run_source(self, source: str) -> CollectStats:
        refused = refusal(self.settings, source)
        if refused is not None:
            stats = CollectStats(source=source, error=refused)
            logger.error("collect %s not started: %s", source, refused)
        else:
            await self.sources.run_started(source, now=self.clock.now())
            try:
                stats = await self._collect(source)
            except Exception as exc:  # one source's bug never stops the others; its status says it
                logger.exception("collect %s failed", source)
                stats = CollectStats(source=source, error=f"{type(exc).__name__}: {exc}")
        counts = RunCounts(stats.seen, stats.new, stats.updated, stats.failed, stats.archived)
        await self.sources.run_finished(source, counts, error=self._error_of(stats), now=self.clock.now())
        return stats

    @staticmethod
    def _error_of(stats: CollectStats) -> str | None:
        return None if stats.ok else stats.outcome

    async def _collect(self, source: str) -> CollectStats:
        on_progress = self.progress_bar(source) if self.progress_bar else None
        progress = ProgressStore(state_path(self.settings, source))
        if source == "hh":
            auth = hh_auth(self.settings, self.sources)
            async with HHClient(hh_config(self.settings), auth=auth, clock=self.clock) as client:
                collector = Collector(
                    client,
                    self.vacancies,
                    progress=progress,
                    fetch_cards=self.fetch_cards,
                    on_progress=on_progress,
                )
                return await collector.collect(self.request)
        return await self._collect_trudvsem(progress, on_progress)

    async def _collect_trudvsem(
        self, progress: ProgressStore, on_progress: Callable[[int], None] | None
    ) -> CollectStats:
        request = TrudvsemRequest(
            regions=split_list(self.settings.trudvsem_regions),
            period_days=self.request.period_days,
            limit=self.request.limit,
        )
        async with TrudvsemClient(trudvsem_config(self.settings), clock=self.clock) as client:
            collector = TrudvsemCollector(client, self.vacancies, progress=progress, on_progress=on_progress)
            return await collector.collect(request)


def with_overrides(request: CollectRequest, **changes: Any) -> CollectRequest:
    """The settings' request with the command line's non-empty values."""
    return replace(request, **{key: value for key, value in changes.items() if value not in (None, [], "")})
