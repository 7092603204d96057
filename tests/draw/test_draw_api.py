"""The draw through the API: prepare, execute with entropy, void, download the proof; teams and
replacements; who may do what; another department's draw answers 404; refusals in both languages."""

from __future__ import annotations

import json

from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.draw import verify_draw
from spotcheck.draw.models import Draw, DrawState, Team, TeamMember
from spotcheck.draw.testing import make_draw, make_setup


def _token(factories, db_session, role, code, **fields):
    from spotcheck.api.tokens import create_token

    user = factories.user(role, code, **fields)
    _token, secret = create_token(db_session, user, "draw")
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _setup(factories, db_session, targets=3, inspectors=3):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    factories.department("CCC")
    return make_setup(db_session, aaa, [bbb], targets=targets, inspectors=inspectors)


def _actions(db_session):
    return set(db_session.scalars(select(AuditRecord.action)))


def test_prepare_execute_and_download_a_proof_that_verifies(factories, db_session, client):
    setup = _setup(factories, db_session)
    staff = _token(factories, db_session, "staff", "AAA")
    prepared = client.post(f"/api/v1/batches/{setup.batch.id}/draws", headers=staff, json={"per_target": 2})
    assert prepared.status_code == 201, prepared.get_json()
    document = prepared.get_json()
    draw = db_session.scalars(select(Draw)).one()
    assert document["state"] == "prepared" and document["commitment"] == draw.commitment
    assert document["server_secret"] is None and draw.server_secret not in prepared.get_data(as_text=True)
    assert [s["candidates"] for s in document["strata"]] == [3] and document["strata"][0]["selected"] is None

    assert client.post(f"/api/v1/draws/{draw.id}/execute", headers=staff, json={"entropy": "1"}).status_code == 403
    office = _token(factories, db_session, "office", "OFFICE")
    executed = client.post(f"/api/v1/draws/{draw.id}/execute", headers=office, json={"entropy": "6-2-3"})
    assert executed.status_code == 200, executed.get_json()
    result = executed.get_json()
    assert result["state"] == "executed" and result["server_secret"] == draw.server_secret
    assert sorted(t["code"] for t in result["strata"][0]["selected"]) == sorted(t.code for t in setup.targets)
    assert result["proof"].endswith(f"/public/draws/{draw.id}/proof.json")

    proof = client.get(f"/api/v1/draws/{draw.id}/proof", headers=staff)
    assert proof.status_code == 200 and proof.mimetype == "application/json"
    assert verify_draw.verify(json.loads(proof.get_data())).seed == result["seed"]
    again = client.post(f"/api/v1/draws/{draw.id}/execute", headers=office, json={"entropy": "again"})
    assert again.status_code == 409 and again.get_json()["message"]["zh"]
    assert {"draw_prepare", "draw_execute"} <= _actions(db_session)


def test_the_draws_list_shows_the_plans_a_department_takes_part_in(factories, db_session, client):
    setup = _setup(factories, db_session)
    draw = make_draw(db_session, setup.batch)
    for code, expected in (("AAA", [draw.id]), ("BBB", [draw.id]), ("CCC", [])):
        listed = client.get("/api/v1/draws", headers=_token(factories, db_session, "staff", code))
        assert [d["id"] for d in listed.get_json()] == expected, code
    filtered = client.get("/api/v1/draws?state=prepared", headers=_token(factories, db_session, "staff", "AAA"))
    assert filtered.get_json() == []
    outsider = _token(factories, db_session, "head", "CCC")
    for url in (f"/api/v1/draws/{draw.id}", f"/api/v1/draws/{draw.id}/proof"):
        assert client.get(url, headers=outsider).status_code == 404


def test_an_entropy_with_a_line_feed_is_refused_on_the_field(factories, db_session, client):
    setup = _setup(factories, db_session)
    draw = make_draw(db_session, setup.batch, entropy=None)
    refused = client.post(f"/api/v1/draws/{draw.id}/execute", json={"entropy": "1\n2"},
                          headers=_token(factories, db_session, "head", "AAA"))
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["entropy"][0]["zh"] == "公开随机数不能包含换行符。"
    db_session.expire_all()
    assert draw.state == DrawState.PREPARED.value


def test_an_unstaffable_draw_is_refused_naming_target_and_department(factories, db_session, client):
    setup = _setup(factories, db_session, targets=1, inspectors=1)
    draw = make_draw(db_session, setup.batch, entropy=None)
    refused = client.post(f"/api/v1/draws/{draw.id}/execute", json={},
                          headers=_token(factories, db_session, "head", "AAA"))
    assert refused.status_code == 409
    message = refused.get_json()["message"]
    assert setup.targets[0].code in message["en"] and "AAA" in message["en"] and "nothing was saved" in message["en"]
    db_session.expire_all()
    assert draw.state == DrawState.PREPARED.value and db_session.scalars(select(Team)).all() == []


def test_void_needs_the_initiating_head_or_the_office_and_a_reason(factories, db_session, client):
    setup = _setup(factories, db_session)
    draw = make_draw(db_session, setup.batch, entropy=None)
    url = f"/api/v1/draws/{draw.id}/void"
    assert client.post(url, json={"reason": "x"}, headers=_token(factories, db_session, "staff", "AAA")).status_code == 403
    head = _token(factories, db_session, "head", "AAA")
    missing = client.post(url, json={}, headers=head)
    assert missing.status_code == 422 and "reason" in missing.get_json()["errors"]
    voided = client.post(url, json={"reason": "批次范围有误"}, headers=head)
    assert voided.status_code == 200 and voided.get_json()["void_reason"] == "批次范围有误"
    assert "draw_void" in _actions(db_session)
    again = client.post(f"/api/v1/batches/{setup.batch.id}/draws", json={}, headers=head)
    assert again.status_code == 201, "a voided preparation leaves the batch free to prepare again"


