"""Audit checkpoints: the chain's head, taken daily and published outside the database.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spotcheck.db import UTCDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_checkpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('made_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('record_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoint'))
    )
    with op.batch_alter_table('audit_checkpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_checkpoint_made_at'), ['made_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_checkpoint_record_id'), ['record_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_checkpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_checkpoint_record_id'))
        batch_op.drop_index(batch_op.f('ix_audit_checkpoint_made_at'))

    op.drop_table('audit_checkpoint')
