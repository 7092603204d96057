"""Annual joint plans (年度联合抽查计划, seed articles 3, 11–12) and their participants and items.

A plan is made by its initiating department (``department_id``) with participating departments,
each of which confirms its part before the plan is submitted (the "prior communication" of
article 12). A plan is read by its initiator, its participants and the office; the initiator
writes it, a participant writes its own confirmation and items, and the office merges and
publishes. Work plans (工作方案) of a later issue hang off :class:`AnnualPlan` by ``plan_id``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (JSON, Boolean, ColumnElement, Date, ForeignKey, Integer, String, Text,
                        UniqueConstraint, exists, false, or_, select)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from spotcheck.db import Base, UTCDateTime, utcnow
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, TenancyError, TenantShared


class PlanType(str, enum.Enum):
    """What a plan is for: the routine random check, or one of the non-random types of article 3,
    which are recorded but never count towards nor are limited by the yearly cap."""

    RANDOM = "random"          # 随机抽查
    KEY_ITEM = "key_item"      # 重点检查事项
    COMPLAINT = "complaint"    # 投诉举报
    REFERRAL = "referral"      # 转办交办
    CASE = "case"              # 案件线索
    SPECIAL = "special"        # 专项部署

    @property
    def label(self) -> str:
        return str(PLAN_TYPE_LABELS[self])


PLAN_TYPE_LABELS = {
    PlanType.RANDOM: _l("Random check"),
    PlanType.KEY_ITEM: _l("Key item"),
    PlanType.COMPLAINT: _l("Complaint or report"),
    PlanType.REFERRAL: _l("Referral"),
    PlanType.CASE: _l("Case"),
    PlanType.SPECIAL: _l("Special deployment"),
}


class PlanState(str, enum.Enum):
    """Draft → submitted → (merged) → published, or withdrawn."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    MERGED = "merged"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(PLAN_STATE_LABELS[self])


PLAN_STATE_LABELS = {
    PlanState.DRAFT: _l("Draft"),
    PlanState.SUBMITTED: _l("Submitted"),
    PlanState.MERGED: _l("Merged"),
    PlanState.PUBLISHED: _l("Published"),
    PlanState.WITHDRAWN: _l("Withdrawn"),
}


