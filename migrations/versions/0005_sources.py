"""vacancies of every source: collected_vacancies keyed by (source, id) with normalized fields;
saved/hidden vacancies, the queries' shown lists and the digests' cursor hold "source:id" keys

Every existing row becomes source "hh". The normalized columns of collected vacancies are
filled by re-parsing the stored raw JSON with the library's parser; a row the parser refuses
keeps what the old columns held, so nothing is lost.

Revision ID: 0005_sources
Revises: 0004_scale
Create Date: 2026-12-07 18:00:00
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0005_sources'
down_revision: str | None = '0004_scale'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HH = "hh"
BATCH = 1000


def _new_vacancy_columns() -> list[sa.Column]:
    return [
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(), nullable=False),
        sa.Column('employer', sa.String(), nullable=False),
        sa.Column('area', sa.String(), nullable=False),
        sa.Column('area_id', sa.String(), nullable=False),
        sa.Column('country', sa.String(length=64), nullable=False),
        sa.Column('region_code', sa.String(length=16), nullable=False),
        sa.Column('experience', sa.String(), nullable=True),
        sa.Column('schedule', sa.String(), nullable=True),
        sa.Column('employment', sa.String(length=32), nullable=True),
        sa.Column('work_format', sa.String(length=100), nullable=False),
        sa.Column('employment_form', sa.String(length=32), nullable=True),
        sa.Column('salary_net_rub', sa.Float(), nullable=True),
        sa.Column('pay_from', sa.Float(), nullable=True),
        sa.Column('pay_to', sa.Float(), nullable=True),
        sa.Column('pay_currency', sa.String(length=8), nullable=True),
        sa.Column('pay_gross', sa.Boolean(), nullable=True),
        sa.Column('pay_period', sa.String(length=16), nullable=True),
        sa.Column('pay_net_rub', sa.Float(), nullable=True),
        sa.Column('pay_outlier', sa.Boolean(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('source_updated_at', sa.DateTime(), nullable=True),
        sa.Column('key_skills', sa.Text(), nullable=False),
        sa.Column('labels', sa.Text(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('detail', sa.String(length=8), nullable=False),
        sa.Column('also_at', sa.Text(), nullable=False),
        sa.Column('raw_json', sa.Text(), nullable=True),
        sa.Column('content_hash', sa.String(length=40), nullable=False),
        sa.Column('archived', sa.Boolean(), nullable=False),
        sa.Column('first_seen_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('source', 'id'),
    ]


def _old_vacancy_columns() -> list[sa.Column]:
    return [
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('title', sa.String(), nullable=False),
        sa.Column('employer', sa.String(), nullable=False),
        sa.Column('area', sa.String(), nullable=False),
        sa.Column('area_id', sa.String(), nullable=False),
        sa.Column('experience', sa.String(), nullable=True),
        sa.Column('schedule', sa.String(), nullable=True),
        sa.Column('salary_net_rub', sa.Float(), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('raw_json', sa.Text(), nullable=False),
        sa.Column('content_hash', sa.String(length=40), nullable=False),
        sa.Column('archived', sa.Boolean(), nullable=False),
        sa.Column('first_seen_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    ]


def _batches(
    bind: sa.Connection, table: sa.Table, order: sa.Column, *where: sa.ColumnElement[bool]
) -> Iterator[list[Any]]:
    """The rows of ``table`` matching ``where`` in ``order`` (unique among them), a batch per query."""
    last: Any = None
    while True:
        statement = sa.select(table).where(*where).order_by(order).limit(BATCH)
        if last is not None:
            statement = statement.where(order > last)
        rows = bind.execute(statement).all()
        if not rows:
            return
        yield rows
        last = getattr(rows[-1], order.name)


def _naive(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _normalized(row: Any) -> dict[str, Any]:
    """The new columns of one old row: the parser's reading of its raw JSON, else the old columns."""
    # The storage's own mapping (Vacancy → columns), cut to this revision's columns so a later
    # column never leaks into this step.
    from bot.storage.vacancies import vacancy_columns
    from recommender.data import BadRecord, parse_vacancy

    fallback = {
        'title': row.title, 'employer': row.employer, 'area': row.area, 'area_id': row.area_id,
        'country': '', 'region_code': '', 'experience': row.experience, 'schedule': row.schedule, 'employment': None,
        'work_format': '', 'employment_form': None, 'salary_net_rub': row.salary_net_rub,
        'pay_from': None, 'pay_to': None, 'pay_currency': None, 'pay_gross': None,
        'pay_period': 'MONTH' if row.salary_net_rub is not None else None,
        'pay_net_rub': row.salary_net_rub, 'pay_outlier': False, 'published_at': row.published_at,
        'source_updated_at': None, 'key_skills': '[]', 'labels': '{}', 'text': '', 'url': '',
        'detail': 'list',
    }  # fmt: skip
    try:
        parsed = vacancy_columns(parse_vacancy(json.loads(row.raw_json)))
    except (ValueError, TypeError, BadRecord):
        parsed = {}
    columns = {name: parsed.get(name, fallback.get(name)) for name in fallback}
    columns['published_at'] = _naive(columns['published_at'])
    columns['source_updated_at'] = _naive(columns['source_updated_at'])
    return {
        **columns,
        'source': HH, 'id': row.id, 'also_at': '[]', 'raw_json': row.raw_json,
        'content_hash': row.content_hash, 'archived': bool(row.archived) or bool(parsed.get('archived')),
        'first_seen_at': row.first_seen_at, 'last_seen_at': row.updated_at, 'updated_at': row.updated_at,
    }  # fmt: skip


