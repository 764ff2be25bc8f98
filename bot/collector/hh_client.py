"""An async client for the hh.ru API as it answers in 2026: search pages, cards, the areas tree.

hh.ru wants a descriptive User-Agent (``HH-User-Agent`` too) and, for vacancy search, an
application token (bot/collector/hh_auth.py): without one it asks for a captcha after the
first request. Its 403 bodies are read, never retried: a captcha, a rejected token (renewed
once) and a bare refusal each end the run with their own one-line reason.
"""

from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass, field
from typing import Any

from bot.collector.clock import Clock
from bot.collector.errors import RecordGone, SourceError, SourceStopped
from bot.collector.hh_auth import DOCS, TOKEN_PROBLEMS, HHAuth
from bot.collector.http import (
    DEFAULT_CONCURRENCY,
    DEFAULT_MAX_WAIT,
    DEFAULT_RATE_LIMIT,
    HttpConfig,
    JsonApiClient,
    Reply,
)
from bot.collector.throttle import Backoff

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.hh.ru"
# hh.ru never returns more than this many items for one search (page * per_page < 2000).
SEARCH_DEPTH_LIMIT = 2000
PER_PAGE = 100

CAPTCHA_ADVICE = f"hh.ru wants an application token: set HH_CLIENT_ID and HH_CLIENT_SECRET ({DOCS})"
HOST_REFUSED = f"hh.ru refuses requests from this host (a bare 403): collect from another address ({DOCS})"

# The names the rest of the collector has always used for the shared failures.
HHError = SourceError
HHAccessDenied = SourceStopped
VacancyGone = RecordGone


@dataclass(frozen=True)
class HHClientConfig:
    user_agent: str
    base_url: str = DEFAULT_BASE_URL
    rate_limit: float = DEFAULT_RATE_LIMIT
    concurrency: int = DEFAULT_CONCURRENCY
    timeout: float = 20.0
    max_wait: float = DEFAULT_MAX_WAIT
    backoff: Backoff = field(default_factory=Backoff)

    def http(self) -> HttpConfig:
        return HttpConfig(
            base_url=self.base_url,
            user_agent=self.user_agent,
            rate_limit=self.rate_limit,
            concurrency=self.concurrency,
            timeout=self.timeout,
            max_wait=self.max_wait,
            backoff=self.backoff,
        )


@dataclass(frozen=True)
class SearchPage:
    items: list[dict[str, Any]]
    found: int
    pages: int
    page: int


class _RejectedToken(Exception):
    def __init__(self, problem: str, token: str | None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.token = token


class HHClient(JsonApiClient):
    """Use as ``async with HHClient(config, auth=HHAuth(...)) as client: await client.search({...})``."""

    source_name = "hh.ru"

    def __init__(
        self,
        config: HHClientConfig,
        *,
        auth: HHAuth | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ):
        if not config.user_agent.strip():
            raise ValueError("hh.ru requires a descriptive User-Agent (set HH_USER_AGENT)")
        super().__init__(config.http(), clock=clock, rng=rng)
        self.config = config
        self.auth = auth or HHAuth()
        self.auth.sleep = self.clock.sleep
        self._areas: list[dict[str, Any]] | None = None

    async def __aenter__(self) -> HHClient:
        await super().__aenter__()
        return self

    async def search(self, params: dict[str, Any]) -> SearchPage:
        """One page of ``GET /vacancies``; ``params`` as hh.ru names them."""
        query = {"per_page": PER_PAGE, **{k: v for k, v in params.items() if v not in (None, "")}}
        body = await self.get_json("vacancies", query)
        items = body.get("items") if isinstance(body, dict) else None
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
        body = await self.get_json(f"vacancies/{vacancy_id}", {})
        if not isinstance(body, dict):
            raise HHError(f"GET /vacancies/{vacancy_id}: the card is not an object")
        return body

    async def areas(self) -> list[dict[str, Any]]:
        """hh.ru's areas tree (``GET /areas``: countries, their regions and cities), once per client."""
        if self._areas is None:
            body = await self.get_json("areas", {})
            if not isinstance(body, list):
                raise HHError("GET /areas: the tree is not a list")
            self._areas = [node for node in body if isinstance(node, dict)]
        return self._areas

    async def get_json(self, path: str, params: dict[str, Any]) -> Any:
        """As the shared client, plus one token renewal when hh.ru rejects the token."""
        while True:
            try:
                return await super().get_json(path, params)
            except _RejectedToken as rejected:
                try:
                    await self.auth.renew(
                        rejected.token, rejected.problem, self._post_token, self.clock.now()
                    )
                except SourceStopped as exc:
                    raise self.stop(exc.reason) from rejected

    async def request_headers(self) -> dict[str, str]:
        headers = {"HH-User-Agent": self.config.user_agent}
        try:
            token = await self.auth.current(self._post_token, self.clock.now())
        except SourceStopped as exc:
            raise self.stop(exc.reason) from exc
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    async def _post_token(self, form: dict[str, str]) -> Reply:
        await self.limiter.acquire()
        return await self.send("POST", "token", data=form, headers={"HH-User-Agent": self.config.user_agent})

    def refused(self, path: str, reply: Reply, sent_headers: dict[str, str]) -> None:
        """Read a 403's ``errors`` (hh.ru's OpenAPI spec): captcha, a bad token, or a bare refusal."""
        values = _error_values(reply.text)
        if "captcha_required" in values:
            raise self.stop(CAPTCHA_ADVICE)
        problem = next((value for value in values if value in TOKEN_PROBLEMS), None)
        if problem is not None:
            sent = sent_headers.get("Authorization", "").removeprefix("Bearer ") or None
            raise _RejectedToken(problem, sent)
        raise self.stop(HOST_REFUSED)


def _error_values(text: str) -> set[str]:
    """Every ``type`` and ``value`` in an hh.ru error body; empty for a body that is not one."""
    try:
        body = json.loads(text)
    except json.JSONDecodeError:
        return set()
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return set()
    found: set[str] = set()
    for error in errors:
        if isinstance(error, dict):
            found.update(str(error[key]) for key in ("type", "value") if error.get(key))
    return found
