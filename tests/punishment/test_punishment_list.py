"""The joint punishment list (联合惩戒): serious events list a target with their basis, a new one
extends the period, the sweep removes what ended, and an approved credit repair removes at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from spotcheck.audit.models import AuditRecord
from spotcheck.followup.credit import NON_COOPERATION, current_rule, record_result
from spotcheck.punishment.models import PunishmentEntry
from spotcheck.punishment.service import (RepairRefused, RepairRule, decide_repair, list_events,
                                          punishment_sweep, request_repair)
from spotcheck.punishment.testing import make_entry
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.scope import Scope, scoped

pytestmark = pytest.mark.usefixtures("app_context")

LISTED_ON = date(2025, 3, 3)


def _actions(db_session, entry):
    """The entry's audited events (its row changes are audited as well, as every row's)."""
    return [a for a in db_session.scalars(select(AuditRecord.action).where(
        AuditRecord.object_type == "punishment_entry", AuditRecord.object_id == str(entry.id))
        .order_by(AuditRecord.id)) if a not in ("create", "update", "delete")]


def _credit_class(db_session, target_id):
    with scoped(db_session, Scope.system()):
        return db_session.scalar(select(Target.credit_class).where(Target.id == target_id))


def test_serious_non_cooperation_lists_the_target_with_its_basis(db_session, departments):
    entry = make_entry(db_session, departments[0], [departments[1]])
    assert (entry.department_id, entry.basis, entry.state) == (departments[0].id, "non_cooperation", "listed")
    assert [(e.kind, e.code, e.on) for e in entry.events] == [(NON_COOPERATION, "refused_entry", LISTED_ON)]
    assert entry.listed_on == LISTED_ON and entry.ends_on == LISTED_ON + timedelta(days=3 * 365)
    assert _actions(db_session, entry) == ["punishment_listed"]


def test_a_new_serious_event_extends_the_same_entry(db_session, departments):
    entry = make_entry(db_session, departments[0])
    task_id = entry.events[0].task_id
    later = record_result(db_session, current_rule(), entry.target_id, task_id, "non_cooperation",
                          ["refused_records"], date(2025, 6, 3), departments[0].id)
    assert list_events(db_session, later) == [entry]
    assert list_events(db_session, later) == [], "an event is listed once"
    db_session.commit()
    assert [e.code for e in entry.events] == ["refused_entry", "refused_records"]
    assert entry.ends_on == date(2025, 6, 3) + timedelta(days=3 * 365)
    assert _actions(db_session, entry) == ["punishment_listed", "punishment_extended"]
    with scoped(db_session, Scope.system()):
        assert db_session.scalar(select(func.count()).select_from(PunishmentEntry)) == 1


def test_the_sweep_removes_an_entry_once_its_period_has_passed(db_session, departments):
    entry = make_entry(db_session, departments[0])
    assert punishment_sweep(db_session, entry.ends_on) == []
    lines = punishment_sweep(db_session, entry.ends_on + timedelta(days=1))
    assert len(lines) == 1 and entry.state == "expired" and entry.removed_on == entry.ends_on + timedelta(days=1)
    assert punishment_sweep(db_session, entry.ends_on + timedelta(days=2)) == [], "an ended entry is swept once"
    db_session.commit()
    assert _actions(db_session, entry)[-1] == "punishment_expired"


def test_a_repair_waits_for_the_shortest_listing_period(db_session, departments):
    entry = make_entry(db_session, departments[0])
    with pytest.raises(RepairRefused) as early:
        request_repair(db_session, entry, "staff", "已整改", LISTED_ON + timedelta(days=89))
    assert early.value.code == "early" and "2025-06-01" in early.value.message_zh
    with pytest.raises(RepairRefused) as reasonless:
        request_repair(db_session, entry, "staff", "  ", LISTED_ON + timedelta(days=90))
    assert reasonless.value.code == "reason"
    request_repair(db_session, entry, "staff", "已整改", LISTED_ON + timedelta(days=90))
    with pytest.raises(RepairRefused, match="already awaits"):
        request_repair(db_session, entry, "staff", "再次申请", LISTED_ON + timedelta(days=91))


def test_an_approved_repair_removes_the_entry_and_lifts_class_d(app, db_session, departments, monkeypatch):
    # Points of nothing, so that what makes the class D is the serious event alone.
    monkeypatch.setitem(app.config, "CREDIT_RULE", {"result_points": {}, "non_cooperation_points": 0})
    entry = make_entry(db_session, departments[0])
    assert _credit_class(db_session, entry.target_id) == "D"
    request_repair(db_session, entry, "staff", "已整改并书面承诺配合检查", date(2025, 6, 2))
    with pytest.raises(RepairRefused) as reasonless:
        decide_repair(db_session, entry, "head", False, None, date(2025, 6, 3))
    assert reasonless.value.code == "reason"
    decide_repair(db_session, entry, "head", True, None, date(2025, 6, 3))
    db_session.commit()
    assert (entry.state, entry.removed_on) == ("repaired", date(2025, 6, 3))
    assert entry.events[0].repaired_on == date(2025, 6, 3)
    assert entry.repairs[0].state == "approved" and entry.repairs[0].decided_by == "head"
    assert _credit_class(db_session, entry.target_id) == "B", "0 points, and nothing serious left"
    assert _actions(db_session, entry)[-2:] == ["credit_repair_requested", "credit_repair_approved"]


def test_a_rejected_repair_leaves_the_entry_listed(db_session, departments):
    entry = make_entry(db_session, departments[0], repair=True)
    decide_repair(db_session, entry, "head", False, "整改材料不完整", date(2030, 1, 7))
    db_session.commit()
    assert entry.state == "listed" and entry.repairs[0].state == "rejected"
    assert entry.repairs[0].decision_note == "整改材料不完整"


def test_the_repair_periods_are_configurable_per_basis():
    rule = RepairRule.from_config({"period_days": {"non_cooperation": 730}})
    assert rule.period_days == {"non_cooperation": 730, "serious_violation": 1095}
    assert rule.earliest_repair_days == {"non_cooperation": 90, "serious_violation": 365}
    with pytest.raises(ValueError, match="unknown field"):
        RepairRule.from_config({"period": {}})
    with pytest.raises(ValueError, match="period_days.minor"):
        RepairRule.from_config({"period_days": {"minor": 1}})
