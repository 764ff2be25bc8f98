"""A fake hh.ru API on 127.0.0.1 serving responses in the API's shape (its 2026 OpenAPI
specification and the samples in ../shared/data/samples/), with injectable faults.

``GET /vacancies`` filters by text, area, professional_role and date_from/date_to, pages
with page/per_page, reports ``found``/``pages`` like hh.ru and refuses to go past the
2,000-item depth (400). ``GET /vacancies/{id}`` serves the full card or 404. ``GET /areas``
serves a small tree (Russia, Belarus, Kazakhstan). ``POST /token`` issues application tokens
as hh.ru does: each new one revokes the previous, and a second request within 5 minutes
is refused. With ``captcha_after`` set, anonymous calls past that many get the captcha 403.
Faults are queued per route ("search" or "card") and consumed one per request.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web
from loopback import serve

DEPTH = 2000


@dataclass
class Fault:
    kind: str  # "429", "503", "malformed", "slow", "403" (bare), "captcha", "token_revoked", ...
    retry_after: str | None = None
    delay: float = 0.0
    vacancy_id: str | None = None  # a card fault for this id only


AREAS = [
    {"id": "113", "parent_id": None, "name": "Россия", "areas": [
        {"id": "1", "parent_id": "113", "name": "Москва", "areas": []},
        {"id": "2", "parent_id": "113", "name": "Санкт-Петербург", "areas": []},
    ]},
    {"id": "16", "parent_id": None, "name": "Беларусь", "areas": [
        {"id": "1002", "parent_id": "16", "name": "Минск", "areas": []},
    ]},
    {"id": "40", "parent_id": None, "name": "Казахстан", "areas": [
        {"id": "160", "parent_id": "40", "name": "Алматы", "areas": []},
    ]},
]  # fmt: skip
AREA_NAMES = {city["id"]: city["name"] for country in AREAS for city in country["areas"]}


def new_fields_only(card: dict[str, Any], *, mode: str = "MONTH", currency: str = "RUR") -> dict[str, Any]:
    """The card as hh.ru serves items published since May 2026: no salary, schedule or employment,
    their replacements instead (salary_range with its mode, work_format, employment_form)."""
    old = card["salary"]
    renewed = {k: v for k, v in card.items() if k not in ("salary", "schedule", "employment")}
    renewed["salary_range"] = {
        "from": old["from"] if mode == "MONTH" else 450,
        "to": old["to"],
        "currency": currency,
        "gross": False,
        "mode": {"id": mode, "name": "-"},
        "frequency": None,
    }
    remote = card["schedule"]["id"] == "remote"
    renewed["work_format"] = [{"id": "REMOTE" if remote else "ON_SITE", "name": "-"}]
    renewed["employment_form"] = {"id": "FULL", "name": "Полная"}
    renewed["work_schedule_by_days"] = [{"id": "FIVE_ON_TWO_OFF", "name": "5/2"}]
    renewed["working_hours"] = [{"id": "HOURS_8", "name": "8 часов"}]
    return renewed


def make_card(index: int, *, published_at: datetime, area: str = "1", role: str = "96") -> dict[str, Any]:
    skills = [["Python", "SQL"], ["Figma", "Photoshop"], ["Excel", "1С"], ["Python", "Django", "PostgreSQL"]][
        index % 4
    ]
    return {
        "id": str(100000 + index),
        "name": f"{'Python разработчик' if index % 4 != 1 else 'Дизайнер'} {index}",
        "area": {"id": area, "name": AREA_NAMES.get(area, "Санкт-Петербург")},
        "employer": {"id": str(500 + index % 7), "name": f"Компания {index % 7}"},
        "salary": {"from": 60000 + 1000 * (index % 50), "to": None, "currency": "RUR", "gross": False},
        "schedule": {"id": "remote" if index % 2 else "fullDay", "name": "-"},
        "experience": {"id": "noExperience" if index % 3 == 0 else "between1And3", "name": "-"},
        "employment": {"id": "full", "name": "Полная занятость"},
        "professional_roles": [{"id": role, "name": "Программист, разработчик"}],
        "published_at": published_at.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "alternate_url": f"https://hh.ru/vacancy/{100000 + index}",
        "description": f"<p>Ищем коллегу. Навыки: {', '.join(skills)}.</p>",
        "key_skills": [{"name": s} for s in skills],
        "archived": False,
    }


def make_cards(
    n: int, *, start: datetime | None = None, span_days: float = 29.0, **kwargs: Any
) -> list[dict]:
    start = start or datetime(2024, 1, 1, tzinfo=UTC) - timedelta(days=span_days)
    step = span_days * 86400 / max(n, 1)
    return [make_card(i, published_at=start + timedelta(seconds=step * i), **kwargs) for i in range(n)]


def list_item(card: dict[str, Any]) -> dict[str, Any]:
    """What the search returns for a card: no description, key_skills or employment."""
    item = {k: v for k, v in card.items() if k not in ("description", "key_skills", "employment", "archived")}
    item["snippet"] = {"requirement": card["description"][:40], "responsibility": None}
    return item


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace(" ", "+"))


def _card_time(card: dict[str, Any]) -> datetime:
    return datetime.strptime(card["published_at"], "%Y-%m-%dT%H:%M:%S%z")


@dataclass
class FakeHH:
    cards: list[dict[str, Any]] = field(default_factory=list)
    require_token: str | None = None
    card_delay: float = 0.0
    faults: dict[str, deque[Fault]] = field(default_factory=lambda: {"search": deque(), "card": deque()})
    # Listed in search, but their cards answer 404 (removed between search and fetch).
    gone_ids: set[str] = field(default_factory=set)
    # Anonymous calls past this many get the captcha 403 (hh.ru: after the first); None: never.
    captcha_after: int | None = None
    client_id: str = "test-client"
    client_secret: str = "test-secret"
    valid_tokens: set[str] = field(default_factory=set)  # what hh.ru currently accepts
    revoked_tokens: set[str] = field(default_factory=set)
    token_requests: list[datetime] = field(default_factory=list)
    now: Callable[[], datetime] = lambda: datetime.now(UTC)  # the tests' FakeClock, for the 5-minute rule
    token_refusals: int = 0
    anonymous_calls: int = 0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    user_agents: set[str] = field(default_factory=set)
    in_flight: int = 0
    max_in_flight: int = 0
    url: str = ""
    _runner: web.AppRunner | None = None

    def fault(self, route: str, *faults: Fault) -> None:
        self.faults[route].extend(faults)

    def count(self, route: str) -> int:
        """Requests to the search ("search") or to cards ("card")."""
        if route == "search":
            return sum(1 for path, _ in self.requests if path == "/vacancies")
        return sum(1 for path, _ in self.requests if path.startswith("/vacancies/"))

    def revoke_all(self) -> None:
        """hh.ru revoked every token it gave (as when the application's secret is reset)."""
        self.revoked_tokens |= self.valid_tokens
        self.valid_tokens.clear()

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/vacancies", self._search)
        app.router.add_get("/vacancies/{id}", self._card)
        app.router.add_get("/areas", self._areas)
        app.router.add_post("/token", self._token)
        self._runner, self.url = await serve(app)
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _guard(self, request: web.Request, route: str) -> web.Response | None:
        self.requests.append((request.path, dict(request.query)))
        self.user_agents.add(request.headers.get("User-Agent", ""))
        if self.require_token and request.headers.get("Authorization") != f"Bearer {self.require_token}":
            return _error(403, "forbidden")
        refused = self._check_token(request.headers.get("Authorization"))
        if refused is not None:
            return refused
        fault = self._next_fault(route, request.match_info.get("id"))
        if fault is None:
            return None
        if fault.kind == "429":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return web.json_response({"errors": [{"type": "too_many_requests"}]}, status=429, headers=headers)
        if fault.kind == "503":
            return _error(503, "service_unavailable")
        if fault.kind == "403":
            return web.Response(status=403, text="Forbidden")  # a bare refusal, as datacenter hosts get
        if fault.kind == "captcha":
            return _captcha()
        if fault.kind in ("bad_authorization", "token_expired", "token_revoked", "application_not_found"):
            return _error(403, "oauth", fault.kind)
        if fault.kind == "malformed":
            return web.Response(text='{"items": [ {"id": "1", ', content_type="application/json")
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
        return None

    def _next_fault(self, route: str, vacancy_id: str | None) -> Fault | None:
        queue = self.faults[route]
        for fault in queue:
            if fault.vacancy_id is None or fault.vacancy_id == vacancy_id:
                queue.remove(fault)
                return fault
        return None

    def _check_token(self, authorization: str | None) -> web.Response | None:
        if authorization is None:
            self.anonymous_calls += 1
            if self.captcha_after is not None and self.anonymous_calls > self.captcha_after:
                return _captcha()
            return None
        token = authorization.removeprefix("Bearer ")
        if token in self.revoked_tokens:
            return _error(403, "oauth", "token_revoked")
        if self.valid_tokens and token not in self.valid_tokens:
            return _error(403, "oauth", "bad_authorization")
        return None

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.requests.append((request.path, {}))
        if form.get("grant_type") != "client_credentials":
            return web.json_response({"error": "unsupported_grant_type"}, status=400)
        if (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret):
            return web.json_response(
                {"error": "invalid_client", "error_description": "account not found"}, status=400
            )
        now = self.now()
        if self.token_requests and now - self.token_requests[-1] < timedelta(minutes=5):
            self.token_refusals += 1
            return web.json_response(
                {"error": "invalid_request", "error_description": "token already issued"}, status=400
            )
        self.token_requests.append(now)
        token = f"app-token-{len(self.token_requests)}"
        self.revoke_all()  # a new application token revokes the previous one
        self.valid_tokens = {token}
        return web.json_response({"access_token": token, "token_type": "bearer"})

    async def _areas(self, request: web.Request) -> web.Response:
        self.requests.append((request.path, {}))
        return web.json_response(AREAS)

    async def _search(self, request: web.Request) -> web.Response:
        refused = await self._guard(request, "search")
        if refused is not None:
            return refused
        query = request.query
        page, per_page = int(query.get("page", 0)), int(query.get("per_page", 20))
        if (page + 1) * per_page > DEPTH:
            return _error(400, "bad_argument", "you can't look up more than 2000 items in the list")
        matches = [c for c in self.cards if _matches(c, query)]
        found = len(matches)
        chunk = matches[page * per_page : (page + 1) * per_page]
        body = {
            "items": [list_item(c) for c in chunk],
            "found": found,
            "pages": math.ceil(min(found, DEPTH) / per_page),
            "page": page,
            "per_page": per_page,
        }
        return web.json_response(body)

    async def _card(self, request: web.Request) -> web.Response:
        refused = await self._guard(request, "card")
        if refused is not None:
            return refused
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.card_delay:
                await asyncio.sleep(self.card_delay)
            card = next((c for c in self.cards if c["id"] == request.match_info["id"]), None)
        finally:
            self.in_flight -= 1
        if card is None or card["id"] in self.gone_ids:
            return _error(404, "not_found")
        return web.Response(text=json.dumps(card, ensure_ascii=False), content_type="application/json")


def _matches(card: dict[str, Any], query: Any) -> bool:
    if query.get("text") and query["text"].lower() not in card["name"].lower():
        return False
    if query.get("area") and card["area"]["id"] != query["area"]:
        return False
    if query.get("professional_role") and all(
        r["id"] != query["professional_role"] for r in card["professional_roles"]
    ):
        return False
    published = _card_time(card)
    if query.get("date_from") and published < _parse_time(query["date_from"]):
        return False
    return not (query.get("date_to") and published >= _parse_time(query["date_to"]))


def _captcha() -> web.Response:
    error = {
        "type": "captcha_required",
        "value": "captcha_required",
        "captcha_url": "https://hh.ru/account/captcha?state=x",
        "fallback_url": "https://hh.ru/x",
    }
    return web.json_response({"errors": [error], "request_id": "fake"}, status=403)


def _error(status: int, kind: str, value: str = "") -> web.Response:
    return web.json_response({"errors": [{"type": kind, "value": value}]}, status=status)
