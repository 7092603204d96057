"""The demo's inspection tasks: every state the inspection services reach before publication —
dispatched, notified, checked online, on site, recorded (with findings, non-cooperation and
evidence), reviewed, returned, and overdue — loaded through the services, seeding the calendar
when it is missing; a second load changes nothing; the demo inspector finds his team's tasks in
his queue. Which targets the draws pick is random by design: these tests hold what happened to
the tasks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from spotcheck.db import Base
from spotcheck.demo.accounts import DEMO_PASSWORD, load_demo
from spotcheck.demo.draws import load_demo_draws
from spotcheck.demo.people import load_demo_people
from spotcheck.demo.plans import CATERING_PLAN, load_demo_plans
from spotcheck.demo.targets import load_demo_targets
from spotcheck.demo.tasks import WALKS, load_demo_tasks
from spotcheck.hooks.definitions import ChecklistFormDef
from spotcheck.inspection import evidence, forms
from spotcheck.inspection.models import Evidence, Notice, ResultCategory, Task, TaskEvent, TaskItem, TaskState
from spotcheck.planning.models import AnnualPlan

TODAY = date(2026, 11, 26)
BEFORE_PUBLICATION = {TaskState.DISPATCHED, TaskState.NOTIFIED, TaskState.ONLINE_CHECKED, TaskState.ON_SITE,
                      TaskState.RECORDED, TaskState.REVIEWED}


@pytest.fixture
def storage_dir(app, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "evidence"
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(folder))
    return folder


def load_everything(app, db_session):
    with app.app_context():
        load_demo(db_session)
        load_demo_targets(db_session)
        load_demo_people(db_session)
        load_demo_plans(db_session)
        load_demo_draws(db_session)
        return load_demo_tasks(db_session, TODAY)


def all_tasks(db_session) -> list[Task]:
    return list(db_session.scalars(select(Task).order_by(Task.id)))


def trail(db_session, task: Task) -> list[tuple[str | None, str]]:
    return [(e.from_state, e.to_state) for e in db_session.scalars(
        select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(TaskEvent.id))]


def test_the_demo_holds_tasks_in_every_state_before_publication_and_overdue_ones(
        app, db_session, storage_dir):
    report = load_everything(app, db_session)
    tasks = all_tasks(db_session)

    assert report.calendar_years == [2025, 2026], "the demo seeds the calendar it needs when it is missing"
    assert report.walked == 2 * len(WALKS) and report.overdue == 6
    assert {TaskState(t.state) for t in tasks} == BEFORE_PUBLICATION
    overdue = [t for t in tasks if t.overdue]
    assert {TaskState(t.state) for t in overdue} == {TaskState.ON_SITE, TaskState.RECORDED}
    assert all(t.due_on < TODAY and t.check_ended_on.year == 2026 for t in overdue)
    late = [t for t in tasks if t.due_on is not None and t.due_on < TODAY and t.recorded_at is None]
    assert late and all(t.overdue for t in late)
    assert any(t.overdue and t.recorded_at is not None for t in tasks), "recorded late, still counted overdue"
    assert {n.channel for n in db_session.scalars(select(Notice))} == {"phone", "fax"}

    catering = db_session.scalars(select(AnnualPlan.id).where(AnnualPlan.name == CATERING_PLAN)).one()
    reviewed = [t for t in tasks if t.plan_id == catering and t.state == TaskState.REVIEWED.value]
    assert reviewed and {t.reviewed_by for t in reviewed} == {"demo-head"}
    returned = [t for t in tasks if t.plan_id == catering and ("recorded", "on_site") in trail(db_session, t)]
    assert {t.state for t in returned} == {TaskState.ON_SITE.value, TaskState.RECORDED.value}
    assert all(t.review_note and t.reviewed_by == "demo-head" and not t.overdue for t in returned)
    again = next(t for t in returned if t.state == TaskState.RECORDED.value)
    assert trail(db_session, again)[-3:] == [("on_site", "recorded"), ("recorded", "on_site"),
                                             ("on_site", "recorded")]


def test_the_demo_records_every_item_on_its_plugins_form_with_findings_non_cooperation_and_evidence(
        app, db_session, storage_dir):
    load_everything(app, db_session)
    tasks = all_tasks(db_session)

    for task in tasks:
        if TaskState(task.state) in (TaskState.RECORDED, TaskState.REVIEWED):
            assert all(item.recorded for item in task.items) and task.result_category
        for item in task.items:
            if item.recorded:
                record = {"answers": item.answers, "methods": item.methods, "findings": item.findings}
                with app.app_context():
                    forms.validate_record(ChecklistFormDef.from_document(item.form), item,
                                          forms.item_choices(db_session, item), record)
    categories = {t.result_category for t in tasks if t.result_category}
    assert {ResultCategory.NO_PROBLEM.value, ResultCategory.CORRECTED.value,
            ResultCategory.PENDING_FOLLOWUP.value, ResultCategory.NON_COOPERATION.value} <= categories
    refused = [t for t in tasks if t.result_category == ResultCategory.NON_COOPERATION.value]
    assert refused
    assert all(t.non_cooperation == ["refused_records", "untruthful_information"] for t in refused)

    checked_online = db_session.scalars(select(TaskItem).where(TaskItem.online_status.is_not(None))).all()
    assert {"not_offered", "manual"} <= {i.online_status for i in checked_online}
    for item in checked_online:
        if item.recorded:
            assert not set(item.online_fields) & set(item.answers), "verified online: not asked again"

    photos = db_session.scalars(select(Evidence)).all()
    assert photos and all(p.content_type == "image/png" for p in photos)
    with app.app_context():
        for photo in photos:
            evidence.open_verified(db_session, photo, evidence.Storage.of(app)).close()


@pytest.fixture
def run(app, db_session):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def row_counts(db_session) -> dict[str, int]:
    return {table.name: db_session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables}


def test_loading_the_demo_twice_changes_no_row_and_no_evidence_file_and_seeds_the_calendar_once(
        run, db_session, storage_dir):
    first = run("demo", "load")
    assert first.exit_code == 0, first.output
    assert f"inspection tasks walked: {2 * len(WALKS)}; marked overdue: 6" in first.output
    assert "working-day calendars seeded for the demo: 2025, 2026" in first.output
    counts, files = row_counts(db_session), sorted(storage_dir.rglob("*"))

    second = run("demo", "load")
    assert second.exit_code == 0, second.output
    assert "inspection tasks walked: 0; marked overdue: 0" in second.output
    assert "results published on the portal: 0" in second.output
    assert "calendars seeded" not in second.output
    assert row_counts(db_session) == counts
    assert sorted(storage_dir.rglob("*")) == files


def test_the_demo_inspector_finds_his_teams_tasks_in_his_queue(run, client, db_session, storage_dir):
    assert run("demo", "load").exit_code == 0
    response = client.post("/sign-in", data={"username": "demo-inspector", "password": DEMO_PASSWORD})
    assert response.status_code == 302

    his = next(t for t in all_tasks(db_session) if t.state == TaskState.ON_SITE.value
               and [i.recorded_by for i in t.items if i.recorded] == ["demo-inspector"])
    assert f'href="/tasks/{his.id}"' in client.get("/tasks/?state=on_site").get_data(as_text=True)
    assert client.get(f"/tasks/{his.id}").status_code == 200
    queue = client.get("/tasks/").get_data(as_text=True)
    assert queue.count('href="/tasks/') > 1


def test_the_demo_publishes_reviewed_results_and_closes_those_with_nothing_to_follow_up(
        run, client, db_session, storage_dir):
    assert run("demo", "load").exit_code == 0
    published = db_session.scalars(select(Task).where(Task.state == TaskState.PUBLISHED.value)).all()
    waiting = db_session.scalars(select(Task).where(Task.state == TaskState.REVIEWED.value)).all()
    closed = db_session.scalars(select(Task).where(Task.state == TaskState.CLOSED.value)).all()
    assert published and closed and len(waiting) == 2, "published with follow-ups pending, closed without"
    page = client.get(f"/public/targets/{published[0].target.code}")
    assert page.status_code == 200 and published[0].target.code in page.get_data(as_text=True)
