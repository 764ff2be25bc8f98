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


class Query(Base):
    __tablename__ = "queries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="recommend")
    text: Mapped[str] = mapped_column(Text)
    recognized_skills: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    model_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    vacancy_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, every page shown
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
        UniqueConstraint("user_id", "vacancy_id", "action", name="uq_vacancy_actions_user_vacancy_action"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    vacancy_id: Mapped[str] = mapped_column(String(32))
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
    # The newest collected vacancy (by first_seen_at) already sent, so a digest only has new ones.
    last_vacancy_seen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_vacancy_id: Mapped[str | None] = mapped_column(String(32), nullable=True)


class CollectedVacancy(Base):
    """Filled by the collector (bot/collector); schema fixed in docs/architecture.md."""

    __tablename__ = "collected_vacancies"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String)
    employer: Mapped[str] = mapped_column(String)
    area: Mapped[str] = mapped_column(String)
    area_id: Mapped[str] = mapped_column(String, index=True)
    experience: Mapped[str | None] = mapped_column(String, nullable=True)
    schedule: Mapped[str | None] = mapped_column(String, nullable=True)
    salary_net_rub: Mapped[float | None] = mapped_column(Float, nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    raw_json: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(40))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


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
