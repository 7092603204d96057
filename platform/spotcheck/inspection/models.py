"""Inspections (seed articles 15, 16, 18 and 20): tasks, their items, notices, evidence and the
trail of every state change.

A :class:`Task` is one joint team's visit to its target: one per team, made when the draw forms
the teams, covering every department's items ("enter once, check many items"). Each department
records its own :class:`TaskItem` rows — the filled checklist form, what was verified online, the
methods used and the findings — and the task carries the published result category. A task is
read by whoever reads the annual plan (the initiator, the participants, the office); inspectors
see the tasks of their own teams (the views narrow it). ``department_id`` is the initiator.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from spotcheck.db import Base, UTCDateTime, utcnow
from spotcheck.draw.models import Team
from spotcheck.planning.models import PlanShared
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.scope import Scope, TenancyError

RESULT_DUE_WORKING_DAYS = 7
"""Results are recorded within this many working days after the check ends (art. 16(3))."""


class TaskState(str, enum.Enum):
    """The life of a task; :data:`TRANSITIONS` says which moves are allowed."""

    DISPATCHED = "dispatched"          # 已派发
    NOTIFIED = "notified"              # 已告知
    ONLINE_CHECKED = "online_checked"  # 已网上核查
    ON_SITE = "on_site"                # 实地检查中
    RECORDED = "recorded"              # 已录入结果
    REVIEWED = "reviewed"              # 已审核
    PUBLISHED = "published"            # 已公示
    CLOSED = "closed"                  # 已办结

    @property
    def label(self) -> str:
        return str(TASK_STATE_LABELS[self])


TASK_STATE_LABELS = {
    TaskState.DISPATCHED: _l("Dispatched"),
    TaskState.NOTIFIED: _l("Target notified"),
    TaskState.ONLINE_CHECKED: _l("Checked online"),
    TaskState.ON_SITE: _l("On site"),
    TaskState.RECORDED: _l("Results recorded"),
    TaskState.REVIEWED: _l("Reviewed"),
    TaskState.PUBLISHED: _l("Published"),
    TaskState.CLOSED: _l("Closed"),
}

TRANSITIONS: dict[TaskState, frozenset[TaskState]] = {
    # Notice is optional (an unannounced check), and so is the online check; the on-site visit
    # may be skipped only when the online check settled everything (the service checks that).
    TaskState.DISPATCHED: frozenset({TaskState.NOTIFIED, TaskState.ONLINE_CHECKED, TaskState.ON_SITE}),
    TaskState.NOTIFIED: frozenset({TaskState.ONLINE_CHECKED, TaskState.ON_SITE}),
    TaskState.ONLINE_CHECKED: frozenset({TaskState.ON_SITE, TaskState.RECORDED}),
    TaskState.ON_SITE: frozenset({TaskState.RECORDED}),
    # The head reviews, or returns the results to the team with a reason.
    TaskState.RECORDED: frozenset({TaskState.REVIEWED, TaskState.ON_SITE}),
    TaskState.REVIEWED: frozenset({TaskState.PUBLISHED}),
    TaskState.PUBLISHED: frozenset({TaskState.CLOSED}),
    TaskState.CLOSED: frozenset(),
}
"""Every allowed move; anything else is refused."""


class ResultCategory(str, enum.Enum):
    """The result categories of the national enterprise credit information disclosure system."""

    NO_PROBLEM = "no_problem"
    NOT_DISCLOSED = "not_disclosed"
    FALSE_DISCLOSURE = "false_disclosure"
    UNREACHABLE = "unreachable"
    CORRECTED = "corrected"
    PENDING_FOLLOWUP = "pending_followup"
    NO_ACTIVITY = "no_activity"
    NON_COOPERATION = "non_cooperation"
    CLOSED_OR_LIQUIDATING = "closed_or_liquidating"
    DEREGISTERED = "deregistered"
    REVOKED = "revoked"
    CANCELLED = "cancelled"
    MOVED_OUT = "moved_out"

    @property
    def label(self) -> str:
        return str(RESULT_LABELS[self])


RESULT_LABELS = {
    ResultCategory.NO_PROBLEM: _l("No problem found"),
    ResultCategory.NOT_DISCLOSED: _l("Information that must be disclosed was not disclosed as required"),
    ResultCategory.FALSE_DISCLOSURE: _l("Disclosed information concealed the truth or was falsified"),
    ResultCategory.UNREACHABLE: _l("Cannot be reached at the registered domicile (business premises)"),
    ResultCategory.CORRECTED: _l("Problem found, correction ordered"),
    ResultCategory.PENDING_FOLLOWUP: _l("Problem found, awaiting further handling"),
    ResultCategory.NO_ACTIVITY: _l("No business activity covered by this check was found"),
    ResultCategory.NON_COOPERATION: _l("Refused to cooperate with the check, seriously"),
    ResultCategory.CLOSED_OR_LIQUIDATING: _l("Closed, suspended or in liquidation"),
    ResultCategory.DEREGISTERED: _l("Deregistered"),
    ResultCategory.REVOKED: _l("Business licence revoked"),
    ResultCategory.CANCELLED: _l("Registration cancelled"),
    ResultCategory.MOVED_OUT: _l("Moved out"),
}

NON_COOPERATION_LABELS = {
    "refused_entry": _l("Refused, obstructed or hindered entry to the premises"),
    "refused_questioning": _l("Refused, obstructed or hindered questioning"),
    "refused_records": _l("Refused to provide accounts, audit reports, licences or other materials"),
    "untruthful_information": _l("Did not truthfully provide information or materials as required"),
    "serious_obstruction": _l("Otherwise obstructed or hindered the check, seriously"),
}
"""The five situations of seed article 18, by the finding codes plugins' rules name."""

