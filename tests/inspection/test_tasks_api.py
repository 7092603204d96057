"""Inspection tasks through the API: the work queue and a task; the leader's actions and the head's
review allowed and refused in every state with the right roles; a stale version is a conflict;
refusals in both languages; inspectors read only their tasks, other departments get 404."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from spotcheck.api.tokens import create_token
from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow
from spotcheck.inspection.models import Task, TaskState
from spotcheck.inspection.testing import make_task, make_tasks

ENDED = date(2025, 3, 3)
DUE = date(2025, 3, 12)


def _departments(factories):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    factories.department("CCC")
    return aaa, bbb


def _task(factories, db_session, **setup):
    aaa, bbb = _departments(factories)
    return make_task(db_session, aaa, [bbb], **setup)


def _bearer(db_session, user):
    _token, secret = create_token(db_session, user, "tasks")
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _token(factories, db_session, role, code):
    return _bearer(db_session, factories.user(role, code))


def _set(db_session, task, state=None, **fields):
    if state is not None:
        task.state = state.value
    for name, value in fields.items():
        setattr(task, name, value)
    db_session.commit()


def _record_items(db_session, task, findings=()):
    for item in task.items:
        item.recorded_at, item.recorded_by, item.findings = utcnow(), "member", list(findings)
    db_session.commit()


def _fresh(db_session, task):
    db_session.expire_all()
    return db_session.scalars(select(Task).where(Task.id == task.id)).one()


BODIES = {
    "schedule": {"scheduled_on": "2025-03-03", "note": "上午九点"},
    "start-on-site": {},
    "end-check": {"ended_on": ENDED.isoformat()},
    "result": {"category": "no_problem"},
    "approve": {"note": "同意"},
    "return": {"reason": "记录表不完整"},
}

ALLOWED = {
    "schedule": {TaskState.DISPATCHED, TaskState.NOTIFIED, TaskState.ONLINE_CHECKED},
    "start-on-site": {TaskState.DISPATCHED, TaskState.NOTIFIED, TaskState.ONLINE_CHECKED},
    "end-check": {TaskState.ON_SITE},
    "result": {TaskState.ON_SITE},
    "approve": {TaskState.RECORDED},
    "return": {TaskState.RECORDED},
}

AFTER = {"start-on-site": TaskState.ON_SITE, "result": TaskState.RECORDED, "approve": TaskState.REVIEWED,
         "return": TaskState.ON_SITE}

RESULTS_IN = {TaskState.RECORDED, TaskState.REVIEWED, TaskState.PUBLISHED, TaskState.CLOSED}


@pytest.mark.parametrize("state", list(TaskState))
def test_every_action_is_allowed_exactly_in_its_states_through_the_api(state, factories, db_session, client):
    task = _task(factories, db_session)
    _record_items(db_session, task)
    staff, head = _token(factories, db_session, "staff", "AAA"), _token(factories, db_session, "head", "AAA")
    for action, body in BODIES.items():
        ended = action != "end-check"
        _set(db_session, task, state, check_ended_on=ENDED if ended else None, due_on=DUE if ended else None,
             recorded_at=utcnow() if state in RESULTS_IN else None)
        before = _fresh(db_session, task).version
        answer = client.post(f"/api/v1/tasks/{task.id}/{action}", json={**body, "version": before},
                             headers=head if action in ("approve", "return") else staff)
        after = _fresh(db_session, task)
        if state in ALLOWED[action]:
            assert answer.status_code == 200, (action, answer.get_json())
            assert answer.get_json()["state"] == after.state == AFTER.get(action, state).value
            assert answer.get_json()["version"] == after.version > before
        else:
            assert answer.status_code == 409, (action, answer.get_json())
            assert answer.get_json()["message"]["zh"] and answer.get_json()["message"]["en"]
            assert (after.version, after.state) == (before, state.value)


def test_the_leader_works_a_task_through_the_api_and_every_action_is_audited(factories, db_session, client):
    task = _task(factories, db_session)
    account = factories.user("inspector", "AAA")
    task.team.leader.inspector.user_id = account.id
    db_session.commit()
    leader = _bearer(db_session, account)
    base = f"/api/v1/tasks/{task.id}"

    document = client.get(base, headers=leader).get_json()
    assert document["state"] == "dispatched" and document["leader"] == task.team.leader.inspector_code
    assert sorted(i["department"] for i in document["items"]) == ["AAA", "BBB"]
    assert document["suggestion"] == {"category": "no_problem", "non_cooperation": []}
    assert [e["to"] for e in document["trail"]] == ["dispatched"]

    version = client.post(f"{base}/schedule", headers=leader, json={"version": document["version"],
                                                                     "scheduled_on": "2025-01-20"}).get_json()["version"]
    version = client.post(f"{base}/start-on-site", headers=leader, json={"version": version}).get_json()["version"]
    ended = client.post(f"{base}/end-check", headers=leader, json={"version": version, "ended_on": "2025-09-30"})
    # Before the National Day holiday (1–8 October, make-up Saturday 11 October): due 16 October.
    assert ended.status_code == 200 and ended.get_json()["due_on"] == "2025-10-16"
    _record_items(db_session, task, findings=["refused_questioning"])
    document = client.get(base, headers=leader).get_json()
    assert document["suggestion"] == {"category": "non_cooperation", "non_cooperation": ["refused_questioning"]}

    bare = client.post(f"{base}/result", headers=leader, json={"version": document["version"],
                                                              "category": "non_cooperation"})
    assert bare.status_code == 422 and bare.get_json()["errors"]["non_cooperation"][0]["en"]
    recorded = client.post(f"{base}/result", headers=leader, json={
        "version": document["version"], "category": "non_cooperation",
        "non_cooperation": ["refused_questioning", "serious_obstruction"]})
    assert recorded.status_code == 200, recorded.get_json()
    assert recorded.get_json()["non_cooperation"] == ["refused_questioning", "serious_obstruction"]
    actions = db_session.scalars(select(AuditRecord.action).where(
        AuditRecord.object_type == "task", AuditRecord.object_id == str(task.id),
        AuditRecord.action.like("task_%")).order_by(AuditRecord.id)).all()
    assert actions == ["task_schedule", "task_on_site", "task_end_check", "task_recorded"]


def test_only_the_initiating_head_reviews_and_a_return_needs_its_reason(factories, db_session, client):
    task = _task(factories, db_session)
    _record_items(db_session, task)
    _set(db_session, task, TaskState.RECORDED, check_ended_on=ENDED, due_on=DUE, recorded_at=utcnow(),
         result_category="no_problem")
    base = f"/api/v1/tasks/{task.id}"
    assert client.post(f"{base}/approve", json={"version": task.version},
                       headers=_token(factories, db_session, "staff", "AAA")).status_code == 403
    assert client.post(f"{base}/approve", json={"version": task.version},
                       headers=_token(factories, db_session, "head", "BBB")).status_code == 403
    head = _token(factories, db_session, "head", "AAA")
    missing = client.post(f"{base}/return", json={"version": task.version}, headers=head)
    assert missing.status_code == 422 and "reason" in missing.get_json()["errors"]
    blank = client.post(f"{base}/return", json={"version": task.version, "reason": "   "}, headers=head)
    assert blank.status_code == 422 and blank.get_json()["message"]["zh"] == "退回检查结果须说明理由。"
    returned = client.post(f"{base}/return", json={"version": task.version, "reason": "补充照片"}, headers=head)
    assert returned.status_code == 200
    assert (returned.get_json()["state"], returned.get_json()["review_note"]) == ("on_site", "补充照片")
    assert returned.get_json()["trail"][-1] == {**returned.get_json()["trail"][-1], "from": "recorded",
                                                "to": "on_site", "note": "补充照片"}


def test_a_stale_version_is_a_conflict_and_a_missing_one_is_refused(factories, db_session, client):
    task = _task(factories, db_session)
    staff = _token(factories, db_session, "staff", "AAA")
    base = f"/api/v1/tasks/{task.id}"
    assert client.post(f"{base}/schedule", headers=staff, json={"scheduled_on": "2025-03-03"}).status_code == 422
    first = client.post(f"{base}/schedule", headers=staff, json={"version": task.version, "scheduled_on": "2025-03-03"})
    assert first.status_code == 200
    stale = client.post(f"{base}/schedule", headers=staff, json={"version": task.version, "scheduled_on": "2025-03-04"})
    assert stale.status_code == 409 and "changed by someone else" in stale.get_json()["message"]["en"]
    assert _fresh(db_session, task).scheduled_on == date(2025, 3, 3)


def test_a_deadline_in_a_year_without_a_calendar_is_refused_and_nothing_saved(factories, db_session, client):
    task = _task(factories, db_session)
    _set(db_session, task, TaskState.ON_SITE)
    refused = client.post(f"/api/v1/tasks/{task.id}/end-check", headers=_token(factories, db_session, "staff", "AAA"),
                          json={"version": task.version, "ended_on": "2024-12-30"})
    assert refused.status_code == 409 and "2024" in refused.get_json()["message"]["en"]
    assert _fresh(db_session, task).due_on is None


def test_the_queue_filters_and_each_caller_reads_only_their_tasks(factories, db_session, client):
    aaa, bbb = _departments(factories)
    tasks = make_tasks(db_session, aaa, [bbb], targets=3, inspectors=4)
    _set(db_session, tasks[1], TaskState.ON_SITE, overdue=True, check_ended_on=ENDED, due_on=DUE)
    staff = _token(factories, db_session, "staff", "AAA")
    assert {t["id"] for t in client.get("/api/v1/tasks", headers=staff).get_json()} == {t.id for t in tasks}
    assert [t["id"] for t in client.get("/api/v1/tasks?overdue=true", headers=staff).get_json()] == [tasks[1].id]
    assert [t["id"] for t in client.get("/api/v1/tasks?state=on_site", headers=staff).get_json()] == [tasks[1].id]
    assert client.get(f"/api/v1/tasks?plan={tasks[0].plan_id + 1000}", headers=staff).get_json() == []

    member = next(m for m in tasks[0].team.members if m.department_code == "BBB")
    account = factories.user("inspector", "BBB")
    member.inspector.user_id = account.id
    db_session.commit()
    mine = {t.id for t in tasks if any(m.inspector_id == member.inspector_id for m in t.team.members)}
    inspector = _bearer(db_session, account)
    assert {t["id"] for t in client.get("/api/v1/tasks", headers=inspector).get_json()} == mine
    for task in tasks:
        assert client.get(f"/api/v1/tasks/{task.id}", headers=inspector).status_code == (200 if task.id in mine else 404)
    outsider = _token(factories, db_session, "head", "CCC")
    assert client.get("/api/v1/tasks", headers=outsider).get_json() == []
    assert client.get(f"/api/v1/tasks/{tasks[0].id}", headers=outsider).status_code == 404
    assert client.post(f"/api/v1/tasks/{tasks[0].id}/schedule", headers=outsider,
                       json={"version": 1, "scheduled_on": "2025-03-03"}).status_code == 404
