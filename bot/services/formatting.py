"""Turn recommendations and salary grids into Telegram HTML within Telegram's limits.

Every value that comes from a user or a vacancy is escaped here; the texts in bot/texts.py
are trusted HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot.services.advisor import PAGE_SIZE, Answer, SalaryAnswer
from bot.services.titles import title_for
from bot.texts import EMPLOYMENT_LABELS, MONTHS, PAY_WORDS, plural, t
from recommender.data.cities import find_city
from recommender.data.models import EXPERIENCE_LABELS, SCHEDULE_LABELS
from recommender.data.money import PublishedPay, format_pay, format_thousands

# RECENT_DAYS: one window for "recent" everywhere: such vacancies lead their tier, are dated
# "N дней назад", and an answer whose newest is older says so first.
from recommender.recommend import RECENT_DAYS, RUSSIA, Filters, hh_search_url, trudvsem_search_url
from recommender.recommend.fields import EARLY_CAREER, is_senior_title
from recommender.salary.table import compact_rows, compact_value

if TYPE_CHECKING:
    from recommender.salary import SalaryGrid
    from recommender.salary.grid import SalaryCell
    from recommender.skills.understand import Understood

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
MAX_TERMS_SHOWN = 15
MAX_SKILLS_PER_VACANCY = 8
_URL = re.compile(r"^https?://[^\s\"'<>]+$")
ROUBLES = ("RUR", "RUB")


def esc(value: object) -> str:
    return html.escape(str(value), quote=False)


def clip(value: object, limit: int) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def join_escaped(items: Iterable[str], limit: int = MAX_TERMS_SHOWN) -> str:
    items = list(items)
    shown = ", ".join(esc(clip(item, 60)) for item in items[:limit])
    return shown + (f" (+{len(items) - limit})" if len(items) > limit else "")


def recognition_text(lang: str, answer: Answer) -> str:
    """What was recognized, "did you mean" for unknown terms, the specialization and what to learn."""
    rec = answer.recommendation
    blocks = []
    if rec.skills_recognized:
        blocks.append(
            t(lang, "recognized", skills=join_escaped(answer.display(s, lang) for s in rec.skills_recognized))
        )
    blocks.extend(unknown_lines(lang, rec.unknown_terms, answer.display_in(lang)))
    if not rec.skills_recognized:
        blocks.append(t(lang, "nothing_recognized"))
        return "\n".join(blocks)
    if rec.specialization is not None:
        spec = rec.specialization
        top = [f"{answer.display(s.skill, lang)} {percent(s.share)}" for s in spec.top_skills[:8]]
        label = f"{spec.label} / {spec.second.label}" if spec.second else spec.label  # two close fields
        label = title_for(lang, label)
        blocks.append("\n" + t(lang, "specialization", label=esc(clip(label, 200))))
        sector = getattr(rec, "sector", None)
        if sector is not None and sector.thin:  # say so rather than name a field of another sector
            name = sector.name_en if lang == "en" else sector.name_ru
            blocks.append(t(lang, "sector_thin", sector=esc(name), count=sector.vacancies))
        if top:
            blocks.append(t(lang, "specialization_skills", skills=join_escaped(top)))
    # a skill the user typed with a typo is not advised back to them
    blocks.extend(
        learn_lines(lang, rec.skills_to_learn, answer.display_in(lang), not_advised=answer.query.typo_targets)
    )
    return fit("\n".join(blocks))


def learn_lines(
    lang: str, to_learn: Sequence[Any], display: Callable[[str], str], *, not_advised: Collection[str] = ()
) -> list[str]:
    """The skills to learn (``Recommendation.skills_to_learn``) with their shares, under a header;
    none when there is nothing to learn. The one builder: the answer's recognition and /skills
    show the same list."""
    learn = [a for a in to_learn if a.skill not in not_advised]
    if not learn:
        return []
    header = "\n" + t(lang, "learn_header")
    return [header, *(f"• {esc(clip(display(a.skill), 60))}: {percent(a.share)}" for a in learn[:10])]


def unknown_lines(lang: str, unknown_terms: Sequence[Any], display: Callable[[str], str]) -> list[str]:
    if not unknown_terms:
        return []
    lines = [t(lang, "unknown", terms=join_escaped(u.term for u in unknown_terms))]
    for term in unknown_terms[:5]:
        if term.suggestions:
            suggestions = ", ".join(f"<code>{esc(display(s))}</code>" for s in term.suggestions[:3])
            lines.append(t(lang, "did_you_mean", term=esc(clip(term.term, 60)), suggestions=suggestions))
    return lines


def correction_note(lang: str, term: str, skill_name: str) -> str:
    """ "Понял «pyton» как Python.": a typed term read as a skill (corrected, or a typo button)."""
    return t(lang, "corrected", term=esc(clip(term, 60)), skill=esc(skill_name))


def understanding_notes(lang: str, understood: Understood, display: Callable[[str], str]) -> list[str]:
    """What the library read into a typed text: each correction, and a job title read as its field."""
    notes = [correction_note(lang, c.term, display(c.skill)) for c in understood.corrections]
    if understood.title is not None:
        skills = join_escaped(display(s) for s in understood.query.skills)
        notes.append(t(lang, "title_as_field", title=esc(clip(understood.title, 60)), skills=skills))
    return notes


def vacancies_text(lang: str, answer: Answer, *, today: date | None = None) -> str:
    rec = answer.recommendation
    old = stale_line(lang, rec.vacancies, today)
    blocks = [old] if old else []
    if answer.relaxed:
        blocks.append(relaxed_note(lang, answer))
    links = answer_links(lang, answer)
    if not rec.vacancies:
        blocks += [t(lang, "no_more" if answer.page > 0 else "no_vacancies"), links]
        return fit_keeping_last("\n\n".join(blocks[:-1]), links)
    start = answer.page * PAGE_SIZE + 1
    end = start + len(rec.vacancies) - 1
    strong = int(rec.total_vacancies)
    weaker = max(int(getattr(rec, "total_candidates", 0)) - strong, 0)
    extras = [t(lang, "strong_count", count=strong)] if weaker else []
    if answer.filters.sort != "relevance":
        extras.append(sort_label(lang, answer.filters.sort, stale=bool(old)).lower())
    header = t(lang, "vacancies_header", start=start, end=end, total=max(strong + weaker, end))
    if extras:
        header = header.rstrip(":") + " · " + " · ".join(extras) + ":"
    blocks.append(header)
    mark_senior = answer.filters.experience in EARLY_CAREER
    typos = answer.query.typo_targets
    display = answer.display_in(lang)
    for number, vacancy in enumerate(rec.vacancies, start=start):
        if number == strong + 1 and weaker:
            blocks.append(t(lang, "weaker_header"))
        blocks.append(
            vacancy_block(
                lang, number, vacancy, display, mark_senior=mark_senior, today=today, not_lacking=typos
            )
        )
    period = period_text(lang, answer.bundle.data_period if answer.bundle is not None else None)
    if period and not old:
        blocks.append(period)
    return fit_keeping_last("\n\n".join(blocks), links)


def newest_published(vacancies: Iterable[Any]) -> date | None:
    """The publication date of the newest of the vacancies (None when none has a date)."""
    days = []
    for vacancy in vacancies:
        try:
            days.append(date.fromisoformat(str(getattr(vacancy, "published_at", None) or "")[:10]))
        except ValueError:
            continue
    return max(days, default=None)


def is_stale(newest: date | None, today: date | None = None) -> bool:
    return newest is not None and ((today or datetime.now(UTC).date()) - newest).days > RECENT_DAYS


def stale_line(lang: str, vacancies: Sequence[Any], today: date | None = None) -> str:
    """ "Вакансии собраны до 6 ноя 2021 — многие уже закрыты" when even the newest vacancy
    shown is older than RECENT_DAYS; "" otherwise."""
    newest = newest_published(vacancies)
    if newest is None or not is_stale(newest, today):
        return ""
    return "⏳ " + t(lang, "stale_vacancies", date=short_date(lang, newest))


def sort_label(lang: str, sort: str, *, stale: bool = False) -> str:
    """The sort's name; "newest first" only when the newest vacancies are new."""
    return t(lang, "sort_date_old" if sort == "date" and stale else f"sort_{sort}")