def test_teams_are_the_work_queue_of_their_departments_and_inspectors(factories, db_session, client):
    setup = _setup(factories, db_session, targets=3, inspectors=4)
    draw = make_draw(db_session, setup.batch)
    member = db_session.scalars(select(TeamMember).where(TeamMember.department_code == "BBB")
                                .order_by(TeamMember.seq)).first()
    account = factories.user("inspector", "BBB")
    member.inspector.user_id = account.id
    db_session.commit()
    mine = {m.team_id for m in db_session.scalars(select(TeamMember).where(
        TeamMember.inspector_id == member.inspector_id, TeamMember.active.is_(True)))}

    from spotcheck.api.tokens import create_token

    _t, secret = create_token(db_session, account, "inspector")
    db_session.commit()
    inspector = {"Authorization": f"Bearer {secret}"}
    assert {t["id"] for t in client.get("/api/v1/teams", headers=inspector).get_json()} == mine
    other = next(t.id for t in db_session.scalars(select(Team)) if t.id not in mine)
    assert client.get(f"/api/v1/teams/{other}", headers=inspector).status_code == 404

    department = client.get(f"/api/v1/teams?draw={draw.id}", headers=_token(factories, db_session, "staff", "BBB"))
    teams = department.get_json()
    assert len(teams) == 3 and all(t["leader"].startswith("AAA-") for t in teams)
    assert {m["department"] for t in teams for m in t["members"]} == {"AAA", "BBB"}
    assert client.get("/api/v1/teams", headers=_token(factories, db_session, "staff", "CCC")).get_json() == []


def test_a_replacement_approved_by_the_head_is_appended_to_the_proof(factories, db_session, client):
    setup = _setup(factories, db_session, targets=2, inspectors=4)
    draw = make_draw(db_session, setup.batch)
    member = db_session.scalars(select(TeamMember).where(TeamMember.department_code == "BBB")
                                .order_by(TeamMember.seq)).first()
    url = f"/api/v1/teams/{member.team_id}/replacements"
    body = {"inspector": member.inspector_code, "ground": "work_conflict", "reason": "同期专项任务"}
    assert client.post(url, json=body, headers=_token(factories, db_session, "staff", "AAA")).status_code == 403
    wrong = client.post(url, json={**body, "ground": "holiday"}, headers=_token(factories, db_session, "staff", "BBB"))
    assert wrong.status_code == 422 and "ground" in wrong.get_json()["errors"]
    asked = client.post(url, json=body, headers=_token(factories, db_session, "staff", "BBB"))
    assert asked.status_code == 201, asked.get_json()
    replacement = asked.get_json()
    assert replacement["state"] == "requested" and replacement["out"] == member.inspector_code

    approve = f"/api/v1/replacements/{replacement['id']}/approve"
    assert client.post(approve, json={}, headers=_token(factories, db_session, "head", "AAA")).status_code == 403
    assert client.post(approve, json={}, headers=_token(factories, db_session, "head", "CCC")).status_code == 404
    head = _token(factories, db_session, "head", "BBB")
    pending = client.get("/api/v1/replacements?state=requested", headers=head).get_json()
    assert [r["id"] for r in pending] == [replacement["id"]]
    approved = client.post(approve, json={"note": "同意"}, headers=head)
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["state"] == "approved" and approved.get_json()["in"]

    proof = json.loads(client.get(f"/api/v1/draws/{draw.id}/proof", headers=head).get_data())
    assert [r["in"] for r in proof["replacements"]] == [approved.get_json()["in"]]
    assert verify_draw.verify(proof).replacements == 1
    team = client.get(f"/api/v1/teams/{member.team_id}", headers=head).get_json()
    assert approved.get_json()["in"] in {m["inspector"] for m in team["members"] if m["active"]}
    assert {"replacement_request", "replacement_approve"} <= _actions(db_session)


def test_a_rejection_needs_a_note(factories, db_session, client):
    setup = _setup(factories, db_session, targets=1, inspectors=4)
    make_draw(db_session, setup.batch)
    member = db_session.scalars(select(TeamMember).where(TeamMember.department_code == "BBB")).first()
    asked = client.post(f"/api/v1/teams/{member.team_id}/replacements", headers=_token(
        factories, db_session, "head", "BBB"), json={"inspector": member.inspector_code,
                                                     "ground": "post_change", "reason": "调岗"})
    head = _token(factories, db_session, "head", "BBB")
    reject = f"/api/v1/replacements/{asked.get_json()['id']}/reject"
    refused = client.post(reject, json={}, headers=head)
    assert refused.status_code == 422 and refused.get_json()["errors"]["note"][0]["zh"] == "驳回时请说明理由。"
    rejected = client.post(reject, json={"note": "人员可协调"}, headers=head)
    assert rejected.status_code == 200 and rejected.get_json()["state"] == "rejected"
    assert "replacement_reject" in _actions(db_session)