class Confirmation(str, enum.Enum):
    """A participant's answer to the initiator (article 12's prior communication)."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return str(CONFIRMATION_LABELS[self])


CONFIRMATION_LABELS = {
    Confirmation.PENDING: _l("Awaiting confirmation"),
    Confirmation.CONFIRMED: _l("Confirmed"),
    Confirmation.DECLINED: _l("Declined"),
}

SCOPE_KEYS = ("kinds", "areas", "industries", "tags", "statuses")
"""The keys of :attr:`AnnualPlan.target_scope`; an empty list means no restriction."""


def _office_writes(db_session: Session, scope: Scope) -> bool:
    assert scope.writable is not None
    return bool(db_session.scalar(select(exists().where(
        Department.id.in_(sorted(scope.writable)), Department.is_office.is_(True)))))


def plan_visible_to(plan_id: Any, department_ids: frozenset[int]) -> ColumnElement[bool]:
    """SQL: plan ``plan_id`` is initiated by, or has as participant, one of ``department_ids``."""
    ids = sorted(department_ids)
    plan = AnnualPlan.__table__.alias("visible_plan")
    participant = PlanParticipant.__table__.alias("visible_participant")
    return or_(exists().where(plan.c.id == plan_id, plan.c.department_id.in_(ids)),
               exists().where(participant.c.plan_id == plan_id, participant.c.department_id.in_(ids)))


class AnnualPlan(TenantShared, Base):
    """An annual joint plan: name, year, type, scope, window, ratio, participants and items.

    ``target_scope`` holds lists under :data:`SCOPE_KEYS` (target kinds, area codes, industry
    codes, tags, registration statuses), validated by the service. ``late`` is set on submission
    after the February deadline (:mod:`.deadlines`). ``merged_into_id`` points from an original
    to the joint plan the office merged it into.
    """

    __tablename__ = "annual_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer, index=True)
    plan_type: Mapped[str] = mapped_column(String(16), default=PlanType.RANDOM.value)
    target_scope: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    ratio_bp: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default=PlanState.DRAFT.value)
    note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("annual_plan.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    initiator: Mapped[Department] = relationship()
    participants: Mapped[list[PlanParticipant]] = relationship(
        back_populates="plan", order_by="PlanParticipant.id", cascade="all, delete-orphan")
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="PlanItem.id", cascade="all, delete-orphan")
    merged_into: Mapped[AnnualPlan | None] = relationship(remote_side=[id])

    @property
    def counts_towards_cap(self) -> bool:
        """Only random plans count towards (and are limited by) the yearly cap (article 3)."""
        return self.plan_type == PlanType.RANDOM.value

    @property
    def type_label(self) -> str:
        return PlanType(self.plan_type).label

    @property
    def state_label(self) -> str:
        return PlanState(self.state).label

    def scope_list(self, key: str) -> list[str]:
        return list((self.target_scope or {}).get(key) or [])

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        """A department reads the plans it initiates or takes part in."""
        assert scope.readable is not None
        if not scope.readable:
            return false()
        return plan_visible_to(cls.id, scope.readable)

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        """The initiator writes its plan; the office merges and publishes any plan."""
        assert scope.writable is not None
        if scope.can_write(self.department_id) or _office_writes(db_session, scope):
            return
        raise TenancyError(f"annual plan {self.id} is not initiated by this department")


class PlanParticipant(TenantShared, Base):
    """A participating department of a plan, with its confirmation: who answered, when, why."""

    __tablename__ = "plan_participant"
    __table_args__ = (UniqueConstraint("plan_id", "department_id",
                                       name="uq_plan_participant_plan_department"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=Confirmation.PENDING.value)
    reason: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_by: Mapped[str | None] = mapped_column(String(128))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[AnnualPlan] = relationship(back_populates="participants")
    department: Mapped[Department] = relationship()

    @property
    def status_label(self) -> str:
        return Confirmation(self.status).label

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        """Whoever reads the plan reads all its participants."""
        assert scope.readable is not None
        if not scope.readable:
            return false()
        return plan_visible_to(cls.plan_id, scope.readable)

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        """The participant answers for itself; the initiator and the office manage the list."""
        _check_part_write(db_session, scope, self.department_id, self.plan_id, self.plan)


class PlanItem(TenantShared, Base):
    """An item of a department's list in a plan, pinned to the version the plan used.

    The version's code, names, target kinds and methods are copied: a participant cannot read
    another department's list, and the version they come from never changes.
    """

    __tablename__ = "plan_item"
    __table_args__ = (UniqueConstraint("plan_id", "item_version_id",
                                       name="uq_plan_item_plan_item_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    item_version_id: Mapped[int] = mapped_column(ForeignKey("check_item_version.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    target_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    methods: Mapped[list[str]] = mapped_column(JSON, default=list)

    plan: Mapped[AnnualPlan] = relationship(back_populates="items")
    department: Mapped[Department] = relationship()

    def name(self, locale: str) -> str:
        return self.name_en if locale.startswith("en") else self.name_zh

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        """Whoever reads the plan reads all its items."""
        assert scope.readable is not None
        if not scope.readable:
            return false()
        return plan_visible_to(cls.plan_id, scope.readable)

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        """A department puts its own items in; the initiator and the office manage the list."""
        _check_part_write(db_session, scope, self.department_id, self.plan_id, self.plan)


def _check_part_write(db_session: Session, scope: Scope, department_id: int, plan_id: int | None,
                      plan: AnnualPlan | None) -> None:
    if scope.can_write(department_id) or _office_writes(db_session, scope):
        return
    initiator = plan.department_id if plan is not None else db_session.scalar(
        select(AnnualPlan.department_id).where(AnnualPlan.id == plan_id))
    if initiator is None or not scope.can_write(initiator):
        raise TenancyError(f"plan {plan_id}: department {department_id}'s part is out of scope")


class PlanShared(TenantShared):
    """A record of a plan's execution (a draw, a team, a task…): read by whoever reads the annual
    plan; written by the services that own it, which check the user's role and then write in the
    system scope, or by the initiating department (``department_id``). Never deleted."""

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        assert scope.readable is not None
        if not scope.readable:
            return false()
        return plan_visible_to(cls.plan_id, scope.readable)  # type: ignore[attr-defined]

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        if operation == "delete":
            raise TenancyError(f"{type(self).__name__}: records of a plan's execution are never deleted")
        if not scope.can_write(self.department_id):  # type: ignore[attr-defined]
            raise TenancyError(f"{type(self).__name__} of plan {self.plan_id}: "  # type: ignore[attr-defined]
                               "written by the services that own it only")


class WorkPlanState(str, enum.Enum):
    """Draft → approved by the initiating department's head (→ drawn, once the draw exists)."""

    DRAFT = "draft"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        return str(WORK_PLAN_STATE_LABELS[self])


