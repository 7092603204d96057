"""Advance notice (seed article 16(2)): recorded by the team's leader before the visit, of the day
and the items — never of an item the law forbids announcing."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from spotcheck.api.tokens import create_token
from spotcheck.audit.models import AuditRecord
from spotcheck.inspection.form_testing import make_form_task
from spotcheck.inspection.models import Notice, TaskState
from spotcheck.inspection.notice import NoticeValues, record_notice
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.tenancy.scope import Scope, scoped

ZONE = "Asia/Shanghai"
TOMORROW = date.today() + timedelta(days=1)


def forbid_notice(db_session, item) -> None:
    with scoped(db_session, Scope.system()):
        item.notice_forbidden = True
        db_session.commit()


def phone_notice(task, **fields) -> NoticeValues:
    return NoticeValues(**{"channel": "phone", "recipient": "王经理 13912345678", "visit_on": TOMORROW,
                           "item_ids": tuple(i.id for i in task.items), **fields})


def notices_of(db_session, task) -> list[Notice]:
    with scoped(db_session, Scope.system()):
        return list(db_session.scalars(select(Notice).where(Notice.task_id == task.id)))


def test_a_telephone_notice_is_recorded_and_the_task_is_notified(factories, db_session):
    task = make_form_task(db_session, [factories.department("BBB")])
    notice = record_notice(db_session, task, phone_notice(task), "leader", None, ZONE)
    db_session.commit()
    assert task.state == TaskState.NOTIFIED.value
    assert notice.item_codes == ["SCJG:scjg_item", "BBB:bbb_item"]
    assert (notice.channel, notice.delivery, notice.recorded_by) == ("phone", None, "leader")
    audit = db_session.scalars(select(AuditRecord).where(AuditRecord.action == "notice_record",
                                                         AuditRecord.object_id == str(notice.id))).one()
    assert "13912345678" not in audit.summary and "5678" in audit.summary


def test_a_notice_naming_an_item_the_law_forbids_announcing_is_refused_naming_it(factories, db_session):
    task = make_form_task(db_session, [factories.department("BBB")])
    forbidden = next(i for i in task.items if i.department_code == "BBB")
    forbid_notice(db_session, forbidden)
    with pytest.raises(TaskRefused) as refused:
        record_notice(db_session, task, phone_notice(task), "leader", None, ZONE)
    assert refused.value.code == "notice_forbidden"
    assert forbidden.name_zh in refused.value.message_zh and forbidden.name_en in refused.value.message_en
    assert task.state == TaskState.DISPATCHED.value


def test_the_other_items_may_still_be_announced(factories, db_session):
    task = make_form_task(db_session, [factories.department("BBB")])
    forbidden = next(i for i in task.items if i.department_code == "BBB")
    forbid_notice(db_session, forbidden)
    allowed = tuple(i.id for i in task.items if i is not forbidden)
    notice = record_notice(db_session, task, phone_notice(task, item_ids=allowed), "leader", None, ZONE)
    assert notice.item_codes == ["SCJG:scjg_item"]


@pytest.mark.parametrize(("fields", "code"), [
    ({"channel": "pigeon"}, "channel"),
    ({"recipient": "  "}, "recipient"),
    ({"channel": "email", "recipient": "not-an-address"}, "recipient"),
    ({"item_ids": ()}, "items"),
    ({"item_ids": (987654321,)}, "items"),
    ({"visit_on": date(2020, 1, 1)}, "visit_on"),
    ({"notified_at": datetime.now(timezone.utc) + timedelta(days=1)}, "notified_at"),
])
def test_a_notice_without_a_way_a_recipient_items_or_a_sensible_day_is_refused(factories, db_session, fields, code):
    task = make_form_task(db_session)
    with pytest.raises(TaskRefused) as refused:
        record_notice(db_session, task, phone_notice(task, **fields), "leader", None, ZONE)
    assert refused.value.code == code
    assert refused.value.message_zh and refused.value.message_en


def test_an_email_notice_is_refused_while_no_mail_server_is_configured(db_session):
    task = make_form_task(db_session)
    with pytest.raises(TaskRefused) as refused:
        record_notice(db_session, task, phone_notice(task, channel="email", recipient="boss@example.com"),
                      "leader", None, ZONE)
    assert refused.value.code == "email_unconfigured"
    assert notices_of(db_session, task) == []


def test_no_notice_once_the_team_is_on_site(db_session):
    task = make_form_task(db_session)
    with scoped(db_session, Scope.system()):
        task.state = TaskState.ON_SITE.value
        db_session.commit()
    with pytest.raises(TaskRefused) as refused:
        record_notice(db_session, task, phone_notice(task), "leader", None, ZONE)
    assert refused.value.code == "state"


def test_a_second_notice_keeps_the_task_notified(db_session):
    task = make_form_task(db_session)
    record_notice(db_session, task, phone_notice(task), "leader", None, ZONE)
    record_notice(db_session, task, phone_notice(task, channel="fax", recipient="0971-8123456"), "leader", None, ZONE)
    db_session.commit()
    assert task.state == TaskState.NOTIFIED.value
    assert sorted(n.channel for n in notices_of(db_session, task)) == ["fax", "phone"]


def test_the_leaders_department_records_a_notice_on_the_page(factories, db_session, login_as):
    task = make_form_task(db_session, [factories.department("BBB")])
    client = login_as("staff", "SCJG")
    page = client.get(f"/tasks/{task.id}/notice")
    assert page.status_code == 200 and 'name="recipient"' in page.get_data(as_text=True)
    answer = client.post(f"/tasks/{task.id}/notice", data={
        "channel": "phone", "recipient": "王经理 13912345678", "visit_on": TOMORROW.isoformat(),
        "items": [str(i.id) for i in task.items]})
    assert answer.status_code == 302
    db_session.expire_all()
    assert task.state == TaskState.NOTIFIED.value
    listed = client.get(f"/tasks/{task.id}/notice").get_data(as_text=True)
    assert "5678" in listed and "13912345678" not in listed  # the contact's number is masked


def test_the_page_shows_the_ban_next_to_the_item(factories, db_session, login_as):
    task = make_form_task(db_session, [factories.department("BBB")])
    forbidden = next(i for i in task.items if i.department_code == "BBB")
    forbid_notice(db_session, forbidden)
    client = login_as("staff", "SCJG")
    answer = client.post(f"/tasks/{task.id}/notice", data={
        "channel": "phone", "recipient": "王经理", "visit_on": TOMORROW.isoformat(),
        "items": [str(i.id) for i in task.items]})
    assert answer.status_code == 422
    assert "法律法规规定检查前不得告知的事项不能告知" in answer.get_data(as_text=True)
    assert notices_of(db_session, task) == []


def test_a_participating_department_sees_the_notices_but_does_not_give_them(factories, db_session, login_as):
    task = make_form_task(db_session, [factories.department("BBB")])
    client = login_as("staff", "BBB")
    page = client.get(f"/tasks/{task.id}/notice")
    assert page.status_code == 200 and 'name="recipient"' not in page.get_data(as_text=True)
    answer = client.post(f"/tasks/{task.id}/notice", data={
        "channel": "phone", "recipient": "王经理", "visit_on": TOMORROW.isoformat(), "items": [str(task.items[0].id)]})
    assert answer.status_code == 403
    assert notices_of(db_session, task) == []


def test_the_api_refuses_the_forbidden_item_on_the_items_field_in_both_languages(factories, db_session, app):
    task = make_form_task(db_session, [factories.department("BBB")])
    forbid_notice(db_session, next(i for i in task.items if i.department_code == "BBB"))
    _token, secret = create_token(db_session, factories.user("staff", "SCJG"), "notice")
    db_session.commit()
    answer = app.test_client().post(f"/api/v1/tasks/{task.id}/notices", headers={"Authorization": f"Bearer {secret}"},
                                    json={"channel": "phone", "recipient": "王经理", "visit_on": TOMORROW.isoformat(),
                                          "items": [i.id for i in task.items]})
    assert answer.status_code == 422
    [message] = answer.get_json()["errors"]["items"]
    assert "不得告知" in message["zh"] and "forbids" in message["en"]


def test_the_api_lists_the_notices_with_the_recipient_masked(factories, db_session, app):
    task = make_form_task(db_session)
    record_notice(db_session, task, phone_notice(task), "leader", None, ZONE)
    _token, secret = create_token(db_session, factories.user("staff", "SCJG"), "notice")
    db_session.commit()
    [notice] = app.test_client().get(f"/api/v1/tasks/{task.id}/notices",
                                     headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert notice["channel"] == "phone" and notice["items"] == ["SCJG:scjg_item"]
    assert "13912345678" not in notice["recipient"]
