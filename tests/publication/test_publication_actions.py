"""The initiating department's head publishes reviewed results from the task page or the API;
nobody else may; a stale page is a conflict; refusals come in both languages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from spotcheck.api.tokens import create_token
from spotcheck.inspection.models import TaskState
from spotcheck.publication import api, views
from spotcheck.publication.models import Publication
from spotcheck.publication.testing import review

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "open-data-result.schema.json"


@pytest.fixture(autouse=True)
def publication_day(monkeypatch):
    for module in (views, api):
        monkeypatch.setattr(module, "today", lambda: date(2025, 3, 4))


def _published(db_session):
    return db_session.scalars(select(Publication)).all()


def _bearer(factories, db_session, role, department):
    _token, secret = create_token(db_session, factories.user(role, department), "publication")
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_initiating_head_publishes_from_the_task_page(login_as, db_session, reviewed):
    response = login_as("head", "AAA").post(f"/tasks/{reviewed.id}/publish", data={"version": reviewed.version})
    assert response.status_code == 302 and response.location.endswith(f"/tasks/{reviewed.id}")
    (publication,) = _published(db_session)
    assert (publication.task_id, publication.published_on, publication.late) == (reviewed.id, date(2025, 3, 4), False)
    db_session.refresh(reviewed)
    assert reviewed.state == TaskState.CLOSED.value, "no follow-up needed: published, then done"


@pytest.mark.parametrize(("role", "department"), [("staff", "AAA"), ("head", "BBB")])
def test_nobody_else_publishes(login_as, db_session, reviewed, role, department):
    response = login_as(role, department).post(f"/tasks/{reviewed.id}/publish", data={"version": reviewed.version})
    assert response.status_code == 403
    assert _published(db_session) == []


def test_publishing_from_a_stale_page_is_a_conflict(login_as, db_session, reviewed):
    client = login_as("head", "AAA")
    response = client.post(f"/tasks/{reviewed.id}/publish", data={"version": reviewed.version - 1},
                           follow_redirects=True)
    assert response.status_code == 200
    assert _published(db_session) == []


def test_the_head_publishes_through_the_api(client, factories, db_session, reviewed):
    headers = _bearer(factories, db_session, "head", "AAA")
    response = client.post(f"/api/v1/tasks/{reviewed.id}/publish", json={"version": reviewed.version},
                           headers=headers)
    assert response.status_code == 200
    document = response.get_json()
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(document)) == []
    assert document["target"]["code"] == reviewed.target.code

    again = client.post(f"/api/v1/tasks/{reviewed.id}/publish", json={"version": reviewed.version + 1},
                        headers=headers)
    assert again.status_code == 409
    assert set(again.get_json()["message"]) == {"zh", "en"}


def test_the_api_refuses_results_not_reviewed_and_other_roles(client, factories, db_session, reviewed):
    review(db_session, reviewed, state=TaskState.RECORDED)
    headers = _bearer(factories, db_session, "head", "AAA")
    refused = client.post(f"/api/v1/tasks/{reviewed.id}/publish", json={"version": reviewed.version}, headers=headers)
    assert refused.status_code == 409
    assert "reviewed" in refused.get_json()["message"]["en"]
    staff = _bearer(factories, db_session, "staff", "AAA")
    assert client.post(f"/api/v1/tasks/{reviewed.id}/publish", json={"version": reviewed.version},
                       headers=staff).status_code == 403
    assert _published(db_session) == []