def _create_vacancy_indexes() -> None:
    with op.batch_alter_table('collected_vacancies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collected_vacancies_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collected_vacancies_first_seen_at'), ['first_seen_at'], unique=False)


def _upgrade_collected() -> None:
    bind = op.get_bind()
    old = sa.Table('collected_vacancies', sa.MetaData(), *_old_vacancy_columns())
    new = op.create_table('collected_vacancies_0005', *_new_vacancy_columns())
    for rows in _batches(bind, old, old.c.id):
        bind.execute(sa.insert(new), [_normalized(row) for row in rows])
    op.drop_index('ix_collected_vacancies_first_seen_at', table_name='collected_vacancies')
    op.drop_index('ix_collected_vacancies_area_id', table_name='collected_vacancies')
    op.drop_table('collected_vacancies')
    op.rename_table('collected_vacancies_0005', 'collected_vacancies')
    _create_vacancy_indexes()
    with op.batch_alter_table('collected_vacancies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collected_vacancies_archived'), ['archived'], unique=False)
        batch_op.create_index(batch_op.f('ix_collected_vacancies_last_seen_at'), ['last_seen_at'], unique=False)


def _downgrade_collected() -> None:
    """hh rows back into the old table; vacancies of other sources have no place there and go."""
    bind = op.get_bind()
    new = sa.Table('collected_vacancies', sa.MetaData(), *_new_vacancy_columns())
    old = op.create_table('collected_vacancies_0004', *_old_vacancy_columns())
    for rows in _batches(bind, new, new.c.id, new.c.source == HH):
        kept = [
            {
                'id': r.id, 'title': r.title, 'employer': r.employer, 'area': r.area, 'area_id': r.area_id,
                'experience': r.experience, 'schedule': r.schedule, 'salary_net_rub': r.salary_net_rub,
                'published_at': r.published_at, 'raw_json': r.raw_json or '{}', 'content_hash': r.content_hash,
                'archived': r.archived, 'first_seen_at': r.first_seen_at, 'updated_at': r.updated_at,
            }
            for r in rows
            if len(r.id) <= 32
        ]
        if kept:
            bind.execute(sa.insert(old), kept)
    with op.batch_alter_table('collected_vacancies', schema=None) as batch_op:
        for name in ('last_seen_at', 'archived', 'first_seen_at', 'area_id'):
            batch_op.drop_index(batch_op.f(f'ix_collected_vacancies_{name}'))
    op.drop_table('collected_vacancies')
    op.rename_table('collected_vacancies_0004', 'collected_vacancies')
    _create_vacancy_indexes()


