"""A year of work whose every figure is known, for the console's tests (shipped like
:mod:`spotcheck.testing`).

Three member units: AAA leads a joint plan with BBB (four targets, so four joint visits), CCC
checks alone (two targets); DDD has no plan. The plans are for 2026: AAA's was submitted on time,
CCC's late. AAA's tasks were dispatched in March (first quarter), CCC's in May (second quarter).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.draw.models import Draw, Replacement, ReplacementState, TeamMember
from spotcheck.followup.models import Action, FollowUp, FollowUpState
from spotcheck.inspection.models import Task
from spotcheck.inspection.testing import make_tasks
from spotcheck.planning.models import AnnualPlan
from spotcheck.publication.testing import make_publication, review
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

YEAR = 2026


def at(day: date) -> datetime:
    """Noon in Beijing on ``day``."""
    return datetime(day.year, day.month, day.day, 4, 0, tzinfo=timezone.utc)


@dataclass
class World:
    departments: dict[str, Department]
    aaa_tasks: list[Task]
    ccc_tasks: list[Task]


def make_world(db_session: Session, departments: dict[str, Department]) -> World:
    """Build the year described in the module's docstring; committed."""
    aaa, bbb, ccc = departments["AAA"], departments["BBB"], departments["CCC"]
    aaa_tasks = make_tasks(db_session, aaa, [bbb], targets=4, first=0, year=YEAR)
    ccc_tasks = make_tasks(db_session, ccc, [], targets=2, first=100, year=YEAR)
    with scoped(db_session, Scope.system()):
        for tasks, day in ((aaa_tasks, date(YEAR, 3, 2)), (ccc_tasks, date(YEAR, 5, 4))):
            for task in tasks:
                task.created_at = at(day)
            draw = db_session.get(Draw, tasks[0].draw_id)
            assert draw is not None
            draw.drawn_at = at(day)
            plan = db_session.get(AnnualPlan, tasks[0].plan_id)
            assert plan is not None
            plan.late = tasks is ccc_tasks
    db_session.commit()
    _record(db_session, aaa_tasks, ccc_tasks)
    _follow_up(db_session, aaa_tasks, ccc_tasks, departments)
    _replace(db_session, aaa_tasks, departments)
    return World(departments, aaa_tasks, ccc_tasks)


def _record(db_session: Session, aaa_tasks: list[Task], ccc_tasks: list[Task]) -> None:
    # AAA: one task recorded in time and published in time, one recorded late (swept overdue
    # first) and published late, one overdue and unrecorded, one still dispatched.
    review(db_session, aaa_tasks[0], ended=date(YEAR, 3, 9))
    make_publication(db_session, aaa_tasks[0], today=date(YEAR, 3, 16))
    review(db_session, aaa_tasks[1], ended=date(YEAR, 3, 9))
    make_publication(db_session, aaa_tasks[1], today=date(YEAR, 5, 20))
    # CCC: one recorded in time, published in time; one dispatched.
    review(db_session, ccc_tasks[0], ended=date(YEAR, 5, 11))
    make_publication(db_session, ccc_tasks[0], today=date(YEAR, 5, 18))
    with scoped(db_session, Scope.system()):
        aaa_tasks[1].overdue = True
        aaa_tasks[2].overdue = True
        aaa_tasks[2].due_on = date(YEAR, 3, 18)
    db_session.commit()


def _follow_up(db_session: Session, aaa_tasks: list[Task], ccc_tasks: list[Task],
               departments: dict[str, Department]) -> None:
    # AAA owns an open and a closed one (March); BBB received a transfer (March, awaiting
    # acceptance: open); CCC owns an overdue one (May).
    rows = ((aaa_tasks[0], "AAA", "AAA", FollowUpState.OPEN, date(YEAR, 3, 20)),
            (aaa_tasks[0], "AAA", "AAA", FollowUpState.CLOSED, date(YEAR, 3, 20)),
            (aaa_tasks[1], "BBB", "AAA", FollowUpState.TRANSFERRED, date(YEAR, 3, 25)),
            (ccc_tasks[0], "CCC", "CCC", FollowUpState.OVERDUE, date(YEAR, 5, 20)))
    with scoped(db_session, Scope.system()):
        for task, owner, sender, state, day in rows:
            db_session.add(FollowUp(
                department_id=departments[owner].id, from_department_id=departments[sender].id,
                task_id=task.id, task_item_id=task.items[0].id, target_id=task.target_id,
                rule_code="test", rule_name_zh="测试规则", rule_name_en="Test rule", finding="test",
                action=Action.ORDER_CORRECTION.value, state=state.value, created_at=at(day)))
    db_session.commit()


def _replace(db_session: Session, aaa_tasks: list[Task], departments: dict[str, Department]) -> None:
    # Two requests in March: one for a BBB inspector (pending), one for an AAA inspector (approved).
    with scoped(db_session, Scope.system()):
        for code, state in (("BBB", ReplacementState.REQUESTED), ("AAA", ReplacementState.APPROVED)):
            member = db_session.scalars(select(TeamMember).where(
                TeamMember.team_id == aaa_tasks[3].team_id, TeamMember.department_code == code)).first()
            assert member is not None
            db_session.add(Replacement(
                department_id=departments[code].id, plan_id=aaa_tasks[3].plan_id, draw_id=aaa_tasks[3].draw_id,
                team_id=aaa_tasks[3].team_id, member_id=member.id, ground="post_change", reason="调岗",
                state=state.value, requested_by="staff", requested_at=at(date(YEAR, 3, 5))))
    db_session.commit()
