"""Follow-up (后续处置, seed article 17): what a department does about a finding of a reviewed check.

A :class:`FollowUp` is opened for each finding a department plugin's rule matches
(:func:`spotcheck.followup.service.open_followups`). It has an owner (``department_id``: the
department that must act), the rule's action (:class:`Action`), a :class:`FollowUpState`, a
deadline for an order of correction, and its history (:class:`FollowUpEvent`: who, when, what,
why). A transfer is owned by the receiving department from the start; ``from_department_id`` is the
department whose finding it was, which keeps reading it. Nobody else reads a follow-up.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Date, ForeignKey, Index, Integer, String, Text, false, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from spotcheck.db import Base, UTCDateTime, utcnow
from spotcheck.tenancy.scope import Scope, TenancyError, TenantShared


class Action(str, enum.Enum):
    """The actions of a follow-up rule (``schemas/followup-rule.schema.json``)."""

    ORDER_CORRECTION = "order_correction"
    TRANSFER = "transfer"
    FILE_CASE = "file_case"
    REFER_JUDICIAL = "refer_judicial"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])


ACTION_LABELS = {
    Action.ORDER_CORRECTION: _l("Order correction within a time limit"),
    Action.TRANSFER: _l("Transfer to the competent department"),
    Action.FILE_CASE: _l("File a case"),
    Action.REFER_JUDICIAL: _l("Refer to the judicial organs"),
}


class FollowUpState(str, enum.Enum):
    """The life of a follow-up; :data:`TRANSITIONS` says which moves are allowed."""

    OPEN = "open"                # 待处置
    OVERDUE = "overdue"          # 逾期未改正 (the rule's next step was opened)
    CORRECTED = "corrected"      # 已改正
    CLOSED = "closed"            # 已办结 (case filed, referred, or handled)
    TRANSFERRED = "transferred"  # 已移交, awaiting the receiving department
    ACCEPTED = "accepted"        # 已接收
    RETURNED = "returned"        # 已退回

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {
    FollowUpState.OPEN: _l("Open"),
    FollowUpState.OVERDUE: _l("Overdue, next step taken"),
    FollowUpState.CORRECTED: _l("Corrected"),
    FollowUpState.CLOSED: _l("Closed"),
    FollowUpState.TRANSFERRED: _l("Transferred, awaiting acceptance"),
    FollowUpState.ACCEPTED: _l("Accepted"),
    FollowUpState.RETURNED: _l("Returned"),
}

TRANSITIONS: dict[FollowUpState, frozenset[FollowUpState]] = {
    FollowUpState.OPEN: frozenset({FollowUpState.CORRECTED, FollowUpState.OVERDUE, FollowUpState.CLOSED}),
    FollowUpState.TRANSFERRED: frozenset({FollowUpState.ACCEPTED, FollowUpState.RETURNED}),
    FollowUpState.ACCEPTED: frozenset({FollowUpState.CLOSED}),
    FollowUpState.OVERDUE: frozenset(),
    FollowUpState.CORRECTED: frozenset(),
    FollowUpState.CLOSED: frozenset(),
    FollowUpState.RETURNED: frozenset({FollowUpState.CLOSED}),
}
"""Every allowed move. An order of correction is corrected, or goes overdue (the sweep), or is
closed; a case or referral is closed; a transfer is accepted (then closed) or returned to the
department whose finding it was, which closes it once it handled it itself."""

PENDING = frozenset({FollowUpState.OPEN, FollowUpState.TRANSFERRED, FollowUpState.ACCEPTED,
                     FollowUpState.RETURNED})
"""States still waiting for someone to act."""


FOLLOWUP_STATUS_LABELS = {
    "pending": _l("Being followed up"),
    "corrected": _l("Corrected"),
    "closed": _l("Follow-up completed"),
}
"""The follow-up status of a check's result (:func:`spotcheck.followup.service.status_of`), as the
portal shows it."""


class _FollowUpTenancy(TenantShared):
    """Read by the owner and the department whose finding it was; written by the services only
    (in the system scope, after :mod:`spotcheck.followup.access` checks the user)."""

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        raise TenancyError(f"{type(self).__name__}: written by the follow-up services only")


class FollowUp(_FollowUpTenancy, Base):
    """One follow-up of one finding of one task item (see the module's docstring)."""

    __tablename__ = "followup"
    __table_args__ = (Index("ix_followup_state_deadline", "state", "deadline"),
                      Index("ix_followup_from_department", "from_department_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    from_department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    task_item_id: Mapped[int] = mapped_column(ForeignKey("task_item.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("followup.id"))
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"), index=True)
    rule_code: Mapped[str] = mapped_column(String(64))
    rule_name_zh: Mapped[str] = mapped_column(String(200))
    rule_name_en: Mapped[str] = mapped_column(String(200))
    finding: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    working_days: Mapped[int | None] = mapped_column(Integer)
    # The rule's next step when an order of correction is overdue, kept with the follow-up: the
    # plugin may change its rules later, an order already given must not.
    next_action: Mapped[str | None] = mapped_column(String(16))
    next_department: Mapped[str | None] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    deadline: Mapped[date | None] = mapped_column(Date)
    outcome_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    events: Mapped[list[FollowUpEvent]] = relationship(order_by="FollowUpEvent.id", back_populates="followup")

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        assert scope.readable is not None
        if not scope.readable:
            return false()
        ids = sorted(scope.readable)
        return or_(cls.department_id.in_(ids), cls.from_department_id.in_(ids))

    @property
    def state_label(self) -> str:
        return FollowUpState(self.state).label

    @property
    def action_label(self) -> str:
        return Action(self.action).label

    def rule_name(self, locale: str) -> str:
        return self.rule_name_en if locale.startswith("en") else self.rule_name_zh


class FollowUpEvent(_FollowUpTenancy, Base):
    """One step in a follow-up's history: from, to, who, when, why."""

    __tablename__ = "followup_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(ForeignKey("followup.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)

    followup: Mapped[FollowUp] = relationship(back_populates="events")

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        return cls.followup_id.in_(select(FollowUp.id).where(FollowUp.tenant_criteria(scope)))

    @property
    def to_label(self) -> str:
        return FollowUpState(self.to_state).label
