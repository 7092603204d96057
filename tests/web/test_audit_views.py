"""The audit administrator's pages: search, a record's detail, chain verification, CSV export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from spotcheck import audit
from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow


def add_record(db_session, action="update", object_type="target", object_id="1", *,
               username="li.ming", department="SCJG", summary=None):
    """A committed record made by ``username`` of ``department``; returns it."""
    audit.set_actor(db_session, user_id=None, username=username, department_code=department,
                    ip="10.0.0.8", request_id="req-test-0001")
    audit.record(db_session, action, object_type, object_id, summary or {"n": 1})
    db_session.commit()
    return db_session.scalars(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1)).one()


@pytest.fixture
def auditor(browser):
    client, _user = browser("auditadmin", "OFFICE")
    return client


def shown_ids(page: str, records) -> set[int]:
    return {r.id for r in records if f'href="/admin/audit/{r.id}"' in page}


# -- who may see the trail ----------------------------------------------------------------------

@pytest.mark.parametrize(("role", "department"), [
    ("sysadmin", "OFFICE"), ("secadmin", "OFFICE"), ("office", "OFFICE"),
    ("head", "SCJG"), ("staff", "SCJG"), ("inspector", "SCJG"),
])
def test_only_the_audit_administrator_may_read_verify_or_export(browser, db_session, role, department):
    record = add_record(db_session)
    client, _user = browser(role, department)
    assert client.get("/admin/audit/").status_code == 403
    assert client.get(f"/admin/audit/{record.id}").status_code == 403
    assert client.post("/admin/audit/verify").status_code == 403
    assert client.post("/admin/audit/export").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/admin/audit/").headers["Location"].startswith("/sign-in")


# -- search -------------------------------------------------------------------------------------

def test_search_by_user_department_action_and_object(auditor, db_session, factories):
    factories.department("AAA")
    factories.department("BBB")
    mine = add_record(db_session, "create", "target", "77", username="wang.fang", department="AAA")
    other_user = add_record(db_session, "create", "target", "77", username="li.ming", department="AAA")
    other_action = add_record(db_session, "delete", "target", "77", username="wang.fang",
                              department="AAA")
    other_object = add_record(db_session, "create", "inspector", "77", username="wang.fang",
                              department="AAA")
    other_dept = add_record(db_session, "create", "target", "77", username="wang.fang",
                            department="BBB")
    everything = [mine, other_user, other_action, other_object, other_dept]

    page = auditor.get("/admin/audit/", query_string={
        "username": "FANG", "department": "AAA", "action": "create", "object_type": "target",
        "object_id": "77"}).get_data(as_text=True)
    assert shown_ids(page, everything) == {mine.id}

    page = auditor.get("/admin/audit/", query_string={"username": "wang"}).get_data(as_text=True)
    assert shown_ids(page, everything) == {mine.id, other_action.id, other_object.id, other_dept.id}


def test_search_by_time_range(auditor, db_session):
    record = add_record(db_session, username="zhao.lei")
    today = utcnow().date()
    around = {"since": (today - timedelta(days=1)).isoformat(),
              "until": (today + timedelta(days=1)).isoformat(), "username": "zhao.lei"}
    later = {"since": (today + timedelta(days=2)).isoformat(), "username": "zhao.lei"}

    assert shown_ids(auditor.get("/admin/audit/", query_string=around).get_data(as_text=True),
                     [record]) == {record.id}
    page = auditor.get("/admin/audit/", query_string=later).get_data(as_text=True)
    assert shown_ids(page, [record]) == set()
    assert "没有符合查询条件的记录" in page


def test_a_reversed_time_range_is_explained(auditor):
    page = auditor.get("/admin/audit/", query_string={"since": "2025-03-02", "until": "2025-03-01"})
    assert "截止日期早于起始日期" in page.get_data(as_text=True)


def test_the_trail_is_paginated_newest_first(auditor, db_session):
    records = [add_record(db_session, object_id=str(n), username="page.test") for n in range(55)]
    first = auditor.get("/admin/audit/", query_string={"username": "page.test"}).get_data(as_text=True)
    second = auditor.get("/admin/audit/", query_string={"username": "page.test", "page": 2}) \
        .get_data(as_text=True)

    assert shown_ids(first, records) == {r.id for r in records[5:]}
    assert shown_ids(second, records) == {r.id for r in records[:5]}
    assert "第 1 页，共 2 页，55 条" in first
    assert "username=page.test" in first and "page=2" in first


# -- one record ---------------------------------------------------------------------------------

def test_a_record_shows_everything_it_holds(auditor, db_session):
    record = add_record(db_session, "update", "target", "9", summary={"名称": "城东区某超市"})
    page = auditor.get(f"/admin/audit/{record.id}").get_data(as_text=True)
    for value in (record.hash, record.prev_hash, "li.ming", "10.0.0.8", "req-test-0001", "城东区某超市"):
        assert value in page


def test_a_missing_record_answers_404(auditor):
    assert auditor.get("/admin/audit/999999999").status_code == 404


# -- verification -------------------------------------------------------------------------------

def test_an_intact_chain_is_reported_with_its_checkpoint(auditor, db_session):
    add_record(db_session)
    head = audit.chain_head(db_session)  # verifying adds a record after this one
    page = auditor.post("/admin/audit/verify").get_data(as_text=True)
    assert "哈希链完整" in page
    assert head is not None and head.hash in page


def test_a_tampered_record_is_named_as_the_first_broken_link(auditor, db_session, db_backend):
    add_record(db_session)
    victim = add_record(db_session, summary={"amount": 100})
    add_record(db_session)
    # What a database administrator could do: switch the protection off and edit a row.
    if db_backend == "postgresql":
        db_session.execute(text("ALTER TABLE audit_record DISABLE TRIGGER audit_record_no_update_delete"))
    else:
        db_session.execute(text("DROP TRIGGER audit_record_no_update"))
    db_session.execute(text("UPDATE audit_record SET summary = :forged WHERE id = :id"),
                       {"forged": '{"amount":1}', "id": victim.id})
    db_session.commit()

    page = auditor.post("/admin/audit/verify").get_data(as_text=True)
    assert "哈希链已断裂" in page
    assert f"第一个断点是记录 {victim.id}：记录内容已被篡改" in page
    assert f'href="/admin/audit/{victim.id}"' in page


def test_verifying_is_itself_recorded(auditor, db_session):
    before = audit.chain_head(db_session)
    auditor.post("/admin/audit/verify")
    record = db_session.scalars(select(AuditRecord).where(AuditRecord.id > before.id,
                                                          AuditRecord.action == "verify")).one()
    assert '"ok":true' in record.summary


# -- export -------------------------------------------------------------------------------------

def test_the_export_is_excel_ready_csv_of_the_filtered_records(auditor, db_session):
    wanted = add_record(db_session, "create", "target", "=HYPERLINK(\"http://evil\")",
                        username="export.me", summary={"名称": "西宁市城东区某公司"})
    add_record(db_session, username="not.me")

    response = auditor.post("/admin/audit/export", data={"username": "export.me"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")

    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "时间", "用户编号"]
    assert len(rows) == 2
    [row] = rows[1:]
    assert row[0] == str(wanted.id) and row[3] == "export.me"
    assert row[7] == "'=HYPERLINK(\"http://evil\")"
    assert "西宁市城东区某公司" in row[8]
    assert row[1].endswith("+08:00")


def test_the_export_is_itself_recorded(auditor, db_session):
    add_record(db_session, username="export.audit")
    before = audit.chain_head(db_session)
    auditor.post("/admin/audit/export", data={"username": "export.audit"}).get_data()

    [record] = db_session.scalars(select(AuditRecord).where(AuditRecord.id > before.id,
                                                            AuditRecord.action == "export")).all()
    assert record.object_type == "audit_record"
    assert '"rows":1' in record.summary and '"username":"export.audit"' in record.summary


def test_an_invalid_export_filter_is_refused(auditor):
    assert auditor.post("/admin/audit/export", data={"since": "not a date"}).status_code == 400
