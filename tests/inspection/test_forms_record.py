"""Recording an item's checklist form (检查记录表): the answers with the form they answered, the
methods and the findings, by the item's own department only, until the task is reviewed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from spotcheck.api.tokens import create_token
from spotcheck.audit.models import AuditRecord
from spotcheck.inspection.form_testing import initiator_item, make_form_task
from spotcheck.inspection.forms import record_item
from spotcheck.inspection.models import Task, TaskState
from spotcheck.inspection.online import verify_manually
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.registry.inspectors.models import Inspector
from spotcheck.tenancy.scope import Scope, scoped

ANSWERS = {"licence_held": "true", "licence_number": "JY16301020012345", "staff_checked": "6",
           "staff_health_certificates": "true", "purchase_records_kept": "false", "storage_conditions": "partly",
           "expired_food_found": "false", "remarks": "冷库温度记录缺两天。"}


@pytest.fixture
def registry(app):
    return app.extensions["spotcheck.plugins"]


def form_data(answers=ANSWERS, methods=("onsite",), findings=("no_licence",)) -> dict:
    return {**{f"answer-{k}": v for k, v in answers.items()}, "methods": list(methods), "findings": list(findings)}


def set_state(db_session, task, state: TaskState) -> None:
    with scoped(db_session, Scope.system()):
        task.state = state.value
        db_session.commit()


def api_client(app, factories, db_session, role="staff", department="SCJG"):
    _token, secret = create_token(db_session, factories.user(role, department), "forms")
    db_session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def test_the_record_keeps_the_answers_the_form_they_answered_methods_and_findings(db_session, login_as):
    task = make_form_task(db_session)
    item = initiator_item(task)
    client = login_as("staff", "SCJG")
    assert client.post(f"/tasks/{task.id}/items/{item.id}", data=form_data()).status_code == 302
    db_session.expire_all()
    assert item.answers == {**ANSWERS, "licence_held": True, "staff_checked": 6, "staff_health_certificates": True,
                            "purchase_records_kept": False, "expired_food_found": False}
    assert item.form["code"] == "food_business_record" and item.form["version"] == 1
    assert [f["name"] for f in item.form["fields"]][:2] == ["licence_held", "licence_number"]
    assert (item.methods, item.findings) == (["onsite"], ["no_licence"])
    assert item.recorded_by.startswith("staff") and item.recorded_at is not None
    audit = db_session.scalars(select(AuditRecord).where(AuditRecord.action == "item_record",
                                                         AuditRecord.object_id == str(item.id))).one()
    assert '"form":"food_business_record"' in audit.summary and '"again":false' in audit.summary


def test_the_page_asks_every_question_in_chinese_and_in_english_for_the_en_locale(db_session, login_as):
    task = make_form_task(db_session)
    item = initiator_item(task)
    client = login_as("staff", "SCJG")
    page = client.get(f"/tasks/{task.id}/items/{item.id}").get_data(as_text=True)
    assert "是否取得有效的食品经营许可证" in page and 'name="answer-licence_held"' in page
    english = login_as("staff", "SCJG", locale="en")
    page = english.get(f"/tasks/{task.id}/items/{item.id}").get_data(as_text=True)
    assert "Does the operator hold a valid food business licence?" in page


def test_a_question_verified_online_is_shown_as_verified_and_not_asked_again(db_session, login_as, registry):
    task = make_form_task(db_session)
    item = initiator_item(task)
    verify_manually(db_session, registry, task, item, ["licence_number"], "政务服务平台可查", "inspector")
    db_session.commit()
    client = login_as("staff", "SCJG")
    page = client.get(f"/tasks/{task.id}/items/{item.id}").get_data(as_text=True)
    assert 'name="answer-licence_number"' not in page and 'name="answer-licence_held"' in page
    answers = {k: v for k, v in ANSWERS.items() if k != "licence_number"}
    assert client.post(f"/tasks/{task.id}/items/{item.id}", data=form_data(answers)).status_code == 302
    db_session.expire_all()
    assert "licence_number" not in item.answers


def test_invalid_answers_are_shown_next_to_their_questions_and_nothing_is_recorded(db_session, login_as):
    task = make_form_task(db_session)
    item = initiator_item(task)
    client = login_as("staff", "SCJG")
    bad = {**ANSWERS, "licence_number": "JY1", "staff_checked": "lots"}
    answer = client.post(f"/tasks/{task.id}/items/{item.id}", data=form_data(bad, methods=()))
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    for question in ("licence_number", "staff_checked"):
        assert f'id="q-{question}-errors"' in page
    assert 'id="methods-errors"' in page
    assert 'value="JY1"' in page  # what was typed stays
    db_session.expire_all()
    assert item.answers is None and not item.recorded


def test_recorded_again_until_the_task_is_reviewed(db_session, registry):
    task = make_form_task(db_session)
    item = initiator_item(task)
    payload = {"answers": ANSWERS, "methods": ["onsite"], "findings": []}
    set_state(db_session, task, TaskState.RECORDED)
    record_item(db_session, registry, task, item, payload, "first")
    record_item(db_session, registry, task, item, {**payload, "findings": ["no_licence"]}, "second")
    assert (item.recorded_by, item.findings) == ("second", ["no_licence"])
    set_state(db_session, task, TaskState.REVIEWED)
    with pytest.raises(TaskRefused) as refused:
        record_item(db_session, registry, task, item, payload, "third")
    assert refused.value.code == "state"
    assert item.recorded_by == "second"


def test_another_departments_people_read_the_form_but_do_not_record_it(factories, db_session, login_as):
    task = make_form_task(db_session, [factories.department("BBB")])
    item = initiator_item(task)
    client = login_as("staff", "BBB")
    page = client.get(f"/tasks/{task.id}/items/{item.id}")
    assert page.status_code == 200 and 'name="answer-licence_held"' not in page.get_data(as_text=True)
    assert client.post(f"/tasks/{task.id}/items/{item.id}", data=form_data()).status_code == 403
    db_session.expire_all()
    assert not item.recorded


def test_the_teams_inspector_from_the_items_department_records_it(factories, db_session):
    task = make_form_task(db_session)
    item = initiator_item(task)
    member = next(m for m in task.team.members if m.active and m.department_id == item.department_id)
    user = factories.user("inspector", "SCJG", must_change_password=False)
    with scoped(db_session, Scope.system()):
        db_session.scalars(select(Inspector).where(Inspector.id == member.inspector_id)).one().user_id = user.id
        db_session.commit()
    client = factories.signed_in_client(user)
    assert client.post(f"/tasks/{task.id}/items/{item.id}", data=form_data()).status_code == 302
    db_session.expire_all()
    assert item.recorded_by == user.username


def test_an_inspector_not_on_the_team_does_not_see_the_task(factories, db_session, login_as):
    task = make_form_task(db_session)
    item = initiator_item(task)
    client = login_as("inspector", "SCJG")
    assert client.get(f"/tasks/{task.id}/items/{item.id}").status_code == 404
    assert client.post(f"/tasks/{task.id}/items/{item.id}", data=form_data()).status_code == 404


def test_an_item_of_another_task_is_not_found(db_session, login_as):
    first = make_form_task(db_session, targets=2)
    with scoped(db_session, Scope.system()):
        second = db_session.scalars(select(Task).where(Task.draw_id == first.draw_id, Task.id != first.id)).one()
    client = login_as("staff", "SCJG")
    assert client.get(f"/tasks/{first.id}/items/{second.items[0].id}").status_code == 404


def test_the_api_records_and_answers_bad_answers_per_question_in_both_languages(app, factories, db_session):
    task = make_form_task(db_session)
    item = initiator_item(task)
    client = api_client(app, factories, db_session)
    url = f"/api/v1/tasks/{task.id}/items/{item.id}"
    bad = client.put(url, json={"answers": {**ANSWERS, "staff_checked": 5000}, "methods": ["onsite"]})
    assert bad.status_code == 422
    [message] = bad.get_json()["errors"]["answers.staff_checked"]
    assert "between 0 and 1000" in message["en"] and set(message) == {"zh", "en"}

    good = client.put(url, json={"answers": {**ANSWERS, "licence_held": True, "staff_checked": 6},
                                 "methods": ["onsite", "documentary"], "findings": ["refused_entry"]})
    assert good.status_code == 200, good.get_json()
    document = client.get(url).get_json()
    assert document["answers"]["staff_checked"] == 6 and document["findings"] == ["refused_entry"]
    assert document["form"]["code"] == "food_business_record"
    assert "refused_entry" in [f["code"] for f in document["finding_choices"]]


def test_the_api_refuses_another_departments_item(app, factories, db_session):
    task = make_form_task(db_session, [factories.department("BBB")])
    item = initiator_item(task)
    client = api_client(app, factories, db_session, department="BBB")
    answer = client.put(f"/api/v1/tasks/{task.id}/items/{item.id}", json={"answers": ANSWERS, "methods": ["onsite"]})
    assert answer.status_code == 403
