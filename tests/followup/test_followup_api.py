"""The follow-up API: the queue, a follow-up with its history, the owner's action; 404 across
departments, 403 for a department that does not own it, refusals in both languages."""

from __future__ import annotations

from spotcheck.api.tokens import create_token


def _bearer(factories, db_session, department):
    _token, secret = create_token(db_session, factories.user("staff", department), "followup")
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_queue_and_a_followup_with_its_history(client, factories, db_session, opened):
    headers = _bearer(factories, db_session, "ZJJ")
    (row,) = client.get("/api/v1/followups", headers=headers).get_json()
    assert (row["rule"], row["state"], row["department"], row["from_department"]) == (
        "equipment_construction_site", "transferred", "ZJJ", "SCJG")
    body = client.get(f"/api/v1/followups/{row['id']}", headers=headers).get_json()
    assert [e["to_state"] for e in body["history"]] == ["transferred"]
    order = opened["equipment_unregistered"]
    assert client.get(f"/api/v1/followups/{order.id}", headers=headers).status_code == 404


def test_the_owner_accepts_and_a_return_needs_the_reason(client, factories, db_session, opened):
    transfer = opened["equipment_construction_site"]
    scjg = _bearer(factories, db_session, "SCJG")
    assert client.post(f"/api/v1/followups/{transfer.id}/act", json={"to": "accepted"},
                       headers=scjg).status_code == 403
    zjj = _bearer(factories, db_session, "ZJJ")
    refused = client.post(f"/api/v1/followups/{transfer.id}/act", json={"to": "returned"}, headers=zjj)
    assert refused.status_code == 422 and refused.get_json()["message"]["zh"] == "退回移交事项须说明理由。"
    accepted = client.post(f"/api/v1/followups/{transfer.id}/act", json={"to": "accepted"}, headers=zjj)
    assert accepted.status_code == 200 and accepted.get_json()["state"] == "accepted"
    again = client.post(f"/api/v1/followups/{transfer.id}/act", json={"to": "returned", "note": "x"}, headers=zjj)
    assert again.status_code == 409 and "cannot become" in again.get_json()["message"]["en"]
