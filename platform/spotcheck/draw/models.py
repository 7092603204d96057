"""The draw (随机抽取, seed articles 14–15, ``docs/draw.md``): its frozen inputs, its results, the
joint teams it forms and the replacements made afterwards.

A :class:`Draw` belongs to a batch of a work plan and is read by whoever reads the annual plan
(its initiator, its participants and the office). Its candidates, exclusions and strata are frozen
when it is prepared; its selection, matching inputs and teams are written once when it executes.
Nothing of a prepared or executed draw is ever updated except its own state; a draw that a later
draw made stale is voided, never re-run.

:class:`DrawTally` counts each target's random draws per calendar year; its CHECK constraint is
the yearly cap, so the database itself refuses a third draw whatever the processes racing for it.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_babel import get_locale, lazy_gettext as _l
from sqlalchemy import (JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, SmallInteger,
                        String, Text, text)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from spotcheck.db import Base, UTCDateTime, utcnow
from spotcheck.planning.models import AnnualPlan, Batch, PlanShared
from spotcheck.registry.inspectors.models import Inspector
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, TenancyError

YEAR_CAP = 2
"""At most this many random draws of one target per calendar year (seed article 14)."""


class DrawState(str, enum.Enum):
    """Prepared (committed, awaiting entropy) → executed; or prepared → voided."""

    PREPARED = "prepared"
    EXECUTED = "executed"
    VOIDED = "voided"

    @property
    def label(self) -> str:
        return str(DRAW_STATE_LABELS[self])


DRAW_STATE_LABELS = {
    DrawState.PREPARED: _l("Prepared, awaiting the draw"),
    DrawState.EXECUTED: _l("Drawn"),
    DrawState.VOIDED: _l("Voided"),
}


class Draw(PlanShared, Base):
    """One draw of a batch: prepared (candidates frozen, secret committed), then executed once
    with the public entropy, or voided. ``department_id`` is the plan's initiator.

    ``counts_towards_cap`` is the plan type's answer at preparation: random plans count towards
    and are limited by the yearly cap, other types neither. ``server_secret`` is never shown
    before the draw executes; the commitment is."""

    __tablename__ = "draw"
    __table_args__ = (
        # One live draw per batch: a mistake is corrected by a new batch, never by drawing again.
        Index("uq_draw_live_batch", "batch_id", unique=True,
              sqlite_where=text("state <> 'voided'"), postgresql_where=text("state <> 'voided'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("work_plan_batch.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    counts_towards_cap: Mapped[bool] = mapped_column(Boolean)
    state: Mapped[str] = mapped_column(String(16), default=DrawState.PREPARED.value)
    per_target: Mapped[int] = mapped_column(Integer)
    max_load: Mapped[int | None] = mapped_column(Integer)
    server_secret: Mapped[str] = mapped_column(String(64))
    commitment: Mapped[str] = mapped_column(String(64))
    candidates_digest: Mapped[str] = mapped_column(String(64))
    candidate_count: Mapped[int] = mapped_column(Integer)
    excluded_count: Mapped[int] = mapped_column(Integer)
    public_entropy: Mapped[str | None] = mapped_column(Text)
    seed: Mapped[str | None] = mapped_column(String(64))
    selected_count: Mapped[int | None] = mapped_column(Integer)
    prepared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    prepared_by: Mapped[str] = mapped_column(String(128))
    prepared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    drawn_by: Mapped[str | None] = mapped_column(String(128))
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str | None] = mapped_column(Text)

    initiator: Mapped[Department] = relationship()
    plan: Mapped[AnnualPlan] = relationship()
    batch: Mapped[Batch] = relationship()
    strata: Mapped[list[DrawStratum]] = relationship(order_by="DrawStratum.position",
                                                     back_populates="draw")

    @property
    def state_label(self) -> str:
        return DrawState(self.state).label

    @property
    def executed(self) -> bool:
        return self.state == DrawState.EXECUTED.value

    @property
    def void_reason_shown(self) -> str | None:
        """The void reason in the page's language: a stale preparation's reason is stored in
        Chinese and English, a line each; a person's own reason is shown as they wrote it."""
        if self.void_reason is None or "\n" not in self.void_reason:
            return self.void_reason
        zh, en = self.void_reason.split("\n", 1)
        return en if str(get_locale() or "zh").startswith("en") else zh


