"""The joint punishment pages and API: the list a department sees, an entry with its basis, the
listing department's repair and its head's decision; 404 for a department that does not see it."""

from __future__ import annotations

from spotcheck.api.tokens import create_token
from spotcheck.punishment.testing import make_entry


def _bearer(factories, db_session, role, department):
    _token, secret = create_token(db_session, factories.user(role, department), "punishment")
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_listing_department_and_the_office_see_the_entry_others_get_404(login_as, db_session, departments):
    entry = make_entry(db_session, departments[0], [departments[1]])
    aaa = login_as("staff", "AAA")
    assert f"/punishments/{entry.id}" in aaa.get("/punishments/").get_data(as_text=True)
    page = aaa.get(f"/punishments/{entry.id}").get_data(as_text=True)
    assert "严重不配合检查" in page and "2025-03-03" in page and "信用修复" in page, "the basis, its day, repairs"
    office = login_as("office", "OFFICE")
    assert office.get(f"/punishments/{entry.id}").status_code == 200
    bbb = login_as("staff", "BBB")
    assert f"/punishments/{entry.id}" not in bbb.get("/punishments/").get_data(as_text=True)
    assert bbb.get(f"/punishments/{entry.id}").status_code == 404


def test_the_list_filters_by_state_and_basis(login_as, db_session, departments):
    entry = make_entry(db_session, departments[0])
    aaa = login_as("staff", "AAA")
    assert f"/punishments/{entry.id}" in aaa.get("/punishments/?basis=non_cooperation").get_data(as_text=True)
    assert f"/punishments/{entry.id}" not in aaa.get("/punishments/?basis=serious_violation").get_data(as_text=True)
    assert f"/punishments/{entry.id}" not in aaa.get("/punishments/?state=repaired").get_data(as_text=True)
    assert f"/punishments/{entry.id}" in aaa.get("/punishments/?department=aaa").get_data(as_text=True)


def test_staff_record_a_repair_and_the_head_decides_it(login_as, db_session, departments):
    entry = make_entry(db_session, departments[0])
    staff = login_as("staff", "AAA")
    refused = staff.post(f"/punishments/{entry.id}/repair", data={"reason": ""}, follow_redirects=True)
    assert "请填写信用修复的理由" in refused.get_data(as_text=True)
    staff.post(f"/punishments/{entry.id}/repair", data={"reason": "已整改并书面承诺配合检查"})
    assert staff.post(f"/punishments/{entry.id}/decide", data={"decision": "approve"}).status_code == 403
    head = login_as("head", "AAA")
    page = head.post(f"/punishments/{entry.id}/decide", data={"decision": "approve"}, follow_redirects=True)
    assert "已整改并书面承诺配合检查" in page.get_data(as_text=True)
    db_session.refresh(entry)
    assert entry.state == "repaired"


def test_a_department_supervising_the_target_sees_the_entry_but_may_not_repair_it(
        login_as, db_session, departments):
    from spotcheck.registry.targets.service import supervise
    from spotcheck.tenancy.scope import Scope, scoped

    entry = make_entry(db_session, departments[0])
    with scoped(db_session, Scope.department(departments[1].id)):
        supervise(db_session, entry.target_id)
    db_session.commit()
    bbb = login_as("staff", "BBB")
    assert f"/punishments/{entry.id}" in bbb.get("/punishments/").get_data(as_text=True)
    assert bbb.get(f"/punishments/{entry.id}").status_code == 200
    assert bbb.post(f"/punishments/{entry.id}/repair", data={"reason": "x"}).status_code == 403


def test_the_api_lists_an_entry_and_takes_a_repair_and_its_decision(client, factories, db_session, departments):
    entry = make_entry(db_session, departments[0])
    staff = _bearer(factories, db_session, "staff", "AAA")
    (row,) = client.get("/api/v1/punishments?state=listed", headers=staff).get_json()
    assert (row["id"], row["department"], row["basis"]) == (entry.id, "AAA", "non_cooperation")
    assert [(e["kind"], e["code"], e["department"]) for e in row["events"]] == [
        ("non_cooperation", "refused_entry", "AAA")]
    refused = client.post(f"/api/v1/punishments/{entry.id}/repair", json={}, headers=staff)
    assert refused.status_code == 422 and refused.get_json()["message"]["zh"].startswith("请填写")
    body = client.post(f"/api/v1/punishments/{entry.id}/repair", json={"reason": "已整改"}, headers=staff).get_json()
    assert body["repairs"][0]["state"] == "pending"
    again = client.post(f"/api/v1/punishments/{entry.id}/repair", json={"reason": "再次"}, headers=staff)
    assert again.status_code == 409
    head = _bearer(factories, db_session, "head", "AAA")
    rejected = client.post(f"/api/v1/punishments/{entry.id}/decide", json={"decision": "reject"}, headers=head)
    assert rejected.status_code == 422
    approved = client.post(f"/api/v1/punishments/{entry.id}/decide", json={"decision": "approve"}, headers=head)
    assert approved.status_code == 200 and approved.get_json()["state"] == "repaired"
    other = _bearer(factories, db_session, "staff", "BBB")
    assert client.get(f"/api/v1/punishments/{entry.id}", headers=other).status_code == 404
    assert client.get("/api/v1/punishments", headers=other).get_json() == []
