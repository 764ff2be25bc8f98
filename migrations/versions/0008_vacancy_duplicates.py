"""collected_vacancies.duplicate_of: the key of the entry a vacancy was merged into (the same job
posted on another source, recommender.data.dedupe); such rows leave training, answers and digests

Revision ID: 0008_vacancy_duplicates
Revises: 0007_job_runs
Create Date: 2026-12-07 19:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_vacancy_duplicates"
down_revision: str | None = "0007_job_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("collected_vacancies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duplicate_of", sa.String(length=96), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("collected_vacancies", schema=None) as batch_op:
        batch_op.drop_column("duplicate_of")
