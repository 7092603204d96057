"""A joint plan of all six member units runs through the whole flow on the real plugins' items,
checklist forms and follow-up rules: plan → draw → team → forms → findings → follow-up → published.

The market regulation bureau initiates; each department checks one of its own items at the same
target, on its plugin's form, and records findings its plugin's rules act on: orders of correction
the department keeps, and transfers to another member unit.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest
from sqlalchemy import select

from spotcheck.followup.models import FollowUp
from spotcheck.hooks import sync_departments
from spotcheck.hooks.definitions import ChecklistFormDef
from spotcheck.inspection import review
from spotcheck.inspection import results as inspection_results
from spotcheck.inspection.forms import record_item
from spotcheck.inspection.models import ResultCategory, TaskState
from spotcheck.inspection.results import record_result, suggest
from spotcheck.inspection.schedule import end_check, schedule, start_on_site
from spotcheck.inspection.testing import make_task
from spotcheck.publication.models import Publication
from spotcheck.publication.service import publish
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

INITIATOR = "SCJG"
PARTICIPANTS = ("YJGL", "WSJK", "STHJ", "WLJ", "RSJ")
CHECKS = {  # department: (its item, the findings its inspectors record)
    "SCJG": ("food_business", ["staff_health_certificate_missing"]),
    "YJGL": ("hazard_management", ["hazard_not_removed"]),
    "WSJK": ("public_place_hygiene", ["no_entertainment_licence"]),
    "STHJ": ("discharge_permit", ["ledger_missing"]),
    "WLJ": ("entertainment_venue", ["prices_not_marked"]),
    "RSJ": ("labour_contracts", ["no_written_contracts", "workplace_safety_hazard"]),
}
VISIT = date(2026, 3, 2)  # a Monday, in the seeded calendars
RECORDED = datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc)  # noon in Beijing, the next day
REVIEWED = date(2026, 3, 4)
PUBLISHED = date(2026, 3, 5)


def answers(form: ChecklistFormDef) -> dict[str, Any]:
    """An answer to every required question of ``form``, of the question's type."""
    made = {"boolean": lambda f: False, "integer": lambda f: int(f.min or 0),
            "decimal": lambda f: f.min or 0, "date": lambda f: VISIT.isoformat(),
            "choice": lambda f: f.choices[0].value, "multichoice": lambda f: [f.choices[0].value],
            "text": lambda f: "见附件", "textarea": lambda f: "见附件"}
    assert not any(f.pattern for f in form.fields if f.required), "a pattern needs a real answer"
    return {f.name: made[f.type](f) for f in form.fields if f.required}


@pytest.fixture
def registry(app):
    return app.extensions["spotcheck.plugins"]


@pytest.fixture
def departments(db_session, registry) -> dict[str, Department]:
    """The six departments as their plugins define them."""
    sync_departments(db_session, registry)
    db_session.commit()
    with scoped(db_session, Scope.system()):
        return {d.code: d for d in db_session.scalars(select(Department).where(Department.code.in_(CHECKS)))}


@pytest.fixture
def fixed_days(monkeypatch):
    """The results are recorded and reviewed on fixed days, so every deadline falls in the seeded
    calendars whatever the day the test runs."""
    monkeypatch.setattr(inspection_results, "utcnow", lambda: RECORDED)
    monkeypatch.setattr(review, "today", lambda: REVIEWED)


def test_a_joint_check_of_six_departments_runs_from_plan_to_publication(
        app, db_session, factories, registry, departments, fixed_days):
    items = {code: registry.loaded[code].items[item] for code, (item, _findings) in CHECKS.items()}

    # Plan, draw and team: one target, one joint team with an inspector of every department.
    task = make_task(db_session, departments[INITIATOR], [departments[c] for c in PARTICIPANTS], items=items)
    with scoped(db_session, Scope.system()):
        assert task.team.state is not None
        assert {m.department_id for m in task.team.members} == {d.id for d in departments.values()}
        assert {i.department_code: i.item_code for i in task.items} == {c: i for c, (i, _f) in CHECKS.items()}

    # On site, each department fills its own plugin's checklist form and records its findings.
    leader = factories.user("inspector", INITIATOR)
    with app.app_context():
        schedule(db_session, task, VISIT, "六部门联合检查")
        start_on_site(db_session, task, leader)
        for item in task.items:
            form = registry.loaded[item.department_code].forms[item.form_code]
            record_item(db_session, registry, task, item, {
                "answers": answers(form), "methods": ["onsite"],
                "findings": CHECKS[item.department_code][1]}, f"inspector-{item.department_code}")
        end_check(db_session, registry, task, VISIT, VISIT)
        assert suggest(task).category is ResultCategory.PENDING_FOLLOWUP
        record_result(db_session, registry, task, ResultCategory.PENDING_FOLLOWUP.value, [], leader)
        db_session.commit()

        # The initiator's head approves: every department's rules open its follow-ups.
        review.approve(db_session, task, factories.user("head", INITIATOR))
        db_session.commit()
        publication = publish(db_session, task, "head", today=PUBLISHED, timezone="Asia/Shanghai")
        db_session.commit()

    with scoped(db_session, Scope.system()):
        followups = db_session.scalars(select(FollowUp).where(FollowUp.task_id == task.id)).all()
        codes = {d.id: c for c, d in departments.items()}
        opened = {(codes[f.from_department_id], f.finding): (f.action, f.working_days, codes[f.department_id])
                  for f in followups}
        assert opened == {
            ("SCJG", "staff_health_certificate_missing"): ("order_correction", 5, "SCJG"),
            ("YJGL", "hazard_not_removed"): ("order_correction", 5, "YJGL"),
            ("WSJK", "no_entertainment_licence"): ("transfer", None, "WLJ"),
            ("STHJ", "ledger_missing"): ("order_correction", 10, "STHJ"),
            ("WLJ", "prices_not_marked"): ("transfer", None, "SCJG"),
            ("RSJ", "no_written_contracts"): ("order_correction", 10, "RSJ"),
            ("RSJ", "workplace_safety_hazard"): ("transfer", None, "YJGL"),
        }
        assert all(f.deadline is not None for f in followups if f.action == "order_correction")
        assert task.state == TaskState.PUBLISHED.value
        assert db_session.scalars(select(Publication).where(Publication.task_id == task.id)).one() is publication
