"""The credit record of a target (seed article 19) and the rule that recomputes its credit class.

Each published result, each follow-up outcome and each serious non-cooperation goes into the
target's credit record as a :class:`CreditEvent` (the timeline), with the points the
:class:`CreditRule` gives it. :func:`recompute` sums the points of the events of the last
``window_days`` and sets ``Target.credit_class`` (A–D) from the rule's thresholds; serious
non-cooperation in the window is class D whatever the sum. A target without any event in the
window keeps the class it has (set by its department or an import). The rule is configurable:
``CREDIT_RULE`` in the app's configuration overrides any of its fields (see ``docs/followup.md``).
The new class reaches the targets' supervisions with it, so the next work plans' strata see it.

Credit events are written by the platform's services only, and every department reads them: they
repeat what is published, plus the outcome of the follow-up of published results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Date, ForeignKey, Index, Integer, String, exists, select, true
from sqlalchemy.orm import Mapped, Session, mapped_column

from spotcheck import audit
from spotcheck.db import Base, UTCDateTime, utcnow
from spotcheck.inspection.models import ResultCategory
from spotcheck.publication.models import Publication
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.scope import Scope, TenancyError, TenantShared, scoped

RESULT = "result"
FOLLOWUP = "followup"
NON_COOPERATION = "non_cooperation"


CREDIT_LABELS = {
    RESULT: _l("Published result"),
    FOLLOWUP: _l("Follow-up outcome"),
    NON_COOPERATION: _l("Serious non-cooperation"),
}
"""What each kind of credit event is, as the timeline says it."""


class CreditEvent(TenantShared, Base):
    """One entry of a target's credit record: what happened, when, and its points."""

    __tablename__ = "credit_event"
    __table_args__ = (Index("ix_credit_event_target_on", "target_id", "on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"))
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(32))
    on: Mapped[date] = mapped_column(Date)
    points: Mapped[int] = mapped_column(Integer)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"))
    followup_id: Mapped[int | None] = mapped_column(ForeignKey("followup.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        return true()

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        raise TenancyError("credit events are written by the platform's services only")


def _default_result_points() -> dict[str, int]:
    return {ResultCategory.NO_PROBLEM.value: 1, ResultCategory.CORRECTED.value: -1,
            ResultCategory.PENDING_FOLLOWUP.value: -2, ResultCategory.NOT_DISCLOSED.value: -2,
            ResultCategory.UNREACHABLE.value: -3, ResultCategory.FALSE_DISCLOSURE.value: -4,
            ResultCategory.NON_COOPERATION.value: -5}


def _default_followup_points() -> dict[str, int]:
    return {"corrected": 0, "overdue": -3, "file_case": -3, "refer_judicial": -6}


@dataclass(frozen=True)
class CreditRule:
    """Points per event and the thresholds of the classes: ``A`` from ``thresholds[0]`` points,
    ``B`` from ``thresholds[1]``, ``C`` from ``thresholds[2]``, else ``D``."""

    result_points: dict[str, int] = field(default_factory=_default_result_points)
    followup_points: dict[str, int] = field(default_factory=_default_followup_points)
    non_cooperation_points: int = -10
    thresholds: tuple[int, int, int] = (1, -2, -5)
    window_days: int = 3 * 365

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> CreditRule:
        """The default rule with the fields ``config`` names replaced."""
        names = {f.name for f in fields(cls)}
        unknown = set(config or {}) - names
        if unknown:
            raise ValueError(f"CREDIT_RULE: unknown field(s) {', '.join(sorted(unknown))}")
        values = dict(config or {})
        if "thresholds" in values:
            values["thresholds"] = tuple(values["thresholds"])
        return cls(**values)

    def credit_class(self, points: int, non_cooperation: bool) -> str:
        """The class of a record of ``points`` (``non_cooperation``: serious non-cooperation in it)."""
        if non_cooperation:
            return "D"
        for cls, threshold in zip("ABC", self.thresholds, strict=True):
            if points >= threshold:
                return cls
        return "D"


def current_rule() -> CreditRule:
    """The rule of the current app (``CREDIT_RULE`` over the defaults); the defaults outside an
    app (a script or test that publishes without one)."""
    return CreditRule.from_config(current_app.config.get("CREDIT_RULE") if has_app_context() else None)


def _add(db_session: Session, target_id: int, kind: str, code: str, on: date, points: int,
         task_id: int | None = None, followup_id: int | None = None) -> CreditEvent:
    with scoped(db_session, Scope.system()):
        event = CreditEvent(target_id=target_id, kind=kind, code=code, on=on, points=points,
                            task_id=task_id, followup_id=followup_id)
        db_session.add(event)
        db_session.flush()
    return event


def record_result(db_session: Session, rule: CreditRule, target_id: int, task_id: int, category: str,
                  situations: list[str], on: date) -> list[CreditEvent]:
    """Put a published result into the record, and its serious non-cooperation if any."""
    events = [_add(db_session, target_id, RESULT, category, on, rule.result_points.get(category, 0), task_id)]
    if situations:
        events.append(_add(db_session, target_id, NON_COOPERATION, situations[0], on,
                           rule.non_cooperation_points, task_id))
    return events


def record_followup(db_session: Session, rule: CreditRule, target_id: int, task_id: int, followup_id: int,
                    code: str, on: date) -> CreditEvent | None:
    """Put a follow-up outcome (``corrected``, ``overdue``, or a case or referral opened) into the
    record, once per follow-up and outcome; ``None`` when it is there already."""
    with scoped(db_session, Scope.system()):
        seen = db_session.scalar(select(CreditEvent.id).where(CreditEvent.followup_id == followup_id,
                                                              CreditEvent.code == code))
    if seen is not None:
        return None
    return _add(db_session, target_id, FOLLOWUP, code, on, rule.followup_points.get(code, 0), task_id, followup_id)


def timeline(db_session: Session, target_id: int) -> list[CreditEvent]:
    """The target's credit record, the latest first."""
    return list(db_session.scalars(select(CreditEvent).where(CreditEvent.target_id == target_id)
                                   .order_by(CreditEvent.on.desc(), CreditEvent.id.desc())))


def recompute(db_session: Session, rule: CreditRule, target_id: int, today: date) -> str | None:
    """Recompute the target's credit class from its record of the rule's window (see the module's
    docstring); the new class, or ``None`` when the window holds no event. Audited when it changes."""
    since = today - timedelta(days=rule.window_days)
    with scoped(db_session, Scope.system()):
        events = list(db_session.scalars(select(CreditEvent).where(CreditEvent.target_id == target_id,
                                                                   CreditEvent.on > since,
                                                                   CreditEvent.on <= today)))
        if not events:
            return None
        new = rule.credit_class(sum(e.points for e in events), any(e.kind == NON_COOPERATION for e in events))
        target = db_session.scalars(select(Target).where(Target.id == target_id)).one()
        old = target.credit_class
        if new != old:
            target.credit_class = new
            db_session.flush()
    if new != old:
        audit.record(db_session, "credit_class_recomputed", "target", target_id, {"from": old, "to": new})
    return new


def record_publication(db_session: Session, publication: Publication) -> str | None:
    """Put a just published result into its target's record and recompute the target's class;
    the class, as :func:`recompute` answers."""
    rule = current_rule()
    with scoped(db_session, Scope.system()):
        recorded = db_session.scalar(select(exists().where(
            CreditEvent.task_id == publication.task_id, CreditEvent.kind == "result")))
    # Publishing records the result; a second call for the same publication adds nothing.
    if not recorded:
        record_result(db_session, rule, publication.target_id, publication.task_id,
                      publication.result_category, list(publication.non_cooperation or []),
                      publication.published_on)
    return recompute(db_session, rule, publication.target_id, publication.published_on)


def record_outcome(db_session: Session, target_id: int, task_id: int, followup_id: int, code: str,
                   on: date) -> str | None:
    """Put a follow-up outcome into its target's record and recompute the target's class."""
    rule = current_rule()
    if record_followup(db_session, rule, target_id, task_id, followup_id, code, on) is None:
        return None
    return recompute(db_session, rule, target_id, on)
