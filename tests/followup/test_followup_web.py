"""The follow-up pages: the department's queue, a follow-up with the owner's actions, a transfer
seen by the receiving department with the published result only, a target's credit record, 404
across departments."""

from __future__ import annotations

from spotcheck.followup.credit import record_publication
from spotcheck.followup.models import FollowUpState
from spotcheck.publication.testing import make_publication, make_reviewed_tasks


def test_the_queue_lists_what_the_department_owns_and_what_it_sent(login_as, opened):
    scjg = login_as("staff", "SCJG")
    own = scjg.get("/followups/").get_data(as_text=True)
    assert "责令限期办理使用登记" in own and "移交住房和城乡建设部门" not in own
    sent = scjg.get("/followups/?box=sent").get_data(as_text=True)
    assert "移交住房和城乡建设部门" in sent and "责令限期办理使用登记" not in sent
    zjj = login_as("staff", "ZJJ").get("/followups/?state=transferred").get_data(as_text=True)
    assert "移交住房和城乡建设部门" in zjj and "责令限期办理使用登记" not in zjj


def test_the_receiving_department_sees_the_transfer_and_the_published_result_only(
        login_as, db_session, opened, task):
    make_publication(db_session, task)
    transfer = opened["equipment_construction_site"]
    zjj = login_as("staff", "ZJJ")
    page = zjj.get(f"/followups/{transfer.id}").get_data(as_text=True)
    assert task.target.code in page and f"/tasks/{task.id}" not in page, "the task itself stays closed"
    assert zjj.get(f"/followups/{opened['equipment_unregistered'].id}").status_code == 404
    assert zjj.get(f"/tasks/{task.id}").status_code == 404
    assert f"/tasks/{task.id}" in login_as("staff", "SCJG").get(f"/followups/{transfer.id}").get_data(as_text=True)


def test_the_receiving_department_returns_a_transfer_with_the_reason(login_as, db_session, opened, departments):
    transfer = opened["equipment_construction_site"]
    zjj = login_as("staff", "ZJJ")
    refused = zjj.post(f"/followups/{transfer.id}/act", data={"to": "returned", "note": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert "退回移交事项须说明理由" in refused
    response = zjj.post(f"/followups/{transfer.id}/act", data={"to": "returned", "note": "不属于建筑工地"})
    assert response.status_code == 302
    db_session.refresh(transfer)
    assert (transfer.state, transfer.department_id) == (FollowUpState.RETURNED.value, departments[0].id)
    assert zjj.get(f"/followups/{transfer.id}").status_code == 404, "returned: no longer the receiver's"


def test_only_the_owner_acts(login_as, db_session, opened):
    order = opened["equipment_unregistered"]
    sender = login_as("staff", "SCJG")
    transfer = opened["equipment_construction_site"]
    assert sender.post(f"/followups/{transfer.id}/act", data={"to": "accepted"}).status_code == 403
    assert sender.post(f"/followups/{order.id}/act", data={"to": "corrected", "note": "已登记"}).status_code == 302
    db_session.refresh(order)
    assert order.state == FollowUpState.CORRECTED.value
    assert login_as("staff", "RSJ").get(f"/followups/{order.id}").status_code == 404


def test_the_credit_page_shows_the_timeline_to_the_departments_that_see_the_target(
        app, login_as, db_session, departments):
    task = make_reviewed_tasks(db_session, departments[0])[0]
    with app.app_context():
        record_publication(db_session, make_publication(db_session, task))
    db_session.commit()
    page = login_as("staff", "SCJG").get(f"/credit/{task.target_id}").get_data(as_text=True)
    assert task.target.code in page and "no_problem" in page
    assert login_as("staff", "ZJJ").get(f"/credit/{task.target_id}").status_code == 404
