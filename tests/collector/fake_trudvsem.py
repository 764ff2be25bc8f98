"""A fake Работа России open-data API on 127.0.0.1, built from the real response in
../shared/data/samples/trudvsem_api_vacancies.json (its shape; the vacancies are generated).

``GET /vacancies`` and ``/vacancies/region/{code}`` page as the real API does: ``offset`` is a
page index, ``limit`` at most 100, newest ``date_modify`` first; page 100 and pages past the
end answer 500 (as reported for the real one). ``down`` makes every request answer 503, and
faults queue per request as in the fake hh.ru.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web
from loopback import serve

MAX_PAGES = 100
REGIONS = {
    "7700000000000": "г. Москва",
    "2200000000000": "Алтайский край",
    "7000000000000": "Томская область",
}
SKILLS = [["Python", "SQL", "Git"], ["1С", "Excel"], [], ["AutoCAD"], ["Java", "Spring"]]


def make_vacancy(index: int, *, modified: datetime, region: str = "7700000000000") -> dict[str, Any]:
    """One ``{"vacancy": {...}}`` as the API nests it, with the sample's fields."""
    company = f"10277000{index % 9:05d}"
    vacancy_id = f"5f37fb28-{index:04x}-11f1-8535-e714bd19e8c4"
    created = modified - timedelta(days=3)
    return {
        "vacancy": {
            "id": vacancy_id,
            "source": "Вакансия работодателя",
            "region": {"region_code": region, "name": REGIONS[region]},
            "company": {"companycode": company, "name": f'ООО "Компания {index % 9}"', "inn": "2205006790"},
            "creation-date": created.strftime("%Y-%m-%d"),
            "date_modify": modified.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "salary": f"от {60000 + index * 100}",
            "salary_min": 60000 + index * 100,
            "salary_max": 90000 + index * 100,
            "currency": "«руб.»",
            "job-name": ["Программист", "Бухгалтер", "Кладовщик", "Инженер-конструктор", "Разработчик Java"][
                index % 5
            ],
            "vac_url": f"https://trudvsem.ru/vacancy/card/{company}/{vacancy_id}",
            "employment": "Полная занятость",
            "schedule": "Полный рабочий день" if index % 3 else "Удаленная работа",
            "duty": "Разработка и сопровождение программ, работа с базами данных SQL и Git.",
            "requirements": "Знание Python, SQL; опыт работы с Excel приветствуется.",
            "category": {"specialisation": "Информационные технологии"},
            "requirement": {"education": "Высшее", "experience": index % 7},
            "addresses": {"address": [{"location": f"{REGIONS[region]}, ул. Ленина, {index}"}]},
            "typicalPosition": "Программист",
            "skills": SKILLS[index % len(SKILLS)],
        }
    }


def make_vacancies(
    n: int, *, newest: datetime | None = None, step: timedelta = timedelta(hours=1), **kwargs: Any
) -> list[dict[str, Any]]:
    """``n`` vacancies, newest first, one ``step`` apart."""
    newest = newest or datetime(2024, 1, 1, tzinfo=UTC)
    return [make_vacancy(i, modified=newest - step * i, **kwargs) for i in range(n)]


@dataclass
class FakeTrudvsem:
    vacancies: list[dict[str, Any]] = field(default_factory=list)
    down: bool = False
    faults: deque[tuple[int, str | None]] = field(default_factory=deque)  # (status, Retry-After)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""
    _runner: web.AppRunner | None = None

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/vacancies", self._listing)
        app.router.add_get("/vacancies/region/{code}", self._listing)
        self._runner, self.url = await serve(app)
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def pages_asked(self) -> list[int]:
        return [int(query.get("offset", 0)) for _, query in self.requests]

    async def _listing(self, request: web.Request) -> web.Response:
        self.requests.append((request.path, dict(request.query)))
        if self.down:
            return web.Response(status=503, text="Service Unavailable")
        if self.faults:
            status, retry_after = self.faults.popleft()
            headers = {"Retry-After": retry_after} if retry_after else {}
            return web.Response(status=status, text="error", headers=headers)
        page, limit = int(request.query.get("offset", 0)), int(request.query.get("limit", 100))
        if limit > 100:
            return web.json_response({"status": "400", "error": "limit must be at most 100"}, status=400)
        code = request.match_info.get("code")
        listed = [v for v in self.vacancies if code is None or v["vacancy"]["region"]["region_code"] == code]
        if page >= MAX_PAGES or (page > 0 and page >= math.ceil(len(listed) / limit)):
            return web.Response(status=500, text="Internal Server Error")
        chunk = listed[page * limit : (page + 1) * limit]
        body: dict[str, Any] = {"status": "200", "meta": {"total": len(listed), "limit": limit}}
        body["results"] = {"vacancies": chunk} if chunk else {}
        return web.json_response(body)