class DrawStratum(PlanShared, Base):
    """A stratum as the draw froze it: ``position`` in key-byte order, the quota rule, the
    candidates' digest and count, and the quota."""

    __tablename__ = "draw_stratum"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id"), index=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    key: Mapped[str] = mapped_column(String(200))
    rule: Mapped[dict[str, int]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    candidate_count: Mapped[int] = mapped_column(Integer)
    quota: Mapped[int] = mapped_column(Integer)

    draw: Mapped[Draw] = relationship(back_populates="strata")


CODE_TYPE = String(32).with_variant(String(32, collation="C"), "postgresql")
"""A frozen candidate's id: compared by its bytes on every backend."""


class DrawCandidate(Base):
    """A frozen candidate: written once in bulk at preparation, read through its draw (whose
    visibility the caller has checked), never through a department's own scope."""

    __tablename__ = "draw_candidate"
    # A stratum's candidates in byte order, as the proof lists them and the ranking reads them:
    # read from the index without a sort ("C" is PostgreSQL's byte order, SQLite's by default).
    __table_args__ = (Index("ix_draw_candidate_stratum_code", "draw_id", "stratum", "code"),)

    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"), primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"), primary_key=True)
    stratum: Mapped[int] = mapped_column(SmallInteger)
    code: Mapped[str] = mapped_column(CODE_TYPE)


class DrawExclusion(Base):
    """A target of the batch's scope that is not a candidate, and why (``planning.dryrun.REASONS``)."""

    __tablename__ = "draw_exclusion"

    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    reason: Mapped[str] = mapped_column(String(32))


class DrawSelection(Base):
    """A drawn target: its stratum, its rank there, and the departments whose items apply
    (``required``, as the proof's matching block lists them)."""

    __tablename__ = "draw_selection"
    __table_args__ = (Index("ix_draw_selection_target_id", "target_id"),)

    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"), primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    stratum: Mapped[int] = mapped_column(SmallInteger)
    rank: Mapped[int] = mapped_column(Integer)
    required: Mapped[list[str]] = mapped_column(JSON)


class DrawDepartment(Base):
    """A department of the draw's matching block: its order, how many it sends, its pool."""

    __tablename__ = "draw_department"

    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(SmallInteger)
    per_target: Mapped[int] = mapped_column(Integer)
    pool: Mapped[list[str]] = mapped_column(JSON)


class MatchExclusion(Base):
    """A target–inspector pair the matching may not make, and why (:data:`MATCH_REASONS`)."""

    __tablename__ = "draw_match_exclusion"

    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"), primary_key=True)
    target_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    inspector_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    reason: Mapped[str] = mapped_column(String(32))


MATCH_REASONS = {
    "recusal": _l("Declared conflict of interest"),
    "consecutive": _l("Inspected this target at its last check"),
    "area": _l("Target outside the inspector's area"),
}
"""Why an inspector may not be matched to a target, by the code the proof carries."""


class DrawTally(Base):
    """How many random draws picked a target in a calendar year; the CHECK is the yearly cap."""

    __tablename__ = "draw_tally"
    __table_args__ = (CheckConstraint(f"draws >= 0 AND draws <= {YEAR_CAP}", name="year_cap"),)

    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    draws: Mapped[int] = mapped_column(Integer)


class TeamState(str, enum.Enum):
    """A joint team is dispatched when the draw forms it; the inspection issue carries it on."""

    DISPATCHED = "dispatched"

    @property
    def label(self) -> str:
        return str(TEAM_STATE_LABELS[self])


