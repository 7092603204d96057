"""The audit administrator's verification also checks the checkpoints kept of the trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from spotcheck import audit
from spotcheck.audit.checkpoint import make_checkpoint
from spotcheck.audit.models import AuditCheckpoint, AuditRecord
from spotcheck.db import utcnow


@pytest.fixture
def auditor(browser):
    client, _user = browser("auditadmin", "OFFICE")
    return client


def test_verification_reports_that_the_trail_holds_its_checkpoints(auditor, db_session):
    make_checkpoint(db_session)
    db_session.commit()
    page = auditor.post("/admin/audit/verify").get_data(as_text=True)
    assert "哈希链完整" in page and "审计日志包含全部 1 个校验点" in page


def test_verification_names_a_checkpoint_the_trail_no_longer_holds(auditor, db_session):
    head = audit.chain_head(db_session)
    # A checkpoint of a record the trail does not hold: as after records were cut off the end.
    db_session.add(AuditCheckpoint(made_at=utcnow(), record_id=head.id + 1000, record_hash="f" * 64))
    db_session.commit()
    page = auditor.post("/admin/audit/verify").get_data(as_text=True)
    assert f"记录 {head.id + 1000}：记录已不存在：审计日志被截短" in page
    verified = db_session.scalars(select(AuditRecord).where(AuditRecord.action == "verify")
                                  .order_by(AuditRecord.id.desc()).limit(1)).one()
    assert '"ok":false' in verified.summary and str(head.id + 1000) in verified.summary


def test_the_portal_lists_the_checkpoints_to_anyone(client, db_session):
    made = make_checkpoint(db_session)
    db_session.commit()
    page = client.get("/public/audit-checkpoints")
    assert page.status_code == 200 and made.record_hash in page.get_data(as_text=True)
    assert "审计校验点" in page.get_data(as_text=True)
    document = client.get("/public/audit-checkpoints.json").get_json()
    assert document["checkpoints"][-1]["hash"] == made.record_hash