NOTICE_CHANNELS = {"phone": _l("Telephone"), "fax": _l("Fax"), "email": _l("E-mail")}


class Task(PlanShared, Base):
    """One team's visit to its target: schedule, state, deadline, review and result.

    ``due_on`` is :data:`RESULT_DUE_WORKING_DAYS` working days after ``check_ended_on``;
    ``overdue`` is set by the sweep when the results were not recorded by then (such a task counts
    as not completed, art. 16(3)). ``version`` makes a second editor's stale save a conflict."""

    __tablename__ = "task"
    __table_args__ = (Index("ix_task_state_due_on", "state", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id"), index=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), unique=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default=TaskState.DISPATCHED.value)
    scheduled_on: Mapped[date | None] = mapped_column(Date)
    schedule_note: Mapped[str | None] = mapped_column(Text)
    check_ended_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str | None] = mapped_column(String(128))
    result_category: Mapped[str | None] = mapped_column(String(32))
    non_cooperation: Mapped[list[str]] = mapped_column(JSON, default=list)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(128))
    review_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    team: Mapped[Team] = relationship()
    target: Mapped[Target] = relationship()
    items: Mapped[list[TaskItem]] = relationship(order_by="TaskItem.id", back_populates="task")

    __mapper_args__ = {"version_id_col": version}

    @property
    def state_label(self) -> str:
        return TaskState(self.state).label

    @property
    def result_label(self) -> str | None:
        return ResultCategory(self.result_category).label if self.result_category else None

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        """Tasks change through the inspection services, which check the team and the role and
        then write in the system scope."""
        if operation == "delete" or not scope.can_write(self.department_id):
            raise TenancyError(f"task {self.id}: written by the inspection services only")


class TaskItem(PlanShared, Base):
    """One department's item on a task: its checklist form, what the online check verified, the
    answers (with the form they answered), the methods used and the findings."""

    __tablename__ = "task_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    plan_item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id"))
    department_code: Mapped[str] = mapped_column(String(32))
    item_code: Mapped[str] = mapped_column(String(64))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    notice_forbidden: Mapped[bool] = mapped_column(Boolean, default=False)
    form_code: Mapped[str] = mapped_column(String(64))
    # The form definition the answers were validated against, kept with them when recorded: the
    # plugin may change its form later, the record must not.
    form: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    online_status: Mapped[str | None] = mapped_column(String(16))
    online_summary: Mapped[str | None] = mapped_column(Text)
    online_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    methods: Mapped[list[str]] = mapped_column(JSON, default=list)
    findings: Mapped[list[str]] = mapped_column(JSON, default=list)
    recorded_by: Mapped[str | None] = mapped_column(String(128))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    task: Mapped[Task] = relationship(back_populates="items")

    def name(self, locale: str) -> str:
        return self.name_en if locale.startswith("en") else self.name_zh

    @property
    def recorded(self) -> bool:
        return self.recorded_at is not None


class Notice(PlanShared, Base):
    """Advance notice to the target (art. 16(2)): how, when, of what time and which items; an
    e-mail notice records whether the mail server accepted it."""

    __tablename__ = "task_notice"
    __audit_personal__ = frozenset({"recipient"})

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(200))
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime)
    visit_on: Mapped[date] = mapped_column(Date)
    item_codes: Mapped[list[str]] = mapped_column(JSON)
    message: Mapped[str | None] = mapped_column(Text)
    delivery: Mapped[str | None] = mapped_column(String(16))
    delivery_error: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(128))


class Evidence(PlanShared, Base):
    """A photo, document or test report attached to a task, stored outside the web root under
    ``storage_key``; its type is checked by content and its SHA-256 recorded."""

    __tablename__ = "task_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(128))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TaskEvent(PlanShared, Base):
    """A state change of a task: from, to, who, when, why (returns and refusals carry a note)."""

    __tablename__ = "task_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