def area_id_of(area: str | None) -> str | None:
    """hh's area id of a city filter: an id as it is, a city by any of its spellings (find_city)."""
    if not area:
        return None
    if area.isdigit():
        return area
    city = find_city(area)
    return city.area_id or None if city is not None else None


def search_links_line(lang: str, skills: Sequence[str], title: str, filters: Filters) -> str:
    """Links opening today's vacancies at hh.ru and Работа России for the same skills, city,
    experience and remote work: the stored vacancies age, these never do."""
    if not skills:
        return ""
    area_id = area_id_of(filters.area)
    hh = hh_search_url(
        skills, area_id=area_id, experience=filters.experience, remote=filters.schedule == "remote"
    )
    trudvsem = trudvsem_search_url(title or skills[0], area_id=area_id)
    return "🔎 " + t(
        lang, "live_links", hh=html.escape(hh, quote=True), trudvsem=html.escape(trudvsem, quote=True)
    )


def answer_links(lang: str, answer: Answer) -> str:
    """The live search links of an answer: the user's own filters, even when some were relaxed."""
    rec = answer.recommendation
    skills = [answer.display(s) for s in rec.skills_recognized]  # searched as the sites write them
    specialization = getattr(rec, "specialization", None)
    title = str(getattr(specialization, "label", "") or "")
    return search_links_line(lang, skills, title, answer.filters_asked)


