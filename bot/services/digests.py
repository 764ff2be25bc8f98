"""What a digest contains: composed one way for the scheduled send and for the /digest preview.

Freshly collected vacancies (not yet in the trained corpus) are ranked with the answers'
own call (``recommend`` on ``bundle.recommender_over(fresh)``: the same ranking, ``Filters``
and hidden vacancies) and shown with the answers' vacancy formatter.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.services.advisor import display_skill
from bot.services.answering import filters_of
from bot.services.formatting import (
    filters_line,
    fit,
    fit_keeping_last,
    join_escaped,
    search_links_line,
    stale_line,
    vacancy_block,
)
from bot.services.model_holder import ModelHolder
from bot.storage import Repository, UserProfile
from bot.storage.digests import EARLY_SLACK, PERIODS, DigestRepository, Subscriber
from bot.storage.vacancies import StoredVacancy, VacancyRepository
from bot.texts import t
from recommender.data import Vacancy
from recommender.data.cities import MOSCOW_OFFSET, city_by_id, find_city
from recommender.recommend.fields import EARLY_CAREER

if TYPE_CHECKING:
    from recommender.bundle import Bundle
    from recommender.recommend import Recommender, VacancyMatch

logger = logging.getLogger(__name__)

DIGEST_SIZE = 5
MAX_FRESH = 5000  # vacancies considered in one tick
DIGEST_TICK = timedelta(minutes=1)  # how often the worker looks for due digests (digest_tick_seconds)


@dataclass(frozen=True, slots=True)
class FreshBatch:
    """Collected vacancies parsed and indexed once per run, shared by every subscriber."""

    bundle: Bundle
    recommender: Recommender  # a recommender over exactly these vacancies
    cursors: dict[str, tuple[datetime, str]]  # vacancy key → (first_seen_at, key)


@dataclass(frozen=True, slots=True)
class DigestPlan:
    """The next digest of one subscriber: its text (None when nothing fits) and the cursor
    to store once it is sent (None when there was nothing new at all)."""

    text: str | None
    vacancy_keys: list[str]
    cursor: tuple[datetime, str] | None


def build_batch(bundle: Bundle, rows: Sequence[StoredVacancy]) -> FreshBatch:
    """Index stored vacancies for ranking (thread)."""
    vacancies: list[Vacancy] = []
    cursors: dict[str, tuple[datetime, str]] = {}
    for row in rows:
        if row.key not in cursors:
            vacancies.append(row.vacancy)
        cursors[row.key] = (row.first_seen_at, row.key)
    return FreshBatch(bundle, bundle.recommender_over(vacancies), cursors)


def compose(
    batch: FreshBatch, subscriber: Subscriber, hidden: Collection[str] = (), today: date | None = None
) -> DigestPlan:
    """The subscriber's next digest from the batch: only vacancies past their cursor (thread);
    ranked as answers are, ``today`` (the sender's date) leading with the recent ones."""
    after = (subscriber.cursor_at, subscriber.cursor_key or "") if subscriber.cursor_at else None
    old = {vid for vid, cursor in batch.cursors.items() if after is not None and cursor <= after}
    mine = [cursor for vid, cursor in batch.cursors.items() if vid not in old]
    if not mine:
        return DigestPlan(None, [], None)
    cursor = max(mine)
    if not subscriber.skills:
        return DigestPlan(None, [], cursor)
    # the vacancies alone: a digest shows no specialization, advice nor fields to choose
    ranking = batch.recommender.rank(
        batch.bundle.query_of_profile(subscriber.skills), field=subscriber.field_choice
    )
    if ranking is None:
        return DigestPlan(None, [], cursor)
    listing = batch.recommender.vacancies(
        ranking, filters_of(subscriber), DIGEST_SIZE, exclude_keys=old | set(hidden), today=today
    )
    # strong matches and weaker ones sharing a skill; never a vacancy with none of the user's skills
    items = listing.vacancies[: listing.total_candidates]
    if not items:
        return DigestPlan(None, [], cursor)
    return DigestPlan(digest_text(subscriber, items, batch.bundle), [v.key for v in items], cursor)


def digest_text(subscriber: Subscriber, items: Sequence[VacancyMatch], bundle: Bundle | None) -> str:
    lang = subscriber.language
    skills = join_escaped(display_skill(bundle, s, lang) for s in subscriber.skills)
    header = t(lang, "digest_header", skills=skills)
    mark_senior = subscriber.experience in EARLY_CAREER
    display = lambda skill: display_skill(bundle, skill, lang)  # noqa: E731
    old = stale_line(lang, items)
    blocks = ([old] if old else []) + [header]
    blocks += [
        vacancy_block(lang, n, item, display, mark_senior=mark_senior)
        for n, item in enumerate(items, start=1)
    ]
    links = search_links_line(
        lang,
        [display_skill(bundle, s) for s in subscriber.skills],  # searched as the sites write them
        display_skill(bundle, subscriber.skills[0]),
        filters_of(subscriber),
    )
    return fit_keeping_last("\n\n".join(blocks), links)


def next_digest_at(
    subscriber: Subscriber | None, last_sent_at: datetime | None, now: datetime, tick: timedelta = DIGEST_TICK
) -> datetime:
    """When the next digest may go out: a period after the last one, and not before the worker's
    next look (within a tick from now)."""
    soonest = now + tick
    if subscriber is None or last_sent_at is None:
        return soonest
    period = PERIODS.get(subscriber.frequency, PERIODS["weekly"])
    return max(soonest, last_sent_at + period - EARLY_SLACK)


def utc_offset_of(subscriber: Subscriber) -> int:
    """The subscriber's city's UTC offset in hours; Moscow's when the city is unknown or unset."""
    city = city_by_id(subscriber.city_id) or find_city(subscriber.city_name)
    return city.utc_offset if city is not None and city.utc_offset is not None else MOSCOW_OFFSET


def local_time_text(lang: str, moment: datetime, offset: int) -> str:
    """ "08.12 14:30 (МСК+2)": a UTC moment in the user's zone, named as Russians name zones."""
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)  # naive is UTC
    local = utc + timedelta(hours=offset)
    # rounded up to the minute: "not before 14:30" must not be earlier than the real moment
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    diff = offset - MOSCOW_OFFSET
    zone = (
        t(lang, "zone_moscow") if diff == 0 else t(lang, "zone_local", diff=f"{diff:+d}", utc=f"{offset:+d}")
    )
    return f"{local:%d.%m %H:%M} ({zone})"


