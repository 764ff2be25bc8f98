"""answer state per message (filters, sort, page) and per-vacancy actions (hide, save, reject)

Revision ID: 0003_convo
Revises: 0002
Create Date: 2026-12-01 19:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003_convo'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('queries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.Text(), nullable=True))
    op.create_table(
        'vacancy_actions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.BigInteger(), nullable=False),
        sa.Column('vacancy_id', sa.String(length=32), nullable=False),
        sa.Column('action', sa.String(length=8), nullable=False),
        sa.Column('query_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=300), nullable=False, server_default=''),
        sa.Column('url', sa.String(length=300), nullable=False, server_default=''),
        sa.Column('employer', sa.String(length=200), nullable=False, server_default=''),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['query_id'], ['queries.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'vacancy_id', 'action', name='uq_vacancy_actions_user_vacancy_action'),
    )
    with op.batch_alter_table('vacancy_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vacancy_actions_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vacancy_actions_query_id'), ['query_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('vacancy_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vacancy_actions_query_id'))
        batch_op.drop_index(batch_op.f('ix_vacancy_actions_user_id'))
    op.drop_table('vacancy_actions')
    with op.batch_alter_table('queries', schema=None) as batch_op:
        batch_op.drop_column('state')