def fit_keeping_last(text: str, last: str) -> str:
    """``text`` then ``last`` within the message limit: ``text`` is cut, never ``last``."""
    if not last:
        return fit(text)
    return fit(text, MESSAGE_LIMIT - len(last) - 2) + "\n\n" + last


def relaxed_note(lang: str, answer: Answer) -> str:
    """Which of the user's filters had to go to find anything, one line each."""
    lines = []
    wanted = answer.filters_asked
    steps = [s for s in answer.relaxed if not (s == "remote" and "area" in answer.relaxed)]
    for step in steps:
        values = {
            "city": esc(clip(wanted.area or "", 60)),
            "minimum": format_thousands(wanted.min_salary),
            "employment": esc(
                EMPLOYMENT_LABELS.get(lang, {}).get(wanted.employment or "", wanted.employment or "")
            ),
            "schedule": esc(SCHEDULE_LABELS.get(lang, {}).get(wanted.schedule or "", wanted.schedule or "")),
            "experience": esc(
                EXPERIENCE_LABELS.get(lang, {}).get(wanted.experience or "", wanted.experience or "")
            ),
        }
        lines.append("⚠️ " + t(lang, f"relaxed_{step}", **values))
    return "\n".join(lines)


def period_text(lang: str, period: Any) -> str:
    """The period the vacancies were published in, said on every answer: links may be archived."""
    if not period:
        return ""
    first, last = period
    return t(lang, "data_period", first=short_date(lang, first), last=short_date(lang, last))


def short_date(lang: str, day: date) -> str:
    return f"{day.day} {MONTHS[lang if lang in MONTHS else 'ru'][day.month - 1]} {day.year}"


