"""Follow-up: the follow-ups of findings (seed article 17), their history, and the targets' credit
records (article 19).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spotcheck.db import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('followup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('from_department_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('task_item_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('rule_code', sa.String(length=64), nullable=False),
    sa.Column('rule_name_zh', sa.String(length=200), nullable=False),
    sa.Column('rule_name_en', sa.String(length=200), nullable=False),
    sa.Column('finding', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('working_days', sa.Integer(), nullable=True),
    sa.Column('next_action', sa.String(length=16), nullable=True),
    sa.Column('next_department', sa.String(length=16), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_followup_department_id_department')),
    sa.ForeignKeyConstraint(['from_department_id'], ['department.id'], name=op.f('fk_followup_from_department_id_department')),
    sa.ForeignKeyConstraint(['parent_id'], ['followup.id'], name=op.f('fk_followup_parent_id_followup')),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_followup_target_id_target')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_followup_task_id_task')),
    sa.ForeignKeyConstraint(['task_item_id'], ['task_item.id'], name=op.f('fk_followup_task_item_id_task_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup'))
    )
    with op.batch_alter_table('followup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followup_department_id'), ['department_id'], unique=False)
        batch_op.create_index('ix_followup_from_department', ['from_department_id'], unique=False)
        batch_op.create_index('ix_followup_state_deadline', ['state', 'deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_followup_target_id'), ['target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_followup_task_id'), ['task_id'], unique=False)

    op.create_table('followup_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('followup_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('by', sa.String(length=128), nullable=False),
    sa.Column('at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['followup_id'], ['followup.id'], name=op.f('fk_followup_event_followup_id_followup')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_event'))
    )
    with op.batch_alter_table('followup_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followup_event_followup_id'), ['followup_id'], unique=False)

    op.create_table('credit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('followup_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['followup_id'], ['followup.id'], name=op.f('fk_credit_event_followup_id_followup')),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_credit_event_target_id_target')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_credit_event_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_event'))
    )
    with op.batch_alter_table('credit_event', schema=None) as batch_op:
        batch_op.create_index('ix_credit_event_target_on', ['target_id', 'on', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('credit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_credit_event_target_on')

    op.drop_table('credit_event')
    with op.batch_alter_table('followup_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followup_event_followup_id'))

    op.drop_table('followup_event')
    with op.batch_alter_table('followup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followup_task_id'))
        batch_op.drop_index(batch_op.f('ix_followup_target_id'))
        batch_op.drop_index('ix_followup_state_deadline')
        batch_op.drop_index('ix_followup_from_department')
        batch_op.drop_index(batch_op.f('ix_followup_department_id'))

    op.drop_table('followup')
