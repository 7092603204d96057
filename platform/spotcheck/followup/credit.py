"""The credit record of a target (seed article 19) and the rule that recomputes its credit class.

Each published result, each follow-up outcome and each serious non-cooperation goes into the
target's credit record as a :class:`CreditEvent` (the timeline), with the points the
:class:`CreditRule` gives it. :func:`recompute` sums the points of the events of the last
``window_days`` and sets ``Target.credit_class`` (A–D) from the rule's thresholds; serious
non-cooperation or a serious violation (a department's rule, :mod:`spotcheck.followup.department_credit`)
in the window and not repaired is class D whatever the sum. A target without any event in the
window keeps the class it has (set by its department or an import). The rule is configurable:
``CREDIT_RULE`` in the app's configuration overrides any of its fields (see ``docs/followup.md``).
The new class reaches the targets' supervisions with it, so the next work plans' strata see it.

Credit events are written by the platform's services only, and every department reads them: they
repeat what is published, plus the outcome of the follow-up of published results. ``public`` marks
the events the portal shows: those that only repeat what is published (see :func:`is_public`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import (Boolean, ColumnElement, Date, ForeignKey, Index, Integer, String, exists, false, select,
                        true)
from sqlalchemy.orm import Mapped, Session, mapped_column

from spotcheck import audit
from spotcheck.db import Base, UTCDateTime, utcnow
from spotcheck.followup.department_credit import current_registry, matching_rules
from spotcheck.inspection.models import NON_COOPERATION_LABELS, ResultCategory
from spotcheck.publication.models import Publication
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.scope import Scope, TenancyError, TenantShared, scoped

RESULT = "result"
FOLLOWUP = "followup"
NON_COOPERATION = "non_cooperation"
DEPARTMENT_RULE = "department_rule"


CREDIT_LABELS = {
    RESULT: _l("Published result"),
    FOLLOWUP: _l("Follow-up outcome"),
    NON_COOPERATION: _l("Serious non-cooperation"),
    DEPARTMENT_RULE: _l("Department's credit rule"),
}
"""What each kind of credit event is, as the timeline says it."""

FOLLOWUP_OUTCOME_LABELS = {
    "corrected": _l("Corrected as ordered"),
    "overdue": _l("Not corrected in time"),
    "file_case": _l("Case filed"),
    "refer_judicial": _l("Referred to the judicial organs"),
}
"""The follow-up outcomes a record holds."""

PUBLIC_FOLLOWUP_CODES = frozenset({"corrected"})
"""The follow-up outcomes the public sees: a correction changes the published result category;
an overdue order, a case or a referral is not published by the spot checks' disclosure."""


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
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    serious: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    public: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    name_zh: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    repaired_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def counts_as_serious(self) -> bool:
        """Serious non-cooperation or a serious violation not repaired: class D, listed."""
        return (self.kind == NON_COOPERATION or self.serious) and self.repaired_on is None

    def description(self, locale: str) -> str:
        """What happened, in words: the result category, the situation, the outcome or the rule."""
        if self.kind == RESULT:
            return ResultCategory(self.code).label
        if self.kind == NON_COOPERATION:
            return str(NON_COOPERATION_LABELS.get(self.code, self.code))
        if self.kind == FOLLOWUP:
            return str(FOLLOWUP_OUTCOME_LABELS.get(self.code, self.code))
        name = self.name_en if locale.startswith("en") else self.name_zh
        return name or self.code

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

    def credit_class(self, points: int, serious: bool) -> str:
        """The class of a record of ``points`` (``serious``: serious non-cooperation or a serious
        violation in it, not repaired)."""
        if serious:
            return "D"
        for cls, threshold in zip("ABC", self.thresholds, strict=True):
            if points >= threshold:
                return cls
        return "D"


def current_rule() -> CreditRule:
    """The rule of the current app (``CREDIT_RULE`` over the defaults); the defaults outside an
    app (a script or test that publishes without one)."""
    return CreditRule.from_config(current_app.config.get("CREDIT_RULE") if has_app_context() else None)