def published_text(lang: str, published: str | None, today: date | None = None) -> str:
    """ "сегодня", "вчера", "5 дней назад" for recent publications, the date for older ones."""
    if not published:
        return ""
    try:
        day = date.fromisoformat(published[:10])
    except ValueError:
        return ""
    today = today or datetime.now(UTC).date()
    age = (today - day).days
    if 0 <= age <= 1:
        return t(lang, "published_today" if age == 0 else "published_yesterday")
    if 1 < age <= RECENT_DAYS:
        return t(lang, "published_days_ago", days=age, word=plural(lang, age, "day"))
    return short_date(lang, day)


def pay_text(lang: str, pay: PublishedPay) -> str:
    """A published salary in the reader's language and its own currency: "от 80 000 ₽",
    "up to 80,000 ₽ (before tax)", "1 500–2 000 $ в час" (``format_pay`` with the language's words)."""
    words = PAY_WORDS.get(lang, PAY_WORDS["ru"])
    return format_pay(pay.low, pay.high, pay.currency, pay.gross, pay.period, words=words)


def salary_year_note(lang: str, published: str | None, today: date | None = None) -> str:
    """ " (в рублях 2021 г.)" after a salary published before this year: the grid beside it may
    be in today's roubles (SALARY_MONEY), and a student should not read 2021 pay as today's."""
    if not published or not published[:4].isdigit():
        return ""
    year = int(published[:4])
    if year >= (today or datetime.now(UTC).date()).year:
        return ""
    return " " + t(lang, "salary_money_year", year=year)


def vacancy_block(
    lang: str,
    number: int,
    vacancy: Any,
    display: Callable[[str], str],
    *,
    mark_senior: bool = False,
    today: date | None = None,
    not_lacking: Collection[str] = (),
) -> str:
    """One vacancy as answers and digests show it: the one vacancy formatter. ``not_lacking``:
    skills never listed as lacking (what the user meant by a typo)."""
    title = esc(clip(vacancy.title or "—", 150))
    url = str(vacancy.url or "")
    head = (
        f'{number}. <a href="{html.escape(url, quote=True)}">{title}</a>'
        if _URL.match(url)
        else f"{number}. {title}"
    )
    if mark_senior and is_senior_title(vacancy.title):
        head += " " + t(lang, "senior_mark")
    country = getattr(vacancy, "country", "") or ""
    abroad = country if country != RUSSIA else ""
    where = ", ".join(esc(clip(part, 80)) for part in (vacancy.employer, vacancy.area, abroad) if part)
    pay = vacancy.pay
    in_roubles = pay is not None and pay.currency.upper() in ROUBLES
    salary = (
        esc(clip(pay_text(lang, pay), 80))
        + (salary_year_note(lang, getattr(vacancy, "published_at", None), today) if in_roubles else "")
        if pay is not None
        else t(lang, "salary_unknown")
    )
    lines = [head, f"{where} · {salary}" if where else salary]
    facts = [
        published_text(lang, getattr(vacancy, "published_at", None), today),
        SCHEDULE_LABELS.get(lang, {}).get(getattr(vacancy, "schedule", None) or "", ""),
        EXPERIENCE_LABELS.get(lang, {}).get(getattr(vacancy, "experience", None) or "", ""),
        EMPLOYMENT_LABELS.get(lang, {}).get(getattr(vacancy, "employment", None) or "", ""),
    ]
    if any(facts):
        lines.append("🗓 " + " · ".join(esc(f) for f in facts if f))
    if vacancy.matched_skills:
        lines.append(
            t(
                lang,
                "have",
                skills=join_escaped((display(s) for s in vacancy.matched_skills), MAX_SKILLS_PER_VACANCY),
            )
        )
    missing = [s for s in vacancy.missing_skills if s not in not_lacking]
    if missing:
        lines.append(
            t(lang, "lack", skills=join_escaped((display(s) for s in missing), MAX_SKILLS_PER_VACANCY))
        )
    posted = posted_on_line(lang, url, getattr(vacancy, "also_at", ()) or ())
    if posted:
        lines.append(posted)
    return "\n".join(lines)


