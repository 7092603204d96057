"""Inspection tasks through the pages: the work queue and its filters, the task page, the leader's
schedule, on-site check, end of the check and result, the head's review; every move allowed and
refused with the right roles; a stale page is a conflict; every action audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow
from spotcheck.inspection.models import Task, TaskEvent, TaskState
from spotcheck.inspection.testing import make_task, make_tasks

ENDED = date(2025, 3, 3)
DUE = date(2025, 3, 12)  # 7 working days after Monday 3 March 2025


def _departments(factories):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    factories.department("CCC")
    return aaa, bbb


def _task(factories, db_session, **setup):
    aaa, bbb = _departments(factories)
    return make_task(db_session, aaa, [bbb], **setup)


def _set(db_session, task, state=None, **fields):
    """Put the task in a state, as earlier steps would have (the test session is the system's)."""
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


def _text(response):
    return response.get_data(as_text=True)


def _actions(db_session, task):
    """The named audit events of ``task`` (its row changes are audited besides, as every row's)."""
    return [r.action for r in db_session.scalars(select(AuditRecord).where(
        AuditRecord.object_type == "task", AuditRecord.object_id == str(task.id),
        AuditRecord.action.like("task_%")).order_by(AuditRecord.id))]


def _leader_account(factories, db_session, task, department="AAA"):
    account = factories.user("inspector", department, must_change_password=False)
    task.team.leader.inspector.user_id = account.id
    db_session.commit()
    return factories.signed_in_client(account)


FORMS = {
    "schedule": {"scheduled_on": "2025-03-03", "note": "上午九点在门口集合"},
    "on-site": {},
    "end-check": {"ended_on": ENDED.isoformat()},
    "result": {"category": "no_problem"},
    "review": {"note": ""},
    "return": {"reason": "食品经营记录表未填写完整"},
}
"""The form of each action, as the task page posts it (with the version)."""

ALLOWED = {
    "schedule": {TaskState.DISPATCHED, TaskState.NOTIFIED, TaskState.ONLINE_CHECKED},
    "on-site": {TaskState.DISPATCHED, TaskState.NOTIFIED, TaskState.ONLINE_CHECKED},
    "end-check": {TaskState.ON_SITE},
    "result": {TaskState.ON_SITE},
    "review": {TaskState.RECORDED},
    "return": {TaskState.RECORDED},
}
"""The states each action is allowed in (the online check settled nothing here)."""

AFTER = {"on-site": TaskState.ON_SITE, "result": TaskState.RECORDED, "review": TaskState.REVIEWED,
         "return": TaskState.ON_SITE}
"""The state an allowed action moves to (the others keep it)."""

CHECKLIST = {"code": "licence_record", "title_zh": "许可检查记录表", "title_en": "Licence checklist", "version": 1,
             "fields": [{"name": "licence", "label_zh": "许可证是否有效", "label_en": "Is the licence valid?",
                         "type": "boolean"},
                        {"name": "address", "label_zh": "经营地址是否一致", "label_en": "Same address?",
                         "type": "boolean"}]}
"""A checklist form as recorded with an item's answers."""

RESULTS_IN = {TaskState.RECORDED, TaskState.REVIEWED, TaskState.PUBLISHED, TaskState.CLOSED}


def _ready(db_session, task, state, action):
    """``task`` in ``state`` with what ``action`` needs besides the state: items recorded, and the
    check ended except when it is what the action enters."""
    ended = action != "end-check"
    _set(db_session, task, state, check_ended_on=ENDED if ended else None, due_on=DUE if ended else None,
         recorded_at=utcnow() if state in RESULTS_IN else None, scheduled_on=None)


@pytest.mark.parametrize("state", list(TaskState))
def test_every_action_is_allowed_exactly_in_its_states_through_the_pages(state, factories, db_session, login_as):
    task = _task(factories, db_session)
    _record_items(db_session, task)
    staff, head = login_as("staff", "AAA"), login_as("head", "AAA")
    for action, form in FORMS.items():
        _ready(db_session, task, state, action)
        before = _fresh(db_session, task).version
        client = head if action in ("review", "return") else staff
        answer = client.post(f"/tasks/{task.id}/{action}", data={**form, "version": before})
        assert answer.status_code == 302, action
        after = _fresh(db_session, task)
        if state in ALLOWED[action]:
            assert after.version > before, f"{action} refused in {state.value}"
            assert after.state == AFTER.get(action, state).value
        else:
            assert (after.version, after.state) == (before, state.value), f"{action} allowed in {state.value}"
            assert "flash-error" in _text(client.get(f"/tasks/{task.id}"))


def test_the_leader_schedules_goes_on_site_ends_the_check_and_records_the_result(factories, db_session):
    task = _task(factories, db_session)
    leader = _leader_account(factories, db_session, task)
    page = _text(leader.get(f"/tasks/{task.id}"))
    assert 'action="/tasks/%d/schedule"' % task.id in page and 'action="/tasks/%d/result"' % task.id not in page

    scheduled = leader.post(f"/tasks/{task.id}/schedule", data={**FORMS["schedule"], "version": task.version})
    assert scheduled.status_code == 302
    task = _fresh(db_session, task)
    assert (task.scheduled_on, task.schedule_note) == (date(2025, 3, 3), "上午九点在门口集合")
    leader.post(f"/tasks/{task.id}/on-site", data={"version": task.version})
    task = _fresh(db_session, task)
    leader.post(f"/tasks/{task.id}/end-check", data={"ended_on": "2025-01-24", "version": task.version})
    task = _fresh(db_session, task)
    # Friday 24 January 2025, before the Spring Festival: due Monday 10 February.
    assert (task.state, task.check_ended_on, task.due_on) == ("on_site", date(2025, 1, 24), date(2025, 2, 10))
    assert "2025-02-10" in _text(leader.get(f"/tasks/{task.id}"))

    refused = leader.post(f"/tasks/{task.id}/result", data={"category": "no_problem", "version": task.version},
                          follow_redirects=True)
    assert "尚未填写检查记录表" in _text(refused) and _fresh(db_session, task).state == "on_site"
    _record_items(db_session, task)
    task = _fresh(db_session, task)
    leader.post(f"/tasks/{task.id}/result", data={"category": "no_problem", "version": task.version})
    task = _fresh(db_session, task)
    assert (task.state, task.result_category, task.non_cooperation) == ("recorded", "no_problem", [])
    assert task.recorded_by and task.recorded_at is not None
    assert _actions(db_session, task) == ["task_schedule", "task_on_site", "task_end_check", "task_recorded"]
    trail = db_session.scalars(select(TaskEvent.to_state).where(TaskEvent.task_id == task.id)
                               .order_by(TaskEvent.id)).all()
    assert trail == ["dispatched", "on_site", "recorded"]


def test_a_year_without_a_calendar_gives_its_message_and_saves_nothing(factories, db_session, login_as):
    task = _task(factories, db_session)
    _set(db_session, task, TaskState.ON_SITE)
    page = login_as("staff", "AAA").post(f"/tasks/{task.id}/end-check",
                                         data={"ended_on": "2024-12-30", "version": task.version},
                                         follow_redirects=True)
    assert "2024年的工作日历尚未录入" in _text(page)
    task = _fresh(db_session, task)
    assert (task.check_ended_on, task.due_on) == (None, None)
    assert "task_end_check" not in _actions(db_session, task)


def test_the_check_cannot_end_in_the_future_nor_move_a_deadline_already_passed(factories, db_session, login_as):
    task = _task(factories, db_session)
    _set(db_session, task, TaskState.ON_SITE)
    staff = login_as("staff", "AAA", locale="en")
    future = staff.post(f"/tasks/{task.id}/end-check", data={"ended_on": "2999-01-04", "version": task.version},
                        follow_redirects=True)
    assert "cannot end in the future" in _text(future) and _fresh(db_session, task).check_ended_on is None
    _set(db_session, task, check_ended_on=ENDED, due_on=DUE)
    moved = staff.post(f"/tasks/{task.id}/end-check", data={"ended_on": "2025-03-20", "version": task.version},
                       follow_redirects=True)
    assert "were due on 2025-03-12" in _text(moved) and _fresh(db_session, task).due_on == DUE


def test_the_result_category_is_suggested_and_non_cooperation_names_its_situations(factories, db_session, login_as):
    task = _task(factories, db_session)
    _set(db_session, task, TaskState.ON_SITE, check_ended_on=ENDED, due_on=DUE)
    _record_items(db_session, task, findings=["refused_entry"])
    staff = login_as("staff", "AAA")
    page = _text(staff.get(f"/tasks/{task.id}"))
    assert '<option selected value="non_cooperation">' in page
    assert '<input checked id="non_cooperation-0" name="non_cooperation" type="checkbox" value="refused_entry">' in page

    bare = staff.post(f"/tasks/{task.id}/result", data={"category": "non_cooperation", "version": task.version},
                      follow_redirects=True)
    assert "须至少选择一种第十八条规定的情形" in _text(bare)
    mixed = staff.post(f"/tasks/{task.id}/result", data={"category": "no_problem", "version": task.version,
                                                         "non_cooperation": ["refused_entry"]}, follow_redirects=True)
    assert "只有结果类别为" in _text(mixed) and _fresh(db_session, task).state == "on_site"

    # The leader decides: the suggestion is only preselected.
    staff.post(f"/tasks/{task.id}/result", data={"category": "non_cooperation", "version": task.version,
                                                 "non_cooperation": ["refused_records", "refused_entry"]})
    task = _fresh(db_session, task)
    assert (task.state, task.result_category) == ("recorded", "non_cooperation")
    assert task.non_cooperation == ["refused_entry", "refused_records"]


def test_the_visit_on_site_is_skipped_only_when_the_online_check_verified_every_field(factories, db_session, login_as):
    task = _task(factories, db_session)
    _record_items(db_session, task)
    for item in task.items:
        item.form = CHECKLIST
        item.online_fields = ["licence"]
    _set(db_session, task, TaskState.ONLINE_CHECKED)
    staff = login_as("staff", "AAA")
    assert 'action="/tasks/%d/end-check"' % task.id not in _text(staff.get(f"/tasks/{task.id}"))
    refused = staff.post(f"/tasks/{task.id}/end-check", data={"ended_on": "2025-03-03", "version": task.version},
                         follow_redirects=True)
    assert "须实地检查后才能结束检查" in _text(refused)

    for item in task.items:
        item.online_fields = ["address", "licence"]
    db_session.commit()
    assert 'action="/tasks/%d/end-check"' % task.id in _text(staff.get(f"/tasks/{task.id}"))
    staff.post(f"/tasks/{task.id}/end-check", data={"ended_on": "2025-03-03", "version": task.version})
    task = _fresh(db_session, task)
    staff.post(f"/tasks/{task.id}/result", data={"category": "no_problem", "version": task.version})
    task = _fresh(db_session, task)
    assert (task.state, task.due_on) == ("recorded", DUE)
    moved = db_session.scalars(select(TaskEvent.from_state).where(TaskEvent.task_id == task.id,
                                                                  TaskEvent.to_state == "recorded")).all()
    assert moved == ["online_checked"]


def test_the_head_returns_results_with_a_reason_the_team_sees_and_records_again(factories, db_session, login_as):
    task = _task(factories, db_session)
    _record_items(db_session, task)
    _set(db_session, task, TaskState.RECORDED, check_ended_on=ENDED, due_on=DUE, recorded_at=utcnow(),
         result_category="no_problem")
    head = login_as("head", "AAA")
    bare = head.post(f"/tasks/{task.id}/return", data={"reason": "", "version": task.version}, follow_redirects=True)
    assert "flash-error" in _text(bare) and _fresh(db_session, task).state == "recorded"
    head.post(f"/tasks/{task.id}/return", data={"reason": "食品经营记录表未填写完整", "version": task.version})
    task = _fresh(db_session, task)
    assert (task.state, task.review_note) == ("on_site", "食品经营记录表未填写完整")
    assert all(item.recorded for item in task.items), "the items stay recorded"

    leader = _leader_account(factories, db_session, task)
    page = _text(leader.get(f"/tasks/{task.id}"))
    assert "食品经营记录表未填写完整" in page and 'action="/tasks/%d/result"' % task.id in page
    leader.post(f"/tasks/{task.id}/result", data={"category": "corrected", "version": task.version})
    task = _fresh(db_session, task)
    assert (task.state, task.result_category) == ("recorded", "corrected")
    head.post(f"/tasks/{task.id}/review", data={"note": "同意", "version": task.version})
    task = _fresh(db_session, task)
    assert (task.state, task.review_note, task.reviewed_by is not None) == ("reviewed", "同意", True)
    assert _actions(db_session, task) == ["task_on_site", "task_recorded", "task_reviewed"]


def test_only_the_leader_and_the_initiators_staff_act_and_only_its_head_reviews(factories, db_session, login_as):
    task = _task(factories, db_session)
    members = [m for m in task.team.members if m.active and not m.leader]
    member = factories.user("inspector", "BBB", must_change_password=False)
    next(m for m in members if m.department_code == "BBB").inspector.user_id = member.id
    db_session.commit()
    member_client = factories.signed_in_client(member)
    assert member_client.get(f"/tasks/{task.id}").status_code == 200
    for client in (login_as("staff", "BBB"), login_as("head", "BBB"), member_client, login_as("office", "OFFICE")):
        for action in ("schedule", "on-site", "end-check", "result"):
            assert client.post(f"/tasks/{task.id}/{action}",
                               data={**FORMS[action], "version": task.version}).status_code == 403
    _set(db_session, task, TaskState.RECORDED, recorded_at=utcnow())
    for role, department in (("staff", "AAA"), ("head", "BBB"), ("inspector", "AAA")):
        client = login_as(role, department)
        for action in ("review", "return"):
            assert client.post(f"/tasks/{task.id}/{action}", data={**FORMS[action], "version": task.version}
                               ).status_code in (403, 404)
    assert _fresh(db_session, task).state == "recorded" and _actions(db_session, task) == []


def test_a_stale_page_is_a_conflict_not_an_overwrite(factories, db_session, login_as):
    task = _task(factories, db_session)
    seen = task.version
    staff = login_as("staff", "AAA")
    staff.post(f"/tasks/{task.id}/schedule", data={"scheduled_on": "2025-03-03", "version": seen})
    stale = staff.post(f"/tasks/{task.id}/schedule", data={"scheduled_on": "2025-03-04", "version": seen},
                       follow_redirects=True)
    assert "已被他人修改" in _text(stale)
    assert _fresh(db_session, task).scheduled_on == date(2025, 3, 3)


def test_the_work_queue_shows_each_user_their_tasks_with_filters(factories, db_session, login_as):
    aaa, bbb = _departments(factories)
    tasks = make_tasks(db_session, aaa, [bbb], targets=3)
    _set(db_session, tasks[0], TaskState.ON_SITE, check_ended_on=ENDED, due_on=DUE, overdue=True)
    staff = login_as("staff", "AAA")
    everything = _text(staff.get("/tasks/"))
    assert all(f'href="/tasks/{t.id}"' in everything for t in tasks) and "2025-03-12" in everything
    overdue = _text(staff.get("/tasks/?overdue=yes"))
    assert [t.id for t in tasks if f'href="/tasks/{t.id}"' in overdue] == [tasks[0].id]
    on_site = _text(staff.get("/tasks/?state=dispatched"))
    assert [t.id for t in tasks if f'href="/tasks/{t.id}"' in on_site] == [t.id for t in tasks[1:]]
    other_plan = _text(staff.get(f"/tasks/?plan={tasks[0].plan_id + 1000}"))
    assert not any(f'href="/tasks/{t.id}"' in other_plan for t in tasks)
    assert all(f'href="/tasks/{t.id}"' in _text(login_as("staff", "BBB").get("/tasks/")) for t in tasks)
    assert all(f'href="/tasks/{t.id}"' in _text(login_as("office", "OFFICE").get("/tasks/")) for t in tasks)
    outsider = login_as("head", "CCC")
    assert not any(f'href="/tasks/{t.id}"' in _text(outsider.get("/tasks/")) for t in tasks)
    assert outsider.get(f"/tasks/{tasks[0].id}").status_code == 404
    assert 'href="/tasks/"' in _text(login_as("inspector", "AAA").get("/"))


def test_an_inspector_sees_only_the_tasks_of_their_teams(factories, db_session):
    aaa, bbb = _departments(factories)
    tasks = make_tasks(db_session, aaa, [bbb], targets=3, inspectors=4)
    member = next(m for m in tasks[0].team.members if m.department_code == "BBB")
    account = factories.user("inspector", "BBB", must_change_password=False)
    member.inspector.user_id = account.id
    db_session.commit()
    mine = {t.id for t in tasks if any(m.inspector_id == member.inspector_id for m in t.team.members)}
    inspector = factories.signed_in_client(account)
    queue = _text(inspector.get("/tasks/"))
    for task in tasks:
        assert (f'href="/tasks/{task.id}"' in queue) == (task.id in mine)
        assert inspector.get(f"/tasks/{task.id}").status_code == (200 if task.id in mine else 404)


def test_the_task_page_shows_the_target_team_items_and_trail(factories, db_session, login_as):
    task = _task(factories, db_session)
    _record_items(db_session, task, findings=["refused_entry"])
    page = _text(login_as("staff", "BBB", locale="en").get(f"/tasks/{task.id}"))
    target = task.team.target
    assert target.code in page and target.name in page
    assert "Refused, obstructed or hindered entry to the premises" in page
    for member in task.team.members:
        assert member.inspector_code in page
    for item in task.items:
        assert item.name_en in page
    assert "Dispatched" in page and 'action="/tasks/%d/schedule"' % task.id not in page