def is_public(kind: str, code: str) -> bool:
    """Whether an event of ``kind`` and ``code`` only repeats what is published, so the portal
    may show it (a department rule's event decides for itself: see ``department_credit``)."""
    return kind in (RESULT, NON_COOPERATION) or (kind == FOLLOWUP and code in PUBLIC_FOLLOWUP_CODES)


def add_event(db_session: Session, target_id: int, kind: str, code: str, on: date, points: int,
              task_id: int | None = None, followup_id: int | None = None, **more: Any) -> CreditEvent:
    """Write one event into the target's record (``more``: the department rule's columns)."""
    more.setdefault("public", is_public(kind, code))
    with scoped(db_session, Scope.system()):
        event = CreditEvent(target_id=target_id, kind=kind, code=code, on=on, points=points,
                            task_id=task_id, followup_id=followup_id, **more)
        db_session.add(event)
        db_session.flush()
    return event


def record_result(db_session: Session, rule: CreditRule, target_id: int, task_id: int, category: str,
                  situations: list[str], on: date, department_id: int | None = None) -> list[CreditEvent]:
    """Put a published result into the record, and its serious non-cooperation if any
    (``department_id``: the initiating department, whose check it was)."""
    events = [add_event(db_session, target_id, RESULT, category, on, rule.result_points.get(category, 0), task_id,
                        department_id=department_id)]
    if situations:
        events.append(add_event(db_session, target_id, NON_COOPERATION, situations[0], on,
                                rule.non_cooperation_points, task_id, department_id=department_id))
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
    return add_event(db_session, target_id, FOLLOWUP, code, on, rule.followup_points.get(code, 0), task_id, followup_id)


def timeline(db_session: Session, target_id: int, public_only: bool = False) -> list[CreditEvent]:
    """The target's credit record, the latest first (``public_only``: what the portal shows)."""
    statement = select(CreditEvent).where(CreditEvent.target_id == target_id)
    if public_only:
        statement = statement.where(CreditEvent.public.is_(True))
    return list(db_session.scalars(statement.order_by(CreditEvent.on.desc(), CreditEvent.id.desc())))


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
        new = rule.credit_class(sum(e.points for e in events), any(e.counts_as_serious for e in events))
        target = db_session.scalars(select(Target).where(Target.id == target_id)).one()
        old = target.credit_class
        if new != old:
            target.credit_class = new
            db_session.flush()
    if new != old:
        audit.record(db_session, "credit_class_recomputed", "target", target_id, {"from": old, "to": new})
    return new


def record_department_rules(db_session: Session, publication: Publication) -> list[CreditEvent]:
    """Put what the departments' own rules say of a published result into its target's record."""
    return [add_event(db_session, publication.target_id, DEPARTMENT_RULE, match.rule.code, publication.published_on,
                      match.rule.points, publication.task_id, department_id=match.department_id,
                      serious=match.rule.serious, public=match.public, name_zh=match.rule.name_zh,
                      name_en=match.rule.name_en)
            for match in matching_rules(db_session, publication, current_registry())]


def record_publication(db_session: Session, publication: Publication) -> str | None:
    """Put a just published result into its target's record, with what the departments' own
    credit rules add, and recompute the target's class; the class, as :func:`recompute` answers."""
    rule = current_rule()
    with scoped(db_session, Scope.system()):
        recorded = db_session.scalar(select(exists().where(
            CreditEvent.task_id == publication.task_id, CreditEvent.kind == "result")))
    # Publishing records the result; a second call for the same publication adds nothing.
    if not recorded:
        record_result(db_session, rule, publication.target_id, publication.task_id,
                      publication.result_category, list(publication.non_cooperation or []),
                      publication.published_on, publication.department_id)
        record_department_rules(db_session, publication)
    return recompute(db_session, rule, publication.target_id, publication.published_on)


def record_outcome(db_session: Session, target_id: int, task_id: int, followup_id: int, code: str,
                   on: date) -> str | None:
    """Put a follow-up outcome into its target's record and recompute the target's class."""
    rule = current_rule()
    if record_followup(db_session, rule, target_id, task_id, followup_id, code, on) is None:
        return None
    return recompute(db_session, rule, target_id, on)
