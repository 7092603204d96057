"""The verifiable draw: frozen candidates and exclusions, selections, matching inputs, joint
teams, replacements, and the per-year tally whose CHECK constraint is the yearly cap.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spotcheck.db import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('draw_tally',
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('draws', sa.Integer(), nullable=False),
    sa.CheckConstraint('draws >= 0 AND draws <= 2', name=op.f('ck_draw_tally_year_cap')),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_draw_tally_target_id_target')),
    sa.PrimaryKeyConstraint('target_id', 'year', name=op.f('pk_draw_tally'))
    )
    op.create_table('draw',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('counts_towards_cap', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('per_target', sa.Integer(), nullable=False),
    sa.Column('max_load', sa.Integer(), nullable=True),
    sa.Column('server_secret', sa.String(length=64), nullable=False),
    sa.Column('commitment', sa.String(length=64), nullable=False),
    sa.Column('candidates_digest', sa.String(length=64), nullable=False),
    sa.Column('candidate_count', sa.Integer(), nullable=False),
    sa.Column('excluded_count', sa.Integer(), nullable=False),
    sa.Column('public_entropy', sa.Text(), nullable=True),
    sa.Column('seed', sa.String(length=64), nullable=True),
    sa.Column('selected_count', sa.Integer(), nullable=True),
    sa.Column('prepared_by_id', sa.Integer(), nullable=True),
    sa.Column('prepared_by', sa.String(length=128), nullable=False),
    sa.Column('prepared_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.Column('drawn_by', sa.String(length=128), nullable=True),
    sa.Column('drawn_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('voided_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['work_plan_batch.id'], name=op.f('fk_draw_batch_id_work_plan_batch')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_draw_department_id_department')),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['user_account.id'], name=op.f('fk_draw_drawn_by_id_user_account')),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plan.id'], name=op.f('fk_draw_plan_id_annual_plan')),
    sa.ForeignKeyConstraint(['prepared_by_id'], ['user_account.id'], name=op.f('fk_draw_prepared_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw'))
    )
    op.create_index(op.f('ix_draw_batch_id'), 'draw', ['batch_id'], unique=False)
    op.create_index(op.f('ix_draw_department_id'), 'draw', ['department_id'], unique=False)
    op.create_index(op.f('ix_draw_plan_id'), 'draw', ['plan_id'], unique=False)
    op.create_index('uq_draw_live_batch', 'draw', ['batch_id'], unique=True, sqlite_where=sa.text("state <> 'voided'"), postgresql_where=sa.text("state <> 'voided'"))
    op.create_table('draw_candidate',
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('stratum', sa.SmallInteger(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['draw.id'], name=op.f('fk_draw_candidate_draw_id_draw')),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_draw_candidate_target_id_target')),
    sa.PrimaryKeyConstraint('draw_id', 'target_id', name=op.f('pk_draw_candidate'))
    )
    op.create_table('draw_department',
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('per_target', sa.Integer(), nullable=False),
    sa.Column('pool', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_draw_department_department_id_department')),
    sa.ForeignKeyConstraint(['draw_id'], ['draw.id'], name=op.f('fk_draw_department_draw_id_draw')),
    sa.PrimaryKeyConstraint('draw_id', 'department_id', name=op.f('pk_draw_department'))
    )
    op.create_table('draw_exclusion',
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['draw.id'], name=op.f('fk_draw_exclusion_draw_id_draw')),
    sa.PrimaryKeyConstraint('draw_id', 'code', name=op.f('pk_draw_exclusion'))
    )
    op.create_table('draw_match_exclusion',
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('target_code', sa.String(length=32), nullable=False),
    sa.Column('inspector_code', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['draw.id'], name=op.f('fk_draw_match_exclusion_draw_id_draw')),
    sa.PrimaryKeyConstraint('draw_id', 'target_code', 'inspector_code', name=op.f('pk_draw_match_exclusion'))
    )
    op.create_table('draw_selection',
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('stratum', sa.SmallInteger(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('required', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['draw.id'], name=op.f('fk_draw_selection_draw_id_draw')),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_draw_selection_target_id_target')),
    sa.PrimaryKeyConstraint('draw_id', 'target_id', name=op.f('pk_draw_selection'))
    )
    op.create_index('ix_draw_selection_target_id', 'draw_selection', ['target_id'], unique=False)
    op.create_table('draw_stratum',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('rule', sa.JSON(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('candidate_count', sa.Integer(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_draw_stratum_department_id_department')),
    sa.ForeignKeyConstraint(['draw_id'], ['draw.id'], name=op.f('fk_draw_stratum_draw_id_draw')),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plan.id'], name=op.f('fk_draw_stratum_plan_id_annual_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_stratum'))
    )
    op.create_index(op.f('ix_draw_stratum_department_id'), 'draw_stratum', ['department_id'], unique=False)
    op.create_index(op.f('ix_draw_stratum_draw_id'), 'draw_stratum', ['draw_id'], unique=False)
    op.create_index(op.f('ix_draw_stratum_plan_id'), 'draw_stratum', ['plan_id'], unique=False)
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_team_department_id_department')),
    sa.ForeignKeyConstraint(['draw_id'], ['draw.id'], name=op.f('fk_team_draw_id_draw')),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plan.id'], name=op.f('fk_team_plan_id_annual_plan')),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_team_target_id_target')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team'))
    )
    op.create_index(op.f('ix_team_department_id'), 'team', ['department_id'], unique=False)
    op.create_index(op.f('ix_team_plan_id'), 'team', ['plan_id'], unique=False)
    op.create_index(op.f('ix_team_target_id'), 'team', ['target_id'], unique=False)
    op.create_index('uq_team_draw_target', 'team', ['draw_id', 'target_id'], unique=True)
    op.create_table('team_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('department_code', sa.String(length=32), nullable=False),
    sa.Column('inspector_id', sa.Integer(), nullable=False),
    sa.Column('inspector_code', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('leader', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_team_member_department_id_department')),
    sa.ForeignKeyConstraint(['draw_id'], ['draw.id'], name=op.f('fk_team_member_draw_id_draw')),
    sa.ForeignKeyConstraint(['inspector_id'], ['inspector.id'], name=op.f('fk_team_member_inspector_id_inspector')),
    sa.ForeignKeyConstraint(['replaces_id'], ['team_member.id'], name=op.f('fk_team_member_replaces_id_team_member')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_member_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_member'))
    )
    op.create_index(op.f('ix_team_member_draw_id'), 'team_member', ['draw_id'], unique=False)
    op.create_index('ix_team_member_inspector_id', 'team_member', ['inspector_id'], unique=False)
    op.create_index(op.f('ix_team_member_team_id'), 'team_member', ['team_id'], unique=False)
    op.create_table('draw_replacement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('ground', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_by', sa.String(length=128), nullable=False),
    sa.Column('requested_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by', sa.String(length=128), nullable=True),
    sa.Column('decided_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('incoming_id', sa.Integer(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_draw_replacement_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_draw_replacement_department_id_department')),
    sa.ForeignKeyConstraint(['draw_id'], ['draw.id'], name=op.f('fk_draw_replacement_draw_id_draw')),
    sa.ForeignKeyConstraint(['incoming_id'], ['team_member.id'], name=op.f('fk_draw_replacement_incoming_id_team_member')),
    sa.ForeignKeyConstraint(['member_id'], ['team_member.id'], name=op.f('fk_draw_replacement_member_id_team_member')),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plan.id'], name=op.f('fk_draw_replacement_plan_id_annual_plan')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_draw_replacement_requested_by_id_user_account')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_draw_replacement_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_replacement'))
    )
    op.create_index(op.f('ix_draw_replacement_department_id'), 'draw_replacement', ['department_id'], unique=False)
    op.create_index(op.f('ix_draw_replacement_draw_id'), 'draw_replacement', ['draw_id'], unique=False)
    op.create_index(op.f('ix_draw_replacement_plan_id'), 'draw_replacement', ['plan_id'], unique=False)
    op.create_index(op.f('ix_draw_replacement_team_id'), 'draw_replacement', ['team_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_draw_replacement_team_id'), table_name='draw_replacement')
    op.drop_index(op.f('ix_draw_replacement_plan_id'), table_name='draw_replacement')
    op.drop_index(op.f('ix_draw_replacement_draw_id'), table_name='draw_replacement')
    op.drop_index(op.f('ix_draw_replacement_department_id'), table_name='draw_replacement')
    op.drop_table('draw_replacement')
    op.drop_index(op.f('ix_team_member_team_id'), table_name='team_member')
    op.drop_index('ix_team_member_inspector_id', table_name='team_member')
    op.drop_index(op.f('ix_team_member_draw_id'), table_name='team_member')
    op.drop_table('team_member')
    op.drop_index('uq_team_draw_target', table_name='team')
    op.drop_index(op.f('ix_team_target_id'), table_name='team')
    op.drop_index(op.f('ix_team_plan_id'), table_name='team')
    op.drop_index(op.f('ix_team_department_id'), table_name='team')
    op.drop_table('team')
    op.drop_index(op.f('ix_draw_stratum_plan_id'), table_name='draw_stratum')
    op.drop_index(op.f('ix_draw_stratum_draw_id'), table_name='draw_stratum')
    op.drop_index(op.f('ix_draw_stratum_department_id'), table_name='draw_stratum')
    op.drop_table('draw_stratum')
    op.drop_index('ix_draw_selection_target_id', table_name='draw_selection')
    op.drop_table('draw_selection')
    op.drop_table('draw_match_exclusion')
    op.drop_table('draw_exclusion')
    op.drop_table('draw_department')
    op.drop_table('draw_candidate')
    op.drop_index('uq_draw_live_batch', table_name='draw', sqlite_where=sa.text("state <> 'voided'"), postgresql_where=sa.text("state <> 'voided'"))
    op.drop_index(op.f('ix_draw_plan_id'), table_name='draw')
    op.drop_index(op.f('ix_draw_department_id'), table_name='draw')
    op.drop_index(op.f('ix_draw_batch_id'), table_name='draw')
    op.drop_table('draw')
    op.drop_table('draw_tally')
