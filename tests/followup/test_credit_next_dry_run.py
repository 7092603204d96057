"""A credit class changed by a published result or a follow-up outcome moves the target into
another stratum of the next work plan's dry run: real publication, real sweep, real dry run."""

from __future__ import annotations

from datetime import date

import pytest

from spotcheck.draw.testing import make_joint_plan
from spotcheck.followup.service import followup_sweep
from spotcheck.inspection.models import ResultCategory
from spotcheck.planning.dryrun import dry_run
from spotcheck.planning.workplan_testing import make_batch, make_work_plan
from spotcheck.publication.testing import make_publication, make_reviewed_tasks

pytestmark = pytest.mark.usefixtures("app_context")


def _stratum_of(db_session, initiator, participants, code):
    """The stratum of the target ``code`` in the dry run of a new plan's batch on the credit-risk
    default strata (credit=A, B, C, D)."""
    plan = make_joint_plan(db_session, initiator, participants, name="下一年度联合抽查计划")
    batch = make_batch(db_session, make_work_plan(db_session, initiator, plan))
    run = dry_run(db_session, batch)
    return next((s.key for s in run.strata if code in s.candidates), None)


def test_a_published_result_moves_the_target_to_another_stratum(db_session, departments):
    scjg, rsj, _zjj = departments
    task = make_reviewed_tasks(db_session, scjg, [rsj], category=ResultCategory.NON_COOPERATION,
                               situations=["refused_entry"])[0]
    code = task.target.code
    assert _stratum_of(db_session, scjg, [rsj], code) == "credit=B"
    make_publication(db_session, task)
    assert _stratum_of(db_session, scjg, [rsj], code) == "credit=D"


def test_a_follow_up_outcome_moves_the_target_to_another_stratum(db_session, departments, opened, task):
    scjg, rsj, _zjj = departments
    make_publication(db_session, task)
    code = task.target.code
    # Published without a problem but with findings followed up: no_problem +1 is class A.
    assert _stratum_of(db_session, scjg, [rsj], code) == "credit=A"
    followup_sweep(db_session, date(2025, 3, 18))  # the orders are overdue, cases are filed
    db_session.commit()
    assert _stratum_of(db_session, scjg, [rsj], code) == "credit=D"