def site_of(url: str) -> str:
    """The source a vacancy link opens: 'hh' (hh.ru and its regional hosts), 'trudvsem', or ''."""
    host = urlsplit(url).hostname or ""
    if host == "hh.ru" or host.endswith(".hh.ru"):
        return "hh"
    return "trudvsem" if host == "trudvsem.ru" or host.endswith(".trudvsem.ru") else ""


def posted_on_line(lang: str, url: str, also_at: Sequence[str]) -> str:
    """'🔗 Опубликована: hh.ru · Работа России', each name a link, when the same job is posted on
    more than one source (merged by ``recommender.data.dedupe``); '' for a single posting."""
    links = [link for link in dict.fromkeys([url, *also_at]) if _URL.match(link)]
    if len(links) < 2:
        return ""
    named = (f'<a href="{html.escape(link, quote=True)}">{_site_name(lang, link)}</a>' for link in links)
    return t(lang, "posted_on", links=" · ".join(named))


def _site_name(lang: str, url: str) -> str:
    site = site_of(url)
    return t(lang, "site_" + site) if site else esc(urlsplit(url).hostname or url)


def percent(share: float) -> str:
    return f"{round(100 * float(share))}%"


def saved_text(lang: str, items: Sequence[Any], facts: Mapping[str, Any], today: date | None = None) -> str:
    """/saved: each saved vacancy as a linked title and employer, then its salary, publication
    date (``facts``: what the serving corpus knows of it, by id) and the day it was saved."""
    lines = [t(lang, "saved_header", count=len(items))]
    for number, item in enumerate(items, start=1):
        title = esc(clip(item.title or item.vacancy_key, 150))
        url = str(item.url or "")
        head = f'<a href="{html.escape(url, quote=True)}">{title}</a>' if _URL.match(url) else title
        employer = f" — {esc(clip(item.employer, 80))}" if item.employer else ""
        lines.append(f"{number}. {head}{employer}")
        lines.append("   " + " · ".join(_saved_details(lang, item, facts.get(item.vacancy_key), today)))
    lines.append(t(lang, "saved_remove_help"))
    return fit("\n".join(lines))


def _saved_details(lang: str, item: Any, known: Any, today: date | None) -> list[str]:
    """Salary and publication date when the serving corpus still holds the vacancy; the day saved."""
    details = []
    if known is not None:
        salary = pay_text(lang, known.pay) if known.pay is not None else t(lang, "salary_unknown")
        details.append(esc(clip(salary, 80)))
        if known.published_at:
            details.append(t(lang, "saved_published", date=published_text(lang, known.published_at, today)))
    details.append(t(lang, "saved_on", date=short_date(lang, item.saved_at.date())))
    return details


def filters_line(lang: str, filters: Filters) -> str:
    """The active filters in words, for the answer and the digest preview."""
    parts = []
    if filters.area:
        parts.append(esc(clip(filters.area, 60)))
    for value, labels in (
        (filters.experience, EXPERIENCE_LABELS),
        (filters.schedule, SCHEDULE_LABELS),
        (filters.employment, EMPLOYMENT_LABELS),
    ):
        if value:
            parts.append(esc(labels.get(lang, {}).get(value, value)))
    if filters.min_salary:
        parts.append(t(lang, "filter_min_salary_value", value=format_thousands(filters.min_salary)))
    elif filters.with_salary:
        parts.append(t(lang, "filter_with_salary"))
    return ", ".join(parts) or t(lang, "not_set")


def _cell_range(cell: SalaryCell) -> str:
    # the compact table's figure (≈ on the cells the chart calls thin) and the cell's quartiles
    return f"{compact_value(cell)} [{format_thousands(cell.p25)}–{format_thousands(cell.p75)}]"


