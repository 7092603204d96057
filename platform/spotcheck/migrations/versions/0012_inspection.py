"""Inspections: tasks (one per joint team), their items, notices, evidence and state trail.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spotcheck.db import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('scheduled_on', sa.Date(), nullable=True),
    sa.Column('schedule_note', sa.Text(), nullable=True),
    sa.Column('check_ended_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('overdue', sa.Boolean(), nullable=False),
    sa.Column('recorded_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('recorded_by', sa.String(length=128), nullable=True),
    sa.Column('result_category', sa.String(length=32), nullable=True),
    sa.Column('non_cooperation', sa.JSON(), nullable=False),
    sa.Column('reviewed_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by', sa.String(length=128), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_task_department_id_department')),
    sa.ForeignKeyConstraint(['draw_id'], ['draw.id'], name=op.f('fk_task_draw_id_draw')),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plan.id'], name=op.f('fk_task_plan_id_annual_plan')),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_task_target_id_target')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_task_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task')),
    sa.UniqueConstraint('team_id', name=op.f('uq_task_team_id'))
    )
    op.create_index(op.f('ix_task_department_id'), 'task', ['department_id'], unique=False)
    op.create_index(op.f('ix_task_draw_id'), 'task', ['draw_id'], unique=False)
    op.create_index(op.f('ix_task_plan_id'), 'task', ['plan_id'], unique=False)
    op.create_index('ix_task_state_due_on', 'task', ['state', 'due_on'], unique=False)
    op.create_index(op.f('ix_task_target_id'), 'task', ['target_id'], unique=False)
    op.create_table('task_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('by', sa.String(length=128), nullable=False),
    sa.Column('at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_task_event_department_id_department')),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plan.id'], name=op.f('fk_task_event_plan_id_annual_plan')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_event_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_event'))
    )
    op.create_index(op.f('ix_task_event_department_id'), 'task_event', ['department_id'], unique=False)
    op.create_index(op.f('ix_task_event_plan_id'), 'task_event', ['plan_id'], unique=False)
    op.create_index(op.f('ix_task_event_task_id'), 'task_event', ['task_id'], unique=False)
    op.create_table('task_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('uploaded_by', sa.String(length=128), nullable=False),
    sa.Column('uploaded_at', UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_task_evidence_department_id_department')),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plan.id'], name=op.f('fk_task_evidence_plan_id_annual_plan')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_evidence_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_evidence')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_task_evidence_storage_key'))
    )
    op.create_index(op.f('ix_task_evidence_department_id'), 'task_evidence', ['department_id'], unique=False)
    op.create_index(op.f('ix_task_evidence_plan_id'), 'task_evidence', ['plan_id'], unique=False)
    op.create_index(op.f('ix_task_evidence_task_id'), 'task_evidence', ['task_id'], unique=False)
    op.create_table('task_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('plan_item_id', sa.Integer(), nullable=False),
    sa.Column('department_code', sa.String(length=32), nullable=False),
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('notice_forbidden', sa.Boolean(), nullable=False),
    sa.Column('form_code', sa.String(length=64), nullable=False),
    sa.Column('form', sa.JSON(), nullable=True),
    sa.Column('online_status', sa.String(length=16), nullable=True),
    sa.Column('online_summary', sa.Text(), nullable=True),
    sa.Column('online_fields', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=True),
    sa.Column('methods', sa.JSON(), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('recorded_by', sa.String(length=128), nullable=True),
    sa.Column('recorded_at', UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_task_item_department_id_department')),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plan.id'], name=op.f('fk_task_item_plan_id_annual_plan')),
    sa.ForeignKeyConstraint(['plan_item_id'], ['plan_item.id'], name=op.f('fk_task_item_plan_item_id_plan_item')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_item_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_item'))
    )
    op.create_index(op.f('ix_task_item_department_id'), 'task_item', ['department_id'], unique=False)
    op.create_index(op.f('ix_task_item_plan_id'), 'task_item', ['plan_id'], unique=False)
    op.create_index(op.f('ix_task_item_task_id'), 'task_item', ['task_id'], unique=False)
    op.create_table('task_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('notified_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('visit_on', sa.Date(), nullable=False),
    sa.Column('item_codes', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('delivery', sa.String(length=16), nullable=True),
    sa.Column('delivery_error', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_task_notice_department_id_department')),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plan.id'], name=op.f('fk_task_notice_plan_id_annual_plan')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_notice_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_notice'))
    )
    op.create_index(op.f('ix_task_notice_department_id'), 'task_notice', ['department_id'], unique=False)
    op.create_index(op.f('ix_task_notice_plan_id'), 'task_notice', ['plan_id'], unique=False)
    op.create_index(op.f('ix_task_notice_task_id'), 'task_notice', ['task_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_task_notice_task_id'), table_name='task_notice')
    op.drop_index(op.f('ix_task_notice_plan_id'), table_name='task_notice')
    op.drop_index(op.f('ix_task_notice_department_id'), table_name='task_notice')
    op.drop_table('task_notice')
    op.drop_index(op.f('ix_task_item_task_id'), table_name='task_item')
    op.drop_index(op.f('ix_task_item_plan_id'), table_name='task_item')
    op.drop_index(op.f('ix_task_item_department_id'), table_name='task_item')
    op.drop_table('task_item')
    op.drop_index(op.f('ix_task_evidence_task_id'), table_name='task_evidence')
    op.drop_index(op.f('ix_task_evidence_plan_id'), table_name='task_evidence')
    op.drop_index(op.f('ix_task_evidence_department_id'), table_name='task_evidence')
    op.drop_table('task_evidence')
    op.drop_index(op.f('ix_task_event_task_id'), table_name='task_event')
    op.drop_index(op.f('ix_task_event_plan_id'), table_name='task_event')
    op.drop_index(op.f('ix_task_event_department_id'), table_name='task_event')
    op.drop_table('task_event')
    op.drop_index(op.f('ix_task_target_id'), table_name='task')
    op.drop_index('ix_task_state_due_on', table_name='task')
    op.drop_index(op.f('ix_task_plan_id'), table_name='task')
    op.drop_index(op.f('ix_task_draw_id'), table_name='task')
    op.drop_index(op.f('ix_task_department_id'), table_name='task')
    op.drop_table('task')