TEAM_STATE_LABELS = {TeamState.DISPATCHED: _l("Dispatched")}


class Team(PlanShared, Base):
    """A joint team (联合抽查组): one per drawn target, visiting once for every department's
    items. ``position`` is the target's place in matching order; the leader is the first
    inspector the initiating department sent."""

    __tablename__ = "team"
    __table_args__ = (Index("uq_team_draw_target", "draw_id", "target_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id"), index=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"))
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default=TeamState.DISPATCHED.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    draw: Mapped[Draw] = relationship()
    target: Mapped[Target] = relationship()
    members: Mapped[list[TeamMember]] = relationship(order_by="TeamMember.seq", back_populates="team")

    @property
    def state_label(self) -> str:
        return TeamState(self.state).label

    @property
    def current(self) -> list[TeamMember]:
        return [m for m in self.members if m.active]

    @property
    def leader(self) -> TeamMember | None:
        return next((m for m in self.members if m.active and m.leader), None)


class TeamMember(Base):
    """An inspector on a team, for a department. ``seq`` orders the draw's picks (the proof's
    assignments); a replacement deactivates the member it replaces and adds one with
    ``replaces_id`` set. Read through its team, whose visibility the caller has checked."""

    __tablename__ = "team_member"
    __table_args__ = (Index("ix_team_member_inspector_id", "inspector_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    department_code: Mapped[str] = mapped_column(String(32))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspector.id"))
    inspector_code: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    leader: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("team_member.id"))

    team: Mapped[Team] = relationship(back_populates="members")
    inspector: Mapped[Inspector] = relationship()


class ReplacementState(str, enum.Enum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return str(REPLACEMENT_STATE_LABELS[self])


REPLACEMENT_STATE_LABELS = {
    ReplacementState.REQUESTED: _l("Awaiting the head's approval"),
    ReplacementState.APPROVED: _l("Approved"),
    ReplacementState.REJECTED: _l("Rejected"),
}

REPLACEMENT_GROUNDS = {
    "post_change": _l("Change of post"),
    "work_conflict": _l("Conflict with other duties"),
}
"""The only grounds on which a drawn inspector is replaced (seed article 14)."""


class Replacement(PlanShared, Base):
    """A request to replace a drawn inspector, decided by the head of the inspector's department
    (``department_id``). ``seq`` orders the approved ones as the proof lists them."""

    __tablename__ = "draw_replacement"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id"), index=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("team_member.id"))
    ground: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=ReplacementState.REQUESTED.value)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    requested_by: Mapped[str] = mapped_column(String(128))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    incoming_id: Mapped[int | None] = mapped_column(ForeignKey("team_member.id"))
    seq: Mapped[int | None] = mapped_column(Integer)

    team: Mapped[Team] = relationship()
    member: Mapped[TeamMember] = relationship(foreign_keys=[member_id])
    incoming: Mapped[TeamMember | None] = relationship(foreign_keys=[incoming_id])

    @property
    def state_label(self) -> str:
        return ReplacementState(self.state).label

    @property
    def ground_label(self) -> str:
        return str(REPLACEMENT_GROUNDS[self.ground])

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        """Requested and decided within the inspector's department (or by the platform)."""
        if operation == "delete" or not scope.can_write(self.department_id):
            raise TenancyError(f"replacement {self.id}: written by department {self.department_id} only")


def proof_fields(draw: Draw) -> dict[str, Any]:
    """The metadata fields of the draw's proof (spec §6: recorded, not recomputed)."""
    return {"draw_id": draw.id, "plan": draw.plan_id, "batch": draw.batch_id, "year": draw.year,
            "prepared_at": draw.prepared_at.isoformat(), "prepared_by": draw.prepared_by,
            "drawn_at": draw.drawn_at.isoformat() if draw.drawn_at else None}
