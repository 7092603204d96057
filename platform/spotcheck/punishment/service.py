"""The joint punishment list: listing on serious events, the repair period, credit repair, the sweep.

Rules (``docs/followup.md``, "Joint punishment"), after the national rules on correcting dishonest
conduct and repairing credit (《失信行为纠正后的信用信息修复管理办法（试行）》), simplified:

- A published result with serious non-cooperation lists its target in the initiating department's
  name; an event of a department's ``serious`` credit rule lists it in that department's name.
  A listed entry of the same target, department and basis takes a new serious event into its basis
  instead of a second entry.
- An entry ends ``period_days`` (per basis) after its latest serious event: the sweep takes it off
  the list when that day has passed, so a new serious event restarts the period.
- Once ``earliest_repair_days`` (per basis) have passed since its latest serious event, the listing
  department may record a credit repair with the reason (what the target corrected); its head
  approves or rejects it (with the reason). An approved repair takes the entry off the list at
  once, and its serious events no longer make the target class D.

``CREDIT_REPAIR`` in the configuration overrides the periods, e.g.
``{"period_days": {"non_cooperation": 730}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from spotcheck import audit
from spotcheck.db import utcnow
from spotcheck.followup.credit import NON_COOPERATION, CreditEvent, current_rule, recompute
from spotcheck.planning.service import PlanError
from spotcheck.publication.models import Publication
from spotcheck.punishment.models import (Basis, CreditRepair, EntryState, PunishmentBasisEvent, PunishmentEntry,
                                         RepairState)
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.models import User
from spotcheck.tenancy.roles import Permission, has_permission
from spotcheck.tenancy.scope import Scope, scoped


class RepairRefused(PlanError):
    """A repair that may not be recorded or decided now, and why, in Chinese and English."""


def _per_basis(non_cooperation: int, serious_violation: int) -> Any:
    return field(default_factory=lambda: {Basis.NON_COOPERATION.value: non_cooperation,
                                          Basis.SERIOUS_VIOLATION.value: serious_violation})


@dataclass(frozen=True)
class RepairRule:
    """How long an entry stays listed, and how soon a repair may be recorded, per basis (days)."""

    period_days: dict[str, int] = _per_basis(3 * 365, 3 * 365)
    earliest_repair_days: dict[str, int] = _per_basis(90, 365)

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> RepairRule:
        """The defaults with the days ``config`` names replaced, basis by basis."""
        default = cls()
        names = {f.name for f in fields(cls)}
        unknown = set(config or {}) - names
        for name, days in (config or {}).items():
            unknown |= {f"{name}.{basis}" for basis in days if basis not in {b.value for b in Basis}}
        if unknown:
            raise ValueError(f"CREDIT_REPAIR: unknown field(s) {', '.join(sorted(unknown))}")
        return cls(**{name: {**getattr(default, name), **(config or {}).get(name, {})} for name in names})

    def ends_on(self, basis: str, last_event_on: date) -> date:
        return last_event_on + timedelta(days=self.period_days[basis])

    def repair_from(self, basis: str, last_event_on: date) -> date:
        return last_event_on + timedelta(days=self.earliest_repair_days[basis])


def current_repair_rule() -> RepairRule:
    """The repair rule of the current app (``CREDIT_REPAIR`` over the defaults)."""
    return RepairRule.from_config(current_app.config.get("CREDIT_REPAIR") if has_app_context() else None)


def _basis_of(event: CreditEvent) -> Basis:
    return Basis.NON_COOPERATION if event.kind == NON_COOPERATION else Basis.SERIOUS_VIOLATION


def list_serious(db_session: Session, publication: Publication) -> list[PunishmentEntry]:
    """List the target of a just published result for each serious event its record got from it
    (see the module's docstring); the entries listed or extended. Calling it again adds nothing."""
    with scoped(db_session, Scope.system()):
        events = list(db_session.scalars(select(CreditEvent).where(CreditEvent.task_id == publication.task_id)
                                         .order_by(CreditEvent.id)))
    return list_events(db_session, events)


def list_events(db_session: Session, events: list[CreditEvent]) -> list[PunishmentEntry]:
    """List the targets of the serious ones of ``events`` not listed yet, in the order given."""
    rule = current_repair_rule()
    touched: list[PunishmentEntry] = []
    events = [e for e in events if e.counts_as_serious and e.department_id is not None]
    with scoped(db_session, Scope.system()):
        linked = set(db_session.scalars(select(PunishmentBasisEvent.credit_event_id).where(
            PunishmentBasisEvent.credit_event_id.in_([e.id for e in events]))))
        for event in (e for e in events if e.id not in linked):
            entry, created = _entry_for(db_session, event, rule)
            db_session.add(PunishmentBasisEvent(entry_id=entry.id, credit_event_id=event.id))
            db_session.flush()
            db_session.expire(entry, ["events"])  # a read-only relationship: reloaded with the new basis
            touched.append(entry)
            audit.record(db_session, "punishment_listed" if created else "punishment_extended", "punishment_entry",
                         entry.id, {"target": entry.target_id, "basis": entry.basis, "event": event.id,
                                    "ends_on": entry.ends_on.isoformat()})
    return touched


def _entry_for(db_session: Session, event: CreditEvent, rule: RepairRule) -> tuple[PunishmentEntry, bool]:
    basis = _basis_of(event).value
    entry = db_session.scalars(select(PunishmentEntry).where(
        PunishmentEntry.target_id == event.target_id, PunishmentEntry.department_id == event.department_id,
        PunishmentEntry.basis == basis, PunishmentEntry.state == EntryState.LISTED.value)).first()
    if entry is not None:
        entry.last_event_on = max(entry.last_event_on, event.on)
        entry.ends_on = rule.ends_on(basis, entry.last_event_on)
        return entry, False
    entry = PunishmentEntry(target_id=event.target_id, department_id=event.department_id, basis=basis,
                            state=EntryState.LISTED.value, listed_on=event.on, last_event_on=event.on,
                            ends_on=rule.ends_on(basis, event.on))
    db_session.add(entry)
    db_session.flush()
    return entry, True


def punishment_sweep(db_session: Session, today: date) -> list[str]:
    """Take off the list every entry whose period ended before ``today``; what it did, a line each."""
    lines = []
    with scoped(db_session, Scope.system()):
        for entry in db_session.scalars(select(PunishmentEntry).where(
                PunishmentEntry.state == EntryState.LISTED.value, PunishmentEntry.ends_on < today)
                .order_by(PunishmentEntry.id)):
            entry.state, entry.removed_on = EntryState.EXPIRED.value, today
            db_session.flush()
            audit.record(db_session, "punishment_expired", "punishment_entry", entry.id,
                         {"target": entry.target_id, "ends_on": entry.ends_on.isoformat()})
            lines.append(f"entry {entry.id} (target {entry.target_id}): period ended {entry.ends_on.isoformat()}")
    return lines


# -- who sees and does what ---------------------------------------------------------------------

def visible_entries(db_session: Session, user: User) -> Select[tuple[PunishmentEntry]]:
    """The entries ``user`` sees: every one for the office; else those in its department's name and
    those of the targets it supervises (the target's read goes through the user's scope)."""
    statement = select(PunishmentEntry)
    if not user.department.is_office:
        supervised = select(Target.id)  # narrowed by the scope to the department's targets
        statement = statement.where(or_(PunishmentEntry.department_id == user.department_id,
                                        PunishmentEntry.target_id.in_(supervised)))
    return statement


def visible_entry(db_session: Session, user: User, entry_id: int) -> PunishmentEntry | None:
    """The entry, if ``user`` sees it (else ``None``, as for a missing one)."""
    return db_session.scalars(visible_entries(db_session, user).where(PunishmentEntry.id == entry_id)
                              .options(selectinload(PunishmentEntry.events),
                                       selectinload(PunishmentEntry.repairs))).one_or_none()


def may_request(user: User, entry: PunishmentEntry) -> bool:
    """The listing department's users record repairs."""
    return user.department_id == entry.department_id and has_permission(user.role, Permission.WORK)


def may_decide(user: User, entry: PunishmentEntry) -> bool:
    """The listing department's head decides them."""
    return user.department_id == entry.department_id and has_permission(user.role, Permission.APPROVE)


# -- credit repair --------------------------------------------------------------------------------

def request_repair(db_session: Session, entry: PunishmentEntry, by: str, reason: str | None,
                   today: date) -> CreditRepair:
    """Record a credit repair of listed ``entry`` with the reason (what the target corrected)."""
    reason = (reason or "").strip()
    if entry.state != EntryState.LISTED.value:
        raise RepairRefused("state", "该名单记录已移出，无需修复。", "This entry is no longer listed.")
    if entry.pending_repair is not None:
        raise RepairRefused("pending", "已有待决定的信用修复申请。", "A repair already awaits a decision.")
    earliest = current_repair_rule().repair_from(entry.basis, entry.last_event_on)
    if today < earliest:
        raise RepairRefused("early", f"最短公示期未满：{earliest.isoformat()}起方可申请信用修复。",
                            f"The shortest listing period has not passed: a repair may be recorded from "
                            f"{earliest.isoformat()}.")
    if not reason:
        raise RepairRefused("reason", "请填写信用修复的理由（已纠正的失信行为）。",
                            "Give the reason for the repair (what was corrected).")
    with scoped(db_session, Scope.system()):
        repair = CreditRepair(reason=reason, requested_by=by, state=RepairState.PENDING.value)
        entry.repairs.append(repair)
        db_session.flush()
    audit.record(db_session, "credit_repair_requested", "punishment_entry", entry.id, {"repair": repair.id})
    return repair


def decide_repair(db_session: Session, entry: PunishmentEntry, by: str, approve: bool, note: str | None,
                  today: date) -> CreditRepair:
    """Approve or reject the pending repair of ``entry`` (a rejection needs the reason). Approved:
    the entry leaves the list, its events are repaired and the target's class recomputed."""
    repair = entry.pending_repair
    if repair is None or entry.state != EntryState.LISTED.value:
        raise RepairRefused("state", "没有待决定的信用修复申请。", "No repair awaits a decision.")
    note = (note or "").strip() or None
    if not approve and note is None:
        raise RepairRefused("reason", "驳回信用修复申请须说明理由。", "Give the reason for rejecting the repair.")
    with scoped(db_session, Scope.system()):
        repair.state = (RepairState.APPROVED if approve else RepairState.REJECTED).value
        repair.decided_by, repair.decided_at, repair.decision_note = by, utcnow(), note
        if approve:
            entry.state, entry.removed_on = EntryState.REPAIRED.value, today
            for event in entry.events:
                event.repaired_on = today
        db_session.flush()
    audit.record(db_session, "credit_repair_approved" if approve else "credit_repair_rejected",
                 "punishment_entry", entry.id, {"repair": repair.id})
    if approve:
        recompute(db_session, current_rule(), entry.target_id, today)
    return repair
