"""Row-level security on the tables only their own department reads (PostgreSQL; nothing on SQLite):
the database's wall behind the application's tenant filter (see spotcheck.tenancy.row_security).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

WALLED_TABLES = ("check_item", "check_item_version", "expert", "import_run", "inspector",
                 "inspector_conflict", "target_supervision", "target_tag", "user_account")
"""A copy, as of this revision, of spotcheck.tenancy.row_security.WALLED_TABLES."""

# Unset or empty: no department (fail closed); 'all': every one; else a comma-separated id list.
ALLOWS = """
CREATE FUNCTION spotcheck_allows(setting text, department integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting(setting, true), '') = 'all'
        OR department = ANY (string_to_array(
               nullif(nullif(coalesce(current_setting(setting, true), ''), 'all'), ''), ',')::integer[])
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(ALLOWS)
    for table in WALLED_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_read ON {table} FOR SELECT "
                   "USING (spotcheck_allows('spotcheck.readable', department_id))")
        op.execute(f"CREATE POLICY tenant_insert ON {table} FOR INSERT "
                   "WITH CHECK (spotcheck_allows('spotcheck.writable', department_id))")
        op.execute(f"CREATE POLICY tenant_update ON {table} FOR UPDATE "
                   "USING (spotcheck_allows('spotcheck.writable', department_id)) "
                   "WITH CHECK (spotcheck_allows('spotcheck.writable', department_id))")
        op.execute(f"CREATE POLICY tenant_delete ON {table} FOR DELETE "
                   "USING (spotcheck_allows('spotcheck.writable', department_id))")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in WALLED_TABLES:
        for policy in ("tenant_read", "tenant_insert", "tenant_update", "tenant_delete"):
            op.execute(f"DROP POLICY {policy} ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION spotcheck_allows(text, integer)")
