"""ORM tables of the bot. The Alembic migrations in ``migrations/`` are the source of truth
for the schema; these classes mirror them for queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)  # Telegram id
    language: Mapped[str] = mapped_column(String(8), default="ru")
    city_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    city_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    experience: Mapped[str | None] = mapped_column(String(32), nullable=True)
    schedule: Mapped[str | None] = mapped_column(String(32), nullable=True)
    skills_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    # the field the user chose among an answer's (recommender Recommendation.fields key)
    field_choice: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class UserSkill(Base):
    __tablename__ = "user_skills"
    __table_args__ = (UniqueConstraint("user_id", "skill", name="uq_user_skills_user_skill"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    skill: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)


class QueryRow(Base):
    __tablename__ = "queries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="recommend")
    text: Mapped[str] = mapped_column(Text)
    recognized_skills: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    model_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    vacancy_keys: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of Vacancy.key, all pages
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    # JSON: the filters, sort and page the answer message shows, so its buttons keep them
    state: Mapped[str | None] = mapped_column(Text, nullable=True)


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("user_id", "query_id", name="uq_feedback_user_query"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    query_id: Mapped[int] = mapped_column(Integer, ForeignKey("queries.id", ondelete="CASCADE"), index=True)
    value: Mapped[int] = mapped_column(SmallInteger)  # +1 / -1
    created_at: Mapped[datetime] = mapped_column(DateTime)


class VacancyAction(Base):
    """A user's per-vacancy choice: "hide" (never shown again), "save" (/saved), "reject"
    ("не подходит", kept with the query for evaluation). Title and link kept for /saved."""

    __tablename__ = "vacancy_actions"
    __table_args__ = (
        UniqueConstraint("user_id", "vacancy_key", "action", name="uq_vacancy_actions_user_vacancy_action"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    vacancy_key: Mapped[str] = mapped_column(String(80))  # Vacancy.key, "source:id"
    action: Mapped[str] = mapped_column(String(8))
    query_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("queries.id", ondelete="SET NULL"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(300), default="")
    employer: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class DigestSubscription(Base):
    __tablename__ = "digest_subscriptions"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    frequency: Mapped[str] = mapped_column(String(16))  # "daily" | "weekly"
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # The newest collected vacancy (by first_seen_at, key) already sent, so a digest only has new ones.
    last_vacancy_seen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_vacancy_key: Mapped[str | None] = mapped_column(String(80), nullable=True)  # Vacancy.key


class CollectedVacancy(Base):
    """A vacancy of any source (hh.ru, Работа России), keyed by (source, id), stored as the
    library's normalized ``Vacancy`` fields (bot.storage.vacancies maps one to the other).

    ``raw_json`` keeps the source's payload: the collector compares a search item with it to
    skip refetching unchanged cards, and a newer parser (new hh fields) can re-read old rows
    without collecting them again.
    """

    __tablename__ = "collected_vacancies"

    source: Mapped[str] = mapped_column(String(16), primary_key=True)  # "hh" | "trudvsem"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the source's own id
    title: Mapped[str] = mapped_column(String)
    employer: Mapped[str] = mapped_column(String)
    area: Mapped[str] = mapped_column(String)  # the city's name
    area_id: Mapped[str] = mapped_column(String, index=True)  # hh's area id
    country: Mapped[str] = mapped_column(String(64), default="")  # "" when unknown (Russia)
    region_code: Mapped[str] = mapped_column(String(16), default="")  # Работа России's region
    experience: Mapped[str | None] = mapped_column(String, nullable=True)  # hh's experience id
    schedule: Mapped[str | None] = mapped_column(String, nullable=True)  # hh's old schedule id
    employment: Mapped[str | None] = mapped_column(String(32), nullable=True)  # hh's old id
    work_format: Mapped[str] = mapped_column(String(100), default="")  # hh ids, comma-separated
    employment_form: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # The comparable monthly net salary in roubles; None when the pay is not monthly.
    salary_net_rub: Mapped[float | None] = mapped_column(Float, nullable=True)
    # The pay as published: amounts, currency, gross/net, period (MONTH, HOUR, SHIFT, ...),
    # and its net roubles per that period.
    pay_from: Mapped[float | None] = mapped_column(Float, nullable=True)
    pay_to: Mapped[float | None] = mapped_column(Float, nullable=True)
    pay_currency: Mapped[str | None] = mapped_column(String(8), nullable=True)
    pay_gross: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    pay_period: Mapped[str | None] = mapped_column(String(16), nullable=True)
    pay_net_rub: Mapped[float | None] = mapped_column(Float, nullable=True)
    pay_outlier: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    source_updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # at the source
    key_skills: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    labels: Mapped[str] = mapped_column(Text, default="{}")  # JSON: specializations, roles
    text: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(String(8), default="list")  # "card" | "list"
    also_at: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of links
    raw_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    content_hash: Mapped[str] = mapped_column(String(40))
    archived: Mapped[bool] = mapped_column(Boolean, default=False, index=True)  # closed at the source
    # The key of the entry this row was merged into (the same job on another source): hidden
    # from training, answers and digests like a closed one (bot/storage/vacancy_links.py).
    duplicate_of: Mapped[str | None] = mapped_column(String(96), nullable=True, default=None)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # the last collection that saw it
    updated_at: Mapped[datetime] = mapped_column(DateTime)  # the row's last write


class ModelVersionRow(Base):
    """A promoted model bundle; the row with the highest id is the one every process serves."""

    __tablename__ = "model_versions"
    __table_args__ = (UniqueConstraint("version", name="uq_model_versions_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(128))
    path: Mapped[str] = mapped_column(Text)  # the bundle's folder under MODEL_DIR (shared)
    sha256: Mapped[str] = mapped_column(String(64))  # of every file in it, see bot.jobs.versions
    metrics: Mapped[str] = mapped_column(Text, default="{}")  # JSON, the manifest's metrics
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # "promoted" (passed the gate, or served by an operator) | "rejected" (never served).
    status: Mapped[str] = mapped_column(String(16), default="promoted")
    gate: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the gate's decision and reasons
    # When it last became the served version (a rollback sets it again); None: never served.
    served_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class JobRunRow(Base):
    """One run of a scheduled job; ``finished_at`` None while running or when its process died."""

    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_job_id", "job", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # "done" | "failed" | "interrupted" (stopped at a safe point) | "died" (found unfinished).
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    host: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)


class SourceToken(Base):
    """A source's application token (hh.ru), shared by every process; see bot/storage/sources.py."""

    __tablename__ = "source_tokens"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    token: Mapped[str | None] = mapped_column(Text, nullable=True)
    # When a token was last asked for (set before asking): hh allows one request per 5 minutes.
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    client_id: Mapped[str | None] = mapped_column(String(128), nullable=True)


class SourceStatus(Base):
    """Each source's last collection, for /stats, /readyz and the log."""

    __tablename__ = "source_status"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    seen: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[int] = mapped_column(Integer, default=0)


class HandledUpdateRow(Base):
    """An update a long-polling bot handled and had not yet confirmed to Telegram (its offset
    stayed behind an unfinished one): a re-delivery of it is skipped. Deleted once confirmed."""

    __tablename__ = "handled_updates"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    handled_at: Mapped[datetime] = mapped_column(DateTime)
