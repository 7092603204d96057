"""The credit record (seed article 19): published results, follow-up outcomes and serious
non-cooperation go into the target's timeline, and the configurable rule recomputes its class."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.followup.credit import CreditRule, record_publication, recompute, record_result, timeline
from spotcheck.followup.models import FollowUpState
from spotcheck.followup.service import act, followup_sweep
from spotcheck.inspection.models import ResultCategory
from spotcheck.publication.testing import make_publication, make_reviewed_tasks
from spotcheck.registry.targets.models import TargetSupervision
from spotcheck.tenancy.scope import Scope, scoped

pytestmark = pytest.mark.usefixtures("app_context")


def _codes(db_session, target_id):
    with scoped(db_session, Scope.system()):
        return [(e.kind, e.code, e.points) for e in reversed(timeline(db_session, target_id))]


def test_a_clean_published_result_raises_the_class_to_a(db_session, departments):
    task = make_reviewed_tasks(db_session, departments[0])[0]
    assert task.target.credit_class == "B"
    assert record_publication(db_session, make_publication(db_session, task)) == "A"
    db_session.commit()
    assert _codes(db_session, task.target_id) == [("result", "no_problem", 1)]
    with scoped(db_session, Scope.system()):
        copies = db_session.scalars(select(TargetSupervision.credit_class)
                                    .where(TargetSupervision.target_id == task.target_id)).all()
        assert set(copies) == {"A"}, "the supervisions' search copies follow, for the next work plans"
        assert db_session.scalar(select(AuditRecord.action).where(
            AuditRecord.action == "credit_class_recomputed", AuditRecord.object_id == str(task.target_id)))


def test_serious_non_cooperation_is_class_d_whatever_the_points(db_session, departments):
    task = make_reviewed_tasks(db_session, departments[0], category=ResultCategory.NON_COOPERATION,
                               situations=["refused_entry"])[0]
    assert record_publication(db_session, make_publication(db_session, task)) == "D"
    assert _codes(db_session, task.target_id) == [("result", "non_cooperation", -5),
                                                  ("non_cooperation", "refused_entry", -10)]


def test_follow_up_outcomes_go_into_the_record_once(db_session, factories, opened, task):
    order = opened["equipment_unregistered"]
    followup_sweep(db_session, date(2025, 3, 18))
    followup_sweep(db_session, date(2025, 3, 19))
    codes = _codes(db_session, task.target_id)
    assert ("followup", "overdue", -3) in codes and ("followup", "file_case", -3) in codes
    assert codes.count(("followup", "overdue", -3)) == 2, "the two overdue orders, each once"
    assert task.target.credit_class == "D"
    other = opened["equipment_construction_site"]
    act(db_session, other, FollowUpState.ACCEPTED, factories.user("staff", "ZJJ"))
    assert len(_codes(db_session, task.target_id)) == len(codes), "accepting a transfer is no outcome"
    assert order.state == "overdue"


def test_the_rule_is_configurable_and_counts_only_its_window(db_session, departments):
    task = make_reviewed_tasks(db_session, departments[0])[0]
    strict = CreditRule.from_config({"result_points": {"no_problem": 0}, "thresholds": [2, 0, -5],
                                     "window_days": 30})
    record_result(db_session, strict, task.target_id, task.id, "no_problem", [], date(2025, 3, 3))
    assert recompute(db_session, strict, task.target_id, date(2025, 3, 10)) == "B"
    assert recompute(db_session, strict, task.target_id, date(2025, 6, 1)) is None, "outside the window"
    with pytest.raises(ValueError, match="unknown field"):
        CreditRule.from_config({"threshold": [1, 2, 3]})