def _keys_in_json(bind: sa.Connection, convert: Any) -> None:
    """Rewrite the queries' shown lists and their answer state's shown vacancies with ``convert``."""
    queries = sa.table('queries', sa.column('id', sa.Integer), sa.column('vacancy_ids', sa.Text),
                       sa.column('state', sa.Text))  # fmt: skip
    last = 0
    while True:
        rows = bind.execute(
            sa.select(queries).where(queries.c.id > last).order_by(queries.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            shown, state = _load(row.vacancy_ids, []), _load(row.state, None)
            values: dict[str, Any] = {}
            if isinstance(shown, list):
                values['vacancy_ids'] = json.dumps([convert(str(v)) for v in shown if convert(str(v))])
            if isinstance(state, dict) and isinstance(state.get('shown'), list):
                state['shown'] = [
                    [convert(str(item[0])), *item[1:]] for item in state['shown'] if isinstance(item, list) and item
                ]
                values['state'] = json.dumps(state, ensure_ascii=False)
            if values:
                bind.execute(sa.update(queries).where(queries.c.id == row.id).values(**values))
        last = rows[-1].id


def _load(text: str | None, default: Any) -> Any:
    try:
        return json.loads(text) if text else default
    except ValueError:
        return default


def _to_key(vacancy_id: str) -> str:
    return vacancy_id if ':' in vacancy_id else f'{HH}:{vacancy_id}'


def _to_hh_id(key: str) -> str:
    source, _, vacancy_id = key.partition(':')
    return vacancy_id if source == HH and vacancy_id else ''


def upgrade() -> None:
    _upgrade_collected()
    bind = op.get_bind()
    _keys_in_json(bind, _to_key)
    with op.batch_alter_table('queries', schema=None) as batch_op:
        batch_op.alter_column('vacancy_ids', new_column_name='vacancy_keys', existing_type=sa.Text(),
                              existing_nullable=False)  # fmt: skip
    with op.batch_alter_table('vacancy_actions', schema=None) as batch_op:
        batch_op.alter_column('vacancy_id', new_column_name='vacancy_key', type_=sa.String(length=80),
                              existing_type=sa.String(length=32), existing_nullable=False)  # fmt: skip
    bind.execute(sa.text("UPDATE vacancy_actions SET vacancy_key = 'hh:' || vacancy_key "
                         "WHERE vacancy_key NOT LIKE '%:%'"))  # fmt: skip
    with op.batch_alter_table('digest_subscriptions', schema=None) as batch_op:
        batch_op.alter_column('last_vacancy_id', new_column_name='last_vacancy_key', type_=sa.String(length=80),
                              existing_type=sa.String(length=32), existing_nullable=True)  # fmt: skip
    bind.execute(sa.text("UPDATE digest_subscriptions SET last_vacancy_key = 'hh:' || last_vacancy_key "
                         "WHERE last_vacancy_key IS NOT NULL AND last_vacancy_key NOT LIKE '%:%'"))  # fmt: skip


def downgrade() -> None:
    """Back to hh ids; what belongs to other sources (saved, hidden, cursors) is dropped."""
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM vacancy_actions WHERE vacancy_key NOT LIKE 'hh:%'"))
    bind.execute(sa.text("UPDATE vacancy_actions SET vacancy_key = substr(vacancy_key, 4)"))
    with op.batch_alter_table('vacancy_actions', schema=None) as batch_op:
        batch_op.alter_column('vacancy_key', new_column_name='vacancy_id', type_=sa.String(length=32),
                              existing_type=sa.String(length=80), existing_nullable=False)  # fmt: skip
    bind.execute(sa.text("UPDATE digest_subscriptions SET last_vacancy_key = CASE "
                         "WHEN last_vacancy_key LIKE 'hh:%' THEN substr(last_vacancy_key, 4) END"))  # fmt: skip
    with op.batch_alter_table('digest_subscriptions', schema=None) as batch_op:
        batch_op.alter_column('last_vacancy_key', new_column_name='last_vacancy_id', type_=sa.String(length=32),
                              existing_type=sa.String(length=80), existing_nullable=True)  # fmt: skip
    with op.batch_alter_table('queries', schema=None) as batch_op:
        batch_op.alter_column('vacancy_keys', new_column_name='vacancy_ids', existing_type=sa.Text(),
                              existing_nullable=False)  # fmt: skip
    _keys_in_json(bind, _to_hh_id)
    _downgrade_collected()