def preview_text(
    lang: str,
    subscriber: Subscriber,
    plan: DigestPlan,
    *,
    subscribed: bool,
    next_at: datetime,
    now: datetime,
    bundle: Bundle | None = None,
) -> str:
    """/digest: the frequency, the criteria (skills as answers show them: ``bundle``'s display
    names, in English for "en"), when the next one comes and what it holds now."""
    lines = [
        t(lang, "digest_status_on", frequency=t(lang, f"digest_{subscriber.frequency}"))
        if subscribed
        else t(lang, "digest_status_off"),
        t(
            lang,
            "digest_criteria",
            skills=join_escaped(display_skill(bundle, s, lang) for s in subscriber.skills) or "—",
            filters=filters_line(lang, filters_of(subscriber)),
        ),
    ]
    if subscribed:
        when = local_time_text(lang, next_at, utc_offset_of(subscriber))
        lines.append(t(lang, "digest_next_at", when=when))
        lines.append("")
        lines.append(plan.text if plan.text else t(lang, "digest_preview_empty"))
    elif plan.text:
        lines += ["", t(lang, "digest_example"), plan.text]
    return fit("\n".join(lines))


async def load_batch(
    bundle: Bundle, vacancies: VacancyRepository, subscribers: Sequence[Subscriber]
) -> FreshBatch:
    """Vacancies past the oldest cursor among ``subscribers``, parsed and indexed once in a thread.

    Oldest first and at most MAX_FRESH: a bigger backlog is worked off over later runs.
    """
    if any(s.cursor_at is None for s in subscribers):
        since, after = None, None
    else:
        since, after = min((s.cursor_at, s.cursor_key or "") for s in subscribers)  # type: ignore[type-var]
    rows = await vacancies.new_since(since, after, limit=MAX_FRESH)
    return await asyncio.to_thread(build_batch, bundle, rows)


class DigestPreview:
    """/digest: what the next digest holds now, composed exactly as the next run will."""

    def __init__(
        self,
        holder: ModelHolder,
        digests: DigestRepository,
        vacancies: VacancyRepository,
        users: Repository,
        tick: timedelta = DIGEST_TICK,
    ) -> None:
        self.holder = holder
        self.digests = digests
        self.vacancies = vacancies
        self.users = users
        self.tick = tick

    async def preview(self, profile: UserProfile, lang: str, now: datetime | None = None) -> str:
        now = now or datetime.now(UTC)
        subscriber = await self.digests.subscriber(profile.id)
        subscribed = subscriber is not None
        if subscriber is None:
            # not subscribed: an example of what the last week would have brought
            subscriber = Subscriber(
                user_id=profile.id, language=lang, frequency="weekly", skills=profile.skills,
                skills_text=profile.skills_text or "", city_id=profile.city_id, experience=profile.experience,
                cursor_at=now - PERIODS["weekly"], cursor_key=None, city_name=profile.city_name,
                schedule=profile.schedule, field_choice=profile.field_choice,
            )  # fmt: skip
        bundle = self.holder.current
        plan = DigestPlan(None, [], None)
        if bundle is not None:
            batch = await load_batch(bundle, self.vacancies, [subscriber])
            hidden = await self.users.hidden_vacancies(profile.id)
            plan = await asyncio.to_thread(
                compose, batch, replace(subscriber, language=lang), hidden, now.date()
            )
        last_sent = await self.digests.last_sent(profile.id) if subscribed else None
        next_at = next_digest_at(subscriber if subscribed else None, last_sent, now, self.tick)
        return preview_text(
            lang, subscriber, plan, subscribed=subscribed, next_at=next_at, now=now, bundle=bundle
        )
