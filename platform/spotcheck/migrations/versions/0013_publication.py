"""Publication: the public record of each published check, its departments, and the public targets.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spotcheck.db import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

NAME_TYPE = sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table('public_target',
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    # Byte order on PostgreSQL too, so a name prefix is a range on the name index (as target.name).
    sa.Column('name', NAME_TYPE, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('area_code', sa.String(length=12), nullable=True),
    sa.Column('publications', sa.Integer(), nullable=False),
    sa.Column('last_checked_on', sa.Date(), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_public_target_target_id_target')),
    sa.PrimaryKeyConstraint('target_id', name=op.f('pk_public_target')),
    sa.UniqueConstraint('code', name=op.f('uq_public_target_code'))
    )
    with op.batch_alter_table('public_target', schema=None) as batch_op:
        batch_op.create_index('ix_public_target_name', ['name', 'target_id'], unique=False)

    op.create_table('publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('check_type', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('target_code', sa.String(length=32), nullable=False),
    sa.Column('target_name', sa.String(length=200), nullable=False),
    sa.Column('target_kind', sa.String(length=32), nullable=False),
    sa.Column('area_code', sa.String(length=12), nullable=True),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('departments', sa.JSON(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('result_category', sa.String(length=32), nullable=False),
    sa.Column('non_cooperation', sa.JSON(), nullable=False),
    sa.Column('followup_status', sa.String(length=32), nullable=True),
    sa.Column('entered_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('working_days_late', sa.Integer(), nullable=False),
    sa.Column('published_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=128), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['work_plan_batch.id'], name=op.f('fk_publication_batch_id_work_plan_batch')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_publication_department_id_department')),
    sa.ForeignKeyConstraint(['draw_id'], ['draw.id'], name=op.f('fk_publication_draw_id_draw')),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plan.id'], name=op.f('fk_publication_plan_id_annual_plan')),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_publication_target_id_target')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_publication_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication')),
    sa.UniqueConstraint('task_id', name=op.f('uq_publication_task_id'))
    )
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.create_index('ix_publication_area_id', ['area_code', 'id'], unique=False)
        batch_op.create_index('ix_publication_category_id', ['result_category', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_publication_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_publication_draw_id'), ['draw_id'], unique=False)
        batch_op.create_index('ix_publication_target_checked', ['target_id', 'checked_on', 'id'], unique=False)
        batch_op.create_index('ix_publication_updated_id', ['updated_at', 'id'], unique=False)
        batch_op.create_index('ix_publication_year_id', ['year', 'id'], unique=False)

    op.create_table('publication_department',
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_publication_department_department_id_department')),
    sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], name=op.f('fk_publication_department_publication_id_publication')),
    sa.PrimaryKeyConstraint('publication_id', 'department_id', name=op.f('pk_publication_department'))
    )
    with op.batch_alter_table('publication_department', schema=None) as batch_op:
        batch_op.create_index('ix_publication_department_department', ['department_id', 'publication_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('publication_department', schema=None) as batch_op:
        batch_op.drop_index('ix_publication_department_department')

    op.drop_table('publication_department')
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.drop_index('ix_publication_year_id')
        batch_op.drop_index('ix_publication_updated_id')
        batch_op.drop_index('ix_publication_target_checked')
        batch_op.drop_index(batch_op.f('ix_publication_draw_id'))
        batch_op.drop_index(batch_op.f('ix_publication_department_id'))
        batch_op.drop_index('ix_publication_category_id')
        batch_op.drop_index('ix_publication_area_id')

    op.drop_table('publication')
    with op.batch_alter_table('public_target', schema=None) as batch_op:
        batch_op.drop_index('ix_public_target_name')

    op.drop_table('public_target')
