"""The inspector directory's pages and API: create through the same rules as the import, why an
inspector cannot be drawn, conflicts, history, phone numbers masked, tenancy."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from spotcheck.api.tokens import create_token
from spotcheck.registry.inspectors.models import Inspector, InspectorConflict
from spotcheck.registry.inspectors.testing import make_inspector
from spotcheck.registry.items.testing import make_item
from spotcheck.registry.targets.testing import make_target


@pytest.fixture
def department(factories, db_session):
    department = factories.department("AAA")
    make_item(db_session, department, "aaa_food", authority="food_safety")
    return department


FORM = {"code": "AAA-0001", "name": "王芳", "level": "district", "scope": ["food_safety"],
        "valid_from": "2024-01-01", "valid_to": "2030-12-31", "status": "active",
        "phone": "13912345678", "expertise": "食品安全；餐饮", "note": ""}


def test_an_inspector_is_created_from_the_form(department, login_as, db_session):
    client = login_as("staff", "AAA")
    response = client.post("/inspectors/new", data=FORM)
    assert response.status_code == 302
    inspector = db_session.scalars(select(Inspector).where(Inspector.code == "AAA-0001")).one()
    assert inspector.authorities == ["food_safety"] and inspector.expertise == ["食品安全", "餐饮"]
    page = client.get(f"/inspectors/{inspector.id}").get_data(as_text=True)
    assert "139****5678" in page and "13912345678" not in page
    assert "create" in page  # the history, from the audit trail


def test_form_errors_are_shown_under_the_fields_and_nothing_is_saved(department, login_as, db_session):
    client = login_as("staff", "AAA")
    page = client.post("/inspectors/new", data={**FORM, "valid_to": "2020-01-01"}).get_data(as_text=True)
    assert "证件有效期" in page  # the reversed dates, in Chinese
    assert db_session.scalars(select(Inspector).where(Inspector.code == "AAA-0001")).first() is None


def test_the_list_says_who_cannot_be_drawn_and_why(department, login_as, db_session):
    make_inspector(db_session, department, name="赵休假", status="on_leave")
    make_inspector(db_session, department, name="钱过期", valid_to=date(2020, 12, 31))
    make_inspector(db_session, department, name="孙在岗")
    page = login_as("staff", "AAA").get("/inspectors/").get_data(as_text=True)
    assert page.count('class="badge badge-bad"') == 2 and page.count('class="badge badge-ok"') == 1
    assert "2020-12-31" in page
    on_leave = login_as("staff", "AAA").get("/inspectors/?status=on_leave").get_data(as_text=True)
    assert "赵休假" in on_leave and "孙在岗" not in on_leave


def test_phone_numbers_are_masked_in_the_audit_trail(department, db_session):
    from spotcheck.audit.models import AuditRecord

    inspector = make_inspector(db_session, department, phone="13700001111")
    summary = db_session.scalars(select(AuditRecord.summary).where(
        AuditRecord.object_type == "inspector", AuditRecord.object_id == str(inspector.id))).first()
    assert summary is not None and "13700001111" not in summary and "137****1111" in summary


def test_a_conflict_is_declared_and_withdrawn(department, login_as, db_session):
    inspector = make_inspector(db_session, department)
    target = make_target(db_session, department)
    client = login_as("staff", "AAA")
    client.post(f"/inspectors/{inspector.id}/conflicts",
                data={"target_code": target.code, "reason": "配偶在该企业任职"})
    conflict = db_session.scalars(select(InspectorConflict).where(
        InspectorConflict.inspector_id == inspector.id)).one()
    assert conflict.active and conflict.target_id == target.id
    client.post(f"/inspectors/{inspector.id}/conflicts",
                data={"target_code": target.code, "reason": "重复申报"})
    assert db_session.scalars(select(InspectorConflict)).all() == [conflict]  # no duplicate
    client.post(f"/inspectors/{inspector.id}/conflicts/{conflict.id}/withdraw", data={"reason": "已离职"})
    db_session.expire_all()
    assert not conflict.active and conflict.withdrawn_reason == "已离职"


def test_a_conflict_needs_a_target_of_the_department(department, factories, login_as, db_session):
    inspector = make_inspector(db_session, department)
    foreign = make_target(db_session, factories.department("BBB"))
    client = login_as("staff", "AAA")
    page = client.post(f"/inspectors/{inspector.id}/conflicts", follow_redirects=True,
                       data={"target_code": foreign.code, "reason": "亲属"}).get_data(as_text=True)
    assert foreign.code in page
    assert db_session.scalars(select(InspectorConflict)).all() == []


def test_the_office_reads_every_directory_but_edits_none(department, login_as, db_session):
    inspector = make_inspector(db_session, department, name="周监管")
    office = login_as("office", "OFFICE")
    assert "周监管" in office.get("/inspectors/").get_data(as_text=True)
    assert office.get(f"/inspectors/{inspector.id}/edit").status_code == 403
    assert office.get("/inspectors/new").status_code == 403


def api_client(app, factories, role, department):
    user = factories.user(role, department, must_change_password=False)
    _token, secret = create_token(factories.db, user, "test")
    factories.db.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def test_the_api_creates_and_changes_inspectors_with_bilingual_errors(app, factories, department):
    client = api_client(app, factories, "staff", "AAA")
    bad = client.post("/api/v1/inspectors", json={"code": "AAA-0002", "name": "吴敏",
                                                  "level": "county", "scope": ["fire"]})
    assert bad.status_code == 422
    errors = bad.get_json()["errors"]
    assert set(errors) == {"level", "scope", "valid_from", "valid_to"}
    assert errors["valid_from"][0]["zh"] == "证件有效期起必填。"
    created = client.post("/api/v1/inspectors", json={
        "code": "AAA-0002", "name": "吴敏", "level": "city", "scope": ["food_safety"],
        "valid_from": "2024-01-01", "valid_to": "2025-01-01", "phone": "13600001234"})
    assert created.status_code == 201
    document = created.get_json()
    assert document["phone"] == "136****1234"
    assert [r["code"] for r in document["ineligible_today"]] == ["credential_expired"]
    changed = client.patch(f"/api/v1/inspectors/{document['id']}", json={"valid_to": "2099-12-31"})
    assert changed.get_json()["ineligible_today"] == []
    check = client.get(f"/api/v1/inspectors/{document['id']}/eligibility?authority=metrology").get_json()
    assert check["eligible"] is False and check["reasons"][0]["code"] == "no_authority"