WORK_PLAN_STATE_LABELS = {
    WorkPlanState.DRAFT: _l("Draft"),
    WorkPlanState.APPROVED: _l("Approved"),
}


class _PlanPart(TenantShared):
    """A row of a work plan: read by whoever reads its annual plan, written by the initiator."""

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        assert scope.readable is not None
        if not scope.readable:
            return false()
        return plan_visible_to(cls.plan_id, scope.readable)  # type: ignore[attr-defined]

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        if not scope.can_write(self.department_id):  # type: ignore[attr-defined]
            raise TenancyError(f"{type(self).__name__} of plan {self.plan_id}: "  # type: ignore[attr-defined]
                               "written by the initiating department only")


class WorkPlan(_PlanPart, Base):
    """The work plan (工作方案) of an annual plan: its batches, approved by the initiator's head.

    ``department_id`` is the plan's initiating department, ``plan_id`` the annual plan (one work
    plan each)."""

    __tablename__ = "work_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(16), default=WorkPlanState.DRAFT.value)
    note: Mapped[str | None] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_by: Mapped[str | None] = mapped_column(String(128))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    plan: Mapped[AnnualPlan] = relationship()
    batches: Mapped[list[Batch]] = relationship(
        back_populates="work_plan", order_by="Batch.number", cascade="all, delete-orphan")

    @property
    def state_label(self) -> str:
        return WorkPlanState(self.state).label


class Batch(_PlanPart, Base):
    """A batch (批次) of a work plan: its number, a refinement of the plan's target scope (lists
    under :data:`SCOPE_KEYS`, empty = the plan's own), a window inside the plan's, coordination
    notes and its strata."""

    __tablename__ = "work_plan_batch"
    __table_args__ = (UniqueConstraint("work_plan_id", "number", name="uq_work_plan_batch_work_plan_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id", ondelete="CASCADE"), index=True)
    work_plan_id: Mapped[int] = mapped_column(ForeignKey("work_plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    target_scope: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    coordination: Mapped[str | None] = mapped_column(Text)

    work_plan: Mapped[WorkPlan] = relationship(back_populates="batches")
    strata: Mapped[list[Stratum]] = relationship(
        back_populates="batch", order_by="Stratum.id", cascade="all, delete-orphan")

    def scope_list(self, key: str) -> list[str]:
        return list((self.target_scope or {}).get(key) or [])


class Stratum(_PlanPart, Base):
    """A stratum of a batch (``../shared/specs/draw-v1.md`` §1): a key without line feeds, a
    selector (lists under :data:`SELECTOR_KEYS`, empty = any) and a quota rule — ``ratio_bp``
    with ``min_count``, or a fixed ``count``."""

    __tablename__ = "work_plan_stratum"
    __table_args__ = (UniqueConstraint("batch_id", "key", name="uq_work_plan_stratum_batch_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id", ondelete="CASCADE"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("work_plan_batch.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    selector: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ratio_bp: Mapped[int | None] = mapped_column(Integer)
    min_count: Mapped[int | None] = mapped_column(Integer)
    count: Mapped[int | None] = mapped_column(Integer)

    batch: Mapped[Batch] = relationship(back_populates="strata")

    @property
    def rule(self) -> dict[str, int]:
        """The quota rule as the draw's proof writes it."""
        if self.count is not None:
            return {"count": self.count}
        return {"ratio_bp": int(self.ratio_bp or 0), "min": int(self.min_count or 0)}


SELECTOR_KEYS = ("credit_classes", "risk_levels", "kinds", "areas", "industries")
"""The keys of :attr:`Stratum.selector`; an empty list means any value."""
