"""Each path of a follow-up: an order corrected (the result becomes corrected, the publication
amended), an order overdue (the rule's next step), a case closed, a transfer accepted or returned
with a reason; every move in the history and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.followup.models import Action, FollowUp, FollowUpState
from spotcheck.followup.service import FollowUpRefused, act, apply_outcome, followup_sweep, open_followups
from spotcheck.inspection.models import ResultCategory, TaskState
from spotcheck.publication.testing import make_publication
from spotcheck.tenancy.scope import Scope, scoped

from .conftest import REVIEWED_ON

pytestmark = pytest.mark.usefixtures("app_context")


def _publish(db_session, task):
    publication = make_publication(db_session, task)
    # What publication.service.publish is to call once it knows follow-up (see docs/followup.md).
    apply_outcome(db_session, task)
    return publication


def _all(db_session):
    with scoped(db_session, Scope.system()):
        return db_session.scalars(select(FollowUp).order_by(FollowUp.id)).all()


def test_every_matched_finding_opens_a_followup_with_the_rules_action(opened, departments, task):
    scjg, rsj, zjj = departments
    assert set(opened) == {"equipment_unregistered", "equipment_construction_site", "minimum_wage"}
    order = opened["equipment_unregistered"]
    assert (order.action, order.state, order.department_id) == ("order_correction", "open", scjg.id)
    # 10 working days after Monday 3 March 2025.
    assert (order.working_days, order.deadline, order.next_action) == (10, date(2025, 3, 17), "file_case")
    transfer = opened["equipment_construction_site"]
    assert (transfer.state, transfer.department_id, transfer.from_department_id) == ("transferred", zjj.id, scjg.id)
    assert opened["minimum_wage"].department_id == rsj.id
    assert [e.to_state for e in order.events] == ["open"]


def test_an_order_whose_deadline_needs_a_year_without_a_calendar_is_refused(app, db_session, task):
    with pytest.raises(FollowUpRefused) as refused:
        open_followups(db_session, task, app.extensions["spotcheck.plugins"], date(2026, 12, 28), "head")
    assert refused.value.code == "calendar" and "2027" in refused.value.message_en


def test_opening_twice_opens_nothing_new(app, db_session, opened, task):
    assert open_followups(db_session, task, app.extensions["spotcheck.plugins"], REVIEWED_ON, "head") == []
    assert len(_all(db_session)) == 3


def test_every_order_corrected_makes_the_result_corrected_and_amends_the_publication(
        db_session, factories, opened, task):
    publication = _publish(db_session, task)
    assert publication.followup_status == "pending"
    for code, department in (("equipment_unregistered", "SCJG"), ("minimum_wage", "RSJ")):
        act(db_session, opened[code], FollowUpState.CORRECTED, factories.user("staff", department), "fixed")
    assert task.result_category == ResultCategory.NO_PROBLEM.value, "the transfer still waits"
    zjj = factories.user("staff", "ZJJ")
    act(db_session, opened["equipment_construction_site"], FollowUpState.ACCEPTED, zjj)
    act(db_session, opened["equipment_construction_site"], FollowUpState.CLOSED, zjj, "handled")
    db_session.commit()
    assert publication.followup_status == "closed", "a transfer closed is not a correction"
    assert task.result_category == ResultCategory.NO_PROBLEM.value


def test_a_published_task_is_closed_once_nothing_is_left_to_follow_up(db_session, factories, opened, task):
    with scoped(db_session, Scope.system()):
        make_publication(db_session, task)
        task.state = TaskState.PUBLISHED.value
        db_session.flush()
    apply_outcome(db_session, task)
    assert task.state == TaskState.PUBLISHED.value, "follow-ups are pending"
    for code, department in (("equipment_unregistered", "SCJG"), ("minimum_wage", "RSJ")):
        act(db_session, opened[code], FollowUpState.CORRECTED, factories.user("staff", department), "fixed")
    assert task.state == TaskState.PUBLISHED.value, "the transfer still waits"
    zjj = factories.user("staff", "ZJJ")
    act(db_session, opened["equipment_construction_site"], FollowUpState.ACCEPTED, zjj)
    act(db_session, opened["equipment_construction_site"], FollowUpState.CLOSED, zjj, "handled")
    assert task.state == TaskState.CLOSED.value


def test_a_task_whose_only_followups_are_corrected_is_published_as_corrected(
        app, db_session, factories, task):
    from .conftest import give_findings
    give_findings(db_session, task, {"SCJG": ("special_equipment_use", ["unregistered_equipment"]),
                                     "RSJ": ("wage_payment", [])})
    (order,) = open_followups(db_session, task, app.extensions["spotcheck.plugins"], REVIEWED_ON, "head")
    publication = _publish(db_session, task)
    act(db_session, order, FollowUpState.CORRECTED, factories.user("staff", "SCJG"), "registered")
    db_session.commit()
    assert task.result_category == publication.result_category == ResultCategory.CORRECTED.value
    assert publication.followup_status == "corrected"
    assert order.outcome_note == "registered"


def test_an_overdue_order_opens_the_rules_next_step_once(db_session, opened):
    order = opened["equipment_unregistered"]
    followup_sweep(db_session, date(2025, 3, 17))
    assert order.state == FollowUpState.OPEN.value, "due on the 17th: not yet overdue"
    lines = followup_sweep(db_session, date(2025, 3, 18))
    db_session.commit()
    (step,) = [f for f in _all(db_session) if f.parent_id == order.id]
    assert order.state == FollowUpState.OVERDUE.value
    assert (step.action, step.state, step.department_id) == (Action.FILE_CASE.value, "open", order.department_id)
    assert f"follow-up {order.id}: overdue, next step file_case opened as {step.id}" in lines
    assert [(e.from_state, e.to_state, e.by) for e in order.events][-1] == ("open", "overdue",
                                                                             "system:followup-sweep")
    assert followup_sweep(db_session, date(2025, 3, 19)) == [], "the sweep is idempotent"


def test_a_returned_transfer_goes_back_with_its_reason(db_session, factories, opened, departments):
    scjg, _rsj, _zjj = departments
    transfer = opened["equipment_construction_site"]
    zjj = factories.user("staff", "ZJJ")
    with pytest.raises(FollowUpRefused) as refused:
        act(db_session, transfer, FollowUpState.RETURNED, zjj, "  ")
    assert refused.value.code == "reason" and "理由" in refused.value.message_zh
    act(db_session, transfer, FollowUpState.RETURNED, zjj, "not a construction site")
    db_session.commit()
    assert (transfer.state, transfer.department_id) == ("returned", scjg.id)
    assert transfer.events[-1].note == "not a construction site"
    act(db_session, transfer, FollowUpState.CLOSED, factories.user("staff", "SCJG"), "handled ourselves")
    assert transfer.state == "closed"


def test_only_the_owning_department_acts_and_only_along_the_transitions(db_session, factories, opened):
    order = opened["equipment_unregistered"]
    with pytest.raises(FollowUpRefused) as refused:
        act(db_session, order, FollowUpState.CORRECTED, factories.user("staff", "RSJ"))
    assert refused.value.code == "department"
    with pytest.raises(FollowUpRefused) as refused:
        act(db_session, order, FollowUpState.ACCEPTED, factories.user("staff", "SCJG"))
    assert refused.value.code == "transition"
    with pytest.raises(FollowUpRefused) as refused:
        act(db_session, order, FollowUpState.OVERDUE, factories.user("staff", "SCJG"))
    assert refused.value.code == "overdue"


def test_every_move_is_audited(db_session, factories, opened):
    order = opened["equipment_unregistered"]
    act(db_session, order, FollowUpState.CORRECTED, factories.user("staff", "SCJG"), "fixed")
    db_session.commit()
    with scoped(db_session, Scope.system()):
        actions = db_session.scalars(select(AuditRecord.action).where(
            AuditRecord.object_type == "followup", AuditRecord.object_id == str(order.id))).all()
    assert {"followup_open", "followup_corrected"} <= set(actions)
