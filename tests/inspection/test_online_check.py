"""Online check first (seed article 16(1)): each item's plugin is asked about the target before the
visit, or an inspector records what they verified online; what is settled is marked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from spotcheck.api.tokens import create_token
from spotcheck.audit.models import AuditRecord
from spotcheck.hooks import build_plugin_manager
from spotcheck.inspection.form_testing import as_disclosure_item, initiator_item, make_form_task
from spotcheck.inspection.models import TaskState
from spotcheck.inspection.online import run_online_check, verify_manually
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.plugin_api import DataPlugin
from spotcheck.registry.targets.testing import credit_code
from spotcheck.tenancy.scope import Scope, scoped


@pytest.fixture
def registry(app):
    return app.extensions["spotcheck.plugins"]


def unreachable(item_code, target):
    """The bureau's disclosure system, not answering."""
    raise ConnectionError("公示系统无响应")


def test_the_plugin_settles_a_question_and_the_task_is_checked_online(factories, db_session, registry):
    task = make_form_task(db_session, [factories.department("BBB")])
    item = as_disclosure_item(db_session, initiator_item(task))
    assert task.target.code == credit_code(1)
    run_online_check(db_session, registry, task, [item], "inspector")
    db_session.commit()
    assert item.online_status == "verified"
    assert item.online_fields == ["annual_report_on_time"]
    assert "按时报送" in item.online_summary and "on time" in item.online_summary
    assert task.state == TaskState.ONLINE_CHECKED.value
    audit = db_session.scalars(select(AuditRecord).where(AuditRecord.action == "item_online_check",
                                                         AuditRecord.object_id == str(item.id))).one()
    assert '"status":"verified"' in audit.summary


def test_a_late_report_is_a_discrepancy_that_settles_nothing(db_session, registry):
    task = make_form_task(db_session, first=2)
    item = as_disclosure_item(db_session, initiator_item(task))
    run_online_check(db_session, registry, task, [item], "inspector")
    assert (item.online_status, item.online_fields) == ("discrepancy", [])


def test_an_item_without_an_online_check_says_so(factories, db_session, registry):
    task = make_form_task(db_session, [factories.department("BBB")])
    run_online_check(db_session, registry, task, task.items, "inspector")
    assert {(i.department_code, i.online_status) for i in task.items} == {("SCJG", "not_offered"),
                                                                           ("BBB", "not_offered")}


def test_a_department_system_that_fails_is_unavailable_and_the_others_still_answer(db_session):
    registry = build_plugin_manager([], extra=[("scjg-down", DataPlugin("spotcheck_scjg", precheck=unreachable))])
    assert list(registry.loaded) == ["SCJG"]
    task = make_form_task(db_session)
    item = as_disclosure_item(db_session, initiator_item(task))
    run_online_check(db_session, registry, task, [item], "inspector")
    assert item.online_status == "unavailable"
    assert "公示系统无响应" in item.online_summary and item.online_fields == []


def test_an_inspector_records_what_they_verified_online_by_hand(db_session, registry):
    task = make_form_task(db_session)
    item = initiator_item(task)
    verify_manually(db_session, registry, task, item, ["licence_number", "licence_held"],
                    "在政务服务平台查询到有效的食品经营许可证。", "inspector")
    db_session.commit()
    assert (item.online_status, item.online_fields) == ("manual", ["licence_held", "licence_number"])
    assert task.state == TaskState.ONLINE_CHECKED.value
    assert db_session.scalars(select(AuditRecord).where(AuditRecord.action == "item_online_verify",
                                                        AuditRecord.object_id == str(item.id))).one()


@pytest.mark.parametrize(("fields", "note", "code"), [
    (["no_such_question"], "查询", "fields"),
    ([], "查询", "fields"),
    (["licence_held"], "  ", "note"),
])
def test_a_verification_by_hand_names_real_questions_and_says_how(db_session, registry, fields, note, code):
    task = make_form_task(db_session)
    with pytest.raises(TaskRefused) as refused:
        verify_manually(db_session, registry, task, initiator_item(task), fields, note, "inspector")
    assert refused.value.code == code


