"""An async client for the public hh.ru API: vacancy search pages and full cards.

hh.ru asks every client for a descriptive User-Agent (``HH-User-Agent`` too) and may
refuse anonymous access with 403; an OAuth token is sent when configured. Requests are
paced by a rate limiter, bounded by a semaphore and retried with exponential backoff on
429, 5xx, timeouts, connection errors and malformed bodies.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.collector.clock import Clock, SystemClock
from bot.collector.throttle import Backoff, RateLimiter, parse_retry_after

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.hh.ru"
# hh.ru never returns more than this many items for one search (page * per_page < 2000).
SEARCH_DEPTH_LIMIT = 2000
PER_PAGE = 100


class HHError(Exception):
    """A request that failed for good (after retries, or not retryable)."""


class HHAccessDenied(HHError):
    """403: hh.ru refused the request; anonymous access is often refused."""


class VacancyGone(HHError):
    """404 for a card: the vacancy was removed."""


@dataclass(frozen=True)
class HHClientConfig:
    user_agent: str
    base_url: str = DEFAULT_BASE_URL
    token: str | None = None
    rate_limit: float = 5.0
    concurrency: int = 4
    timeout: float = 20.0
    backoff: Backoff = field(default_factory=Backoff)


@dataclass(frozen=True)
class SearchPage:
    items: list[dict[str, Any]]
    found: int
    pages: int
    page: int


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class HHClient:
    """Use as ``async with HHClient(config) as client: await client.search({...})``."""

    def __init__(
        self, config: HHClientConfig, *, clock: Clock | None = None, rng: random.Random | None = None
    ):
        if not config.user_agent.strip():
            raise ValueError("hh.ru requires a descriptive User-Agent (set HH_USER_AGENT)")
        self.config = config
        self.clock = clock or SystemClock()
        self.rng = rng or random.Random()
        self.limiter = RateLimiter(config.rate_limit, self.clock)
        self._semaphore = asyncio.Semaphore(max(1, config.concurrency))
        self._session: aiohttp.ClientSession | None = None
        self.requests_made = 0
        self.retries = 0

    async def __aenter__(self) -> HHClient:
        headers = {"User-Agent": self.config.user_agent, "HH-User-Agent": self.config.user_agent}
        if self.config.token:
            headers["Authorization"] = f"Bearer {self.config.token}"
        self._session = aiohttp.ClientSession(
            base_url=self.config.base_url.rstrip("/") + "/",
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=self.config.timeout),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def search(self, params: dict[str, Any]) -> SearchPage:
        """One page of ``GET /vacancies``; ``params`` as hh.ru names them."""
        query = {"per_page": PER_PAGE, **{k: v for k, v in params.items() if v not in (None, "")}}
        body = await self._get_json("vacancies", query)
        items = body.get("items")
        if not isinstance(items, list):
            raise HHError("search response without an items list")
        return SearchPage(
            items=[item for item in items if isinstance(item, dict)],
            found=int(body.get("found") or 0),
            pages=int(body.get("pages") or 0),
            page=int(body.get("page") or 0),
        )

    async def vacancy(self, vacancy_id: str) -> dict[str, Any]:
        """The full card, ``GET /vacancies/{id}``; raises VacancyGone on 404."""
        return await self._get_json(f"vacancies/{vacancy_id}", {})

    async def _get_json(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        backoff = self.config.backoff
        attempt = 0
        while True:
            try:
                async with self._semaphore:
                    await self.limiter.acquire()
                    return await self._request_once(path, params)
            except _Retryable as exc:
                if attempt >= backoff.max_retries:
                    raise HHError(f"GET /{path} failed after {attempt + 1} attempts: {exc.reason}") from exc
                delay = backoff.delay(attempt, exc.retry_after, self.rng)
                if exc.retry_after is not None:
                    # A 429 is about the whole client, not this one request.
                    self.limiter.pause_until(delay)
                logger.info("GET /%s: %s, retry %d in %.2fs", path, exc.reason, attempt + 1, delay)
                self.retries += 1
                attempt += 1
                await self.clock.sleep(delay)

    async def _request_once(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        if self._session is None:
            raise RuntimeError("HHClient must be used as an async context manager")
        self.requests_made += 1
        try:
            async with self._session.get(path, params=params) as response:
                text = await response.text()
                self._raise_for_status(path, response, text)
        except TimeoutError as exc:
            raise _Retryable("timeout") from exc
        except aiohttp.ClientError as exc:
            raise _Retryable(f"connection error: {exc.__class__.__name__}") from exc
        try:
            body = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _Retryable("malformed JSON body") from exc
        if not isinstance(body, dict):
            raise _Retryable("JSON body is not an object")
        return body

    @staticmethod
    def _raise_for_status(path: str, response: aiohttp.ClientResponse, text: str) -> None:
        status = response.status
        if status < 400:
            return
        if status == 429:
            raise _Retryable("429 too many requests", parse_retry_after(response.headers.get("Retry-After")))
        if status >= 500:
            raise _Retryable(f"{status} server error", parse_retry_after(response.headers.get("Retry-After")))
        if status == 403:
            raise HHAccessDenied(
                f"hh.ru refused GET /{path} with 403 ({text[:200]!r}). Anonymous access may be refused: "
                "set HH_TOKEN to an OAuth token and HH_USER_AGENT to 'AppName/1.0 (contact@example.com)'."
            )
        if status == 404:
            raise VacancyGone(f"GET /{path}: 404 not found")
        raise HHError(f"GET /{path}: HTTP {status}: {text[:200]!r}")