def salary_text(lang: str, answer: SalaryAnswer) -> str:
    """The grid as the chart shows it: the user's cell first, then a monospace table of the
    same schedules (experience across, medians in thousands), rare schedules in a note, and
    the year of the money."""
    grid = answer.grid
    shown, rare = grid.schedules_shown()
    sched_labels = SCHEDULE_LABELS.get(lang, SCHEDULE_LABELS["ru"])
    skills = join_escaped(answer.display(s, lang) for s in answer.skills) or "—"
    parts = [t(lang, "salary_header", skills=skills), *salary_lead(lang, answer, shown)]
    parts.append("<pre>" + esc("\n".join(salary_table(lang, answer, shown))) + "</pre>")
    if answer.highlight is not None and answer.highlight[0] in shown:
        parts.append(t(lang, "salary_marks"))
    if any(c.extrapolated for c in grid.cells if c.schedule in shown):
        parts.append(t(lang, "salary_thin"))
    if rare:
        parts.append(t(lang, "salary_rare", names=esc(", ".join(sched_labels.get(s, s) for s in rare))))
    parts.append(salary_calibration(lang, grid))
    parts.append(salary_period(lang, grid))
    return fit("\n".join(p for p in parts if p))


def salary_calibration(lang: str, grid: SalaryGrid) -> str:
    """Says the grid's level was moved toward the listed vacancies of the user's cell, and how many."""
    count = getattr(grid, "calibrated_on", 0)
    if not count:
        return ""
    where = t(lang, "salary_calibrated_city") if grid.area else ""
    return t(lang, "salary_calibrated", n=count, where=where)


def salary_period(lang: str, grid: SalaryGrid) -> str:
    """Which year's roubles, from which years' vacancies: on every salary answer."""
    if not getattr(grid, "money_year", 0):
        return ""
    key = "salary_period_estimate" if grid.estimate else "salary_period"
    return t(lang, key, period=esc(grid.period() or grid.money_year), money=grid.money_year)


def salary_lead(lang: str, answer: SalaryAnswer, shown: Sequence[str]) -> list[str]:
    """The answer leads with the user's own cell when known, else with the best-supported schedule."""
    sched_labels = SCHEDULE_LABELS.get(lang, SCHEDULE_LABELS["ru"])
    exp_labels = EXPERIENCE_LABELS.get(lang, EXPERIENCE_LABELS["ru"])
    if answer.highlight is not None:
        schedule, experience = answer.highlight
        cell = next((c for c in answer.grid.cells if (c.schedule, c.experience) == answer.highlight), None)
        if cell is not None:
            return [
                t(
                    lang,
                    "salary_yours",
                    schedule=esc(sched_labels.get(schedule, schedule)),
                    experience=esc(exp_labels.get(experience, experience)),
                    value=esc(_cell_range(cell)),
                )
            ]
    if not shown:
        return []
    lines = [t(lang, "salary_lead", schedule=esc(sched_labels.get(shown[0], shown[0])))]
    for cell in answer.grid.cells:
        if cell.schedule == shown[0]:
            lines.append(f"{esc(exp_labels.get(cell.experience, cell.experience))}: {esc(_cell_range(cell))}")
    return lines


def salary_table(lang: str, answer: SalaryAnswer, shown: Sequence[str]) -> list[str]:
    """Rows of the monospace table (``recommender.salary.table.compact_rows``) in ``lang``."""
    return compact_rows(
        answer.grid, shown, schedules=SCHEDULE_LABELS.get(lang, SCHEDULE_LABELS["ru"]),
        years=t(lang, "salary_years"), highlight=answer.highlight,
    )  # fmt: skip


def fit(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """Last-resort guard: cut at a line break so no tag is left open (blocks close their tags
    on the line they open them)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 2].rsplit("\n", 1)[0]
    return cut + "\n…"


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split at paragraph and line boundaries into chunks Telegram accepts."""
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # one enormous line: plain-text cut (only for escaped text)
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current:
        chunks.append(current)
    return [c for c in chunks if c.strip()]