def test_the_online_check_comes_before_the_visit(db_session, registry):
    task = make_form_task(db_session)
    with scoped(db_session, Scope.system()):
        task.state = TaskState.ON_SITE.value
        db_session.commit()
    with pytest.raises(TaskRefused) as refused:
        run_online_check(db_session, registry, task, task.items, "inspector")
    assert refused.value.code == "state"


def test_the_online_page_checks_the_users_own_items_only(factories, db_session, login_as):
    task = make_form_task(db_session, [factories.department("BBB")])
    item = as_disclosure_item(db_session, initiator_item(task))
    other = next(i for i in task.items if i.department_code == "BBB")
    client = login_as("staff", "SCJG")
    assert client.post(f"/tasks/{task.id}/online-check").status_code == 302
    db_session.expire_all()
    assert item.online_status == "verified" and other.online_status is None
    page = client.get(f"/tasks/{task.id}/online-check").get_data(as_text=True)
    assert "按时报送并公示" in page


def test_a_participant_does_not_verify_another_departments_item(factories, db_session, login_as):
    task = make_form_task(db_session, [factories.department("BBB")])
    client = login_as("staff", "BBB")
    item = initiator_item(task)
    answer = client.post(f"/tasks/{task.id}/items/{item.id}/online",
                         data={f"item{item.id}-questions": ["licence_held"], f"item{item.id}-note": "查询"})
    assert answer.status_code == 403
    db_session.expire_all()
    assert item.online_status is None


def test_the_verification_form_on_the_page(db_session, login_as):
    task = make_form_task(db_session)
    item = initiator_item(task)
    client = login_as("staff", "SCJG")
    answer = client.post(f"/tasks/{task.id}/items/{item.id}/online",
                         data={f"item{item.id}-questions": ["licence_held"], f"item{item.id}-note": "许可证在网上可查"})
    assert answer.status_code == 302
    db_session.expire_all()
    assert item.online_fields == ["licence_held"] and item.online_summary == "许可证在网上可查"


def test_a_plugin_without_a_check_leaves_an_inspectors_verification_standing(db_session, registry):
    task = make_form_task(db_session)
    item = initiator_item(task)
    verify_manually(db_session, registry, task, item, ["licence_held"], "政务服务平台可查", "inspector")
    assert run_online_check(db_session, registry, task, [item], "inspector") == []
    assert (item.online_status, item.online_fields) == ("manual", ["licence_held"])


def test_the_api_checks_online_and_takes_a_verification_by_hand(app, factories, db_session):
    task = make_form_task(db_session, [factories.department("BBB")])
    item = as_disclosure_item(db_session, initiator_item(task))
    _token, secret = create_token(db_session, factories.user("staff", "SCJG"), "online")
    db_session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"

    [checked] = client.post(f"/api/v1/tasks/{task.id}/online-check").get_json()
    assert (checked["id"], checked["status"], checked["fields"]) == (item.id, "verified", ["annual_report_on_time"])

    url = f"/api/v1/tasks/{task.id}/items/{item.id}/online"
    missing = client.put(url, json={"fields": ["reachable_at_address"]})
    assert missing.status_code == 422 and "note" in missing.get_json()["errors"]
    answer = client.put(url, json={"fields": ["annual_report_on_time", "reachable_at_address"],
                                   "note": "公示系统年报中的住所与登记一致"})
    assert answer.status_code == 200
    assert answer.get_json()["fields"] == ["annual_report_on_time", "reachable_at_address"]
    document = client.get(f"/api/v1/tasks/{task.id}/items/{item.id}").get_json()
    assert "reachable_at_address" not in document["asked"] and document["online"]["status"] == "manual"
