"""The trail is append-only by the database, and the hash chain names any record changed behind it."""

from __future__ import annotations

import hashlib
import json
from datetime import timezone

import pytest
from flask import Flask
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError

from spotcheck import audit, db as spotcheck_db
from spotcheck.audit.capture import AuditError
from spotcheck.audit.chain import GENESIS, Problem, record_hash
from spotcheck.audit.cli import audit_cli
from spotcheck.audit.models import AuditRecord
from spotcheck.tenancy.models import Department


@pytest.fixture
def cli(backend_url, tables):
    """Runs ``spotcheck audit …`` against the test's database."""
    app = Flask("spotcheck-audit-cli-test")
    app.config.update(DATABASE_URL=backend_url, DATABASE_POOL_SIZE=1)
    spotcheck_db.init_app(app)
    app.cli.add_command(audit_cli)
    yield lambda *args: app.test_cli_runner().invoke(args=["audit", *args])
    spotcheck_db.get_database(app).engine.dispose()


def test_records_chain_from_64_zeros_in_the_documented_format(five_records, trail):
    rows = trail()
    assert [row.id for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == GENESIS == "0" * 64
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(rows, rows[1:]))
    first = rows[0]
    fields = {name: getattr(first, name) for name in (
        "id", "user_id", "username", "department_code", "action", "object_type", "object_id",
        "summary", "ip", "request_id")}
    fields["at"] = first.at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert first.hash == hashlib.sha256(f"{'0' * 64}\n{canonical}".encode()).hexdigest()
    assert "市场监督管理局" in canonical  # Chinese is hashed as written, not escaped


def test_an_intact_chain_verifies_and_names_its_head(db, five_records, trail, cli):
    result = audit.verify_chain(db)
    head = trail()[-1]
    assert result.ok and result.count == 5
    assert (result.head.id, result.head.hash) == (head.id, head.hash)
    assert audit.chain_head(db) == result.head
    ran = cli("verify")
    assert ran.exit_code == 0
    assert "5 records" in ran.output and head.hash in ran.output


def test_an_empty_trail_verifies(db, cli):
    assert audit.verify_chain(db).ok and audit.chain_head(db) is None
    assert cli("verify").exit_code == 0


@pytest.mark.parametrize("sql", [
    "UPDATE audit_record SET summary = '{}' WHERE id = 2",
    "UPDATE audit_record SET at = at WHERE id = 2",
    "DELETE FROM audit_record WHERE id = 5",
])
def test_the_database_refuses_to_change_or_remove_a_record(five_records, raw_sql, trail, sql):
    before = trail()
    with pytest.raises(DBAPIError, match="append-only"):
        raw_sql(sql)
    assert trail() == before


def test_the_orm_cannot_change_a_record_either(db, five_records, trail):
    record = db.scalars(select(AuditRecord).where(AuditRecord.id == 2)).one()
    record.summary = "{}"
    with pytest.raises(DBAPIError, match="append-only"):
        db.commit()


def test_records_cannot_be_added_beside_the_chain(db, five_records, trail):
    with pytest.raises(AuditError, match="spotcheck.audit.record"):
        db.execute(insert(AuditRecord), [{"id": 6, "at": trail()[-1].at, "action": "forged",
                                          "prev_hash": trail()[-1].hash, "hash": "f" * 64}])
    db.add(AuditRecord(id=6, at=trail()[-1].at, action="forged", prev_hash=trail()[-1].hash, hash="f" * 64))
    with pytest.raises(AuditError, match="spotcheck.audit.record"):
        db.commit()


def test_postgresql_refuses_truncate(backend, five_records, raw_sql):
    if backend != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (a DELETE without WHERE is refused like any DELETE)")
    with pytest.raises(DBAPIError, match="append-only"):
        raw_sql("TRUNCATE audit_record")


def test_a_record_altered_behind_the_triggers_is_named(db, five_records, as_dba, cli):
    as_dba("UPDATE audit_record SET summary = :forged WHERE id = 3",
           forged='{"after":{"display_name":"王五"},"before":{"display_name":"李四"}}')
    result = audit.verify_chain(db)
    assert not result.ok
    assert (result.broken.record_id, result.broken.problem) == (3, Problem.HASH)
    assert result.count == 2 and result.head.id == 2
    ran = cli("verify")
    assert ran.exit_code == 1
    assert "record 3: hash mismatch" in ran.output


def test_a_record_altered_and_rehashed_is_caught_by_the_next_link(db, five_records, as_dba, trail):
    third = trail()[2]._asdict()
    third["summary"] = "{}"
    as_dba("UPDATE audit_record SET summary = '{}', hash = :rehashed WHERE id = 3",
           rehashed=record_hash(third["prev_hash"], third))
    broken = audit.verify_chain(db).broken
    assert (broken.record_id, broken.problem) == (4, Problem.PREV_HASH)
    assert "record 3" in broken.detail


def test_a_record_removed_from_the_middle_is_named_as_a_gap(db, five_records, as_dba, cli):
    as_dba("DELETE FROM audit_record WHERE id = 3")
    broken = audit.verify_chain(db).broken
    assert (broken.record_id, broken.problem) == (4, Problem.GAP)
    assert "missing 3" in broken.detail
    ran = cli("verify")
    assert ran.exit_code == 1 and "record 4: gap in ids" in ran.output


def test_the_first_record_removed_is_named_too(db, five_records, as_dba):
    as_dba("DELETE FROM audit_record WHERE id = 1")
    broken = audit.verify_chain(db).broken
    assert (broken.record_id, broken.problem) == (2, Problem.GAP)


def test_a_second_record_chaining_from_the_same_head_is_refused(five_records, raw_sql, trail):
    last = trail()[-1]
    with pytest.raises(DBAPIError):
        raw_sql("INSERT INTO audit_record (id, at, action, prev_hash, hash) "
                "SELECT 99, at, 'forged', prev_hash, :fake FROM audit_record WHERE id = :id",
                fake="f" * 64, id=last.id)


def test_records_written_after_a_break_still_chain_from_the_head(db, five_records, as_dba, trail):
    as_dba("UPDATE audit_record SET summary = '{}' WHERE id = 5")
    db.add(Department(code="SWJ", name_zh="税务局", name_en="Tax", level="district"))
    db.commit()
    rows = trail()
    assert rows[-1].id == 6 and rows[-1].prev_hash == rows[-2].hash
    assert audit.verify_chain(db).broken.record_id == 5
