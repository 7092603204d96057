"""Credit: the departments' own credit rules' events, credit repair, and the joint punishment list
(联合惩戒, seed article 19).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spotcheck.db import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('punishment_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('basis', sa.String(length=24), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('listed_on', sa.Date(), nullable=False),
    sa.Column('last_event_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_punishment_entry_department_id_department')),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_punishment_entry_target_id_target')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_punishment_entry'))
    )
    with op.batch_alter_table('punishment_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_punishment_entry_department_id'), ['department_id'], unique=False)
        batch_op.create_index('ix_punishment_entry_state_ends', ['state', 'ends_on'], unique=False)
        batch_op.create_index('ix_punishment_entry_target', ['target_id', 'department_id', 'basis'], unique=False)

    op.create_table('credit_repair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_by', sa.String(length=128), nullable=False),
    sa.Column('requested_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('decided_by', sa.String(length=128), nullable=True),
    sa.Column('decided_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['punishment_entry.id'], name=op.f('fk_credit_repair_entry_id_punishment_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_repair'))
    )
    with op.batch_alter_table('credit_repair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_repair_entry_id'), ['entry_id'], unique=False)

    op.create_table('punishment_basis',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('credit_event_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['credit_event_id'], ['credit_event.id'], name=op.f('fk_punishment_basis_credit_event_id_credit_event')),
    sa.ForeignKeyConstraint(['entry_id'], ['punishment_entry.id'], name=op.f('fk_punishment_basis_entry_id_punishment_entry')),
    sa.PrimaryKeyConstraint('entry_id', 'credit_event_id', name=op.f('pk_punishment_basis'))
    )
    # Events recorded before this revision are the district rule's: none is a department rule's
    # serious violation, and each is public but the follow-up outcomes other than a correction.
    with op.batch_alter_table('credit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('serious', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('public', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('name_zh', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('name_en', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('repaired_on', sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_credit_event_department_id_department'), 'department',
                                    ['department_id'], ['id'])
    # Follow-up outcomes other than a correction are not published: hide them from the portal.
    credit_event = sa.table('credit_event', sa.column('kind', sa.String), sa.column('code', sa.String),
                            sa.column('public', sa.Boolean))
    op.execute(credit_event.update().where(credit_event.c.kind == 'followup', credit_event.c.code != 'corrected')
               .values(public=False))


def downgrade() -> None:
    with op.batch_alter_table('credit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_credit_event_department_id_department'), type_='foreignkey')
        batch_op.drop_column('repaired_on')
        batch_op.drop_column('name_en')
        batch_op.drop_column('name_zh')
        batch_op.drop_column('public')
        batch_op.drop_column('serious')
        batch_op.drop_column('department_id')

    op.drop_table('punishment_basis')
    with op.batch_alter_table('credit_repair', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_repair_entry_id'))

    op.drop_table('credit_repair')
    with op.batch_alter_table('punishment_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_punishment_entry_target')
        batch_op.drop_index('ix_punishment_entry_state_ends')
        batch_op.drop_index(batch_op.f('ix_punishment_entry_department_id'))

    op.drop_table('punishment_entry')
