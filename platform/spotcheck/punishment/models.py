"""The joint punishment list (联合惩戒, seed article 19): which targets are listed, on what basis,
until when, and the credit repairs (信用修复) asked for them.

A :class:`PunishmentEntry` lists one target in the name of one department on one basis: serious
non-cooperation (article 18) with a check it initiated, or a serious violation its own credit rule
found. Its basis is the credit events that put it there (:class:`PunishmentBasisEvent`). An entry
is *listed* until its period ends (*expired*) or a repair is approved (*repaired*).

Every department reads these tables (the list is applied by all of them; the pages narrow it to
what a department sees); only the platform's services (the system scope) write them.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Date, ForeignKey, Index, String, Text, true
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from spotcheck.db import Base, UTCDateTime, utcnow
from spotcheck.followup.credit import CreditEvent
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, TenancyError, TenantShared


class Basis(str, enum.Enum):
    """Why a target is listed."""

    NON_COOPERATION = "non_cooperation"      # 严重不配合检查 (art. 18)
    SERIOUS_VIOLATION = "serious_violation"  # 严重违法失信 (a department's credit rule)

    @property
    def label(self) -> str:
        return str(BASIS_LABELS[self])


BASIS_LABELS = {
    Basis.NON_COOPERATION: _l("Serious non-cooperation with a check"),
    Basis.SERIOUS_VIOLATION: _l("Serious violation"),
}


class EntryState(str, enum.Enum):
    """Where an entry stands: listed, or off the list because its period ended or it was repaired."""

    LISTED = "listed"
    EXPIRED = "expired"
    REPAIRED = "repaired"

    @property
    def label(self) -> str:
        return str(ENTRY_STATE_LABELS[self])


ENTRY_STATE_LABELS = {
    EntryState.LISTED: _l("Listed"),
    EntryState.EXPIRED: _l("Removed: period ended"),
    EntryState.REPAIRED: _l("Removed: credit repaired"),
}


class RepairState(str, enum.Enum):
    """A credit repair: asked for, then approved or rejected by the listing department's head."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return str(REPAIR_STATE_LABELS[self])


REPAIR_STATE_LABELS = {
    RepairState.PENDING: _l("Awaiting decision"),
    RepairState.APPROVED: _l("Approved"),
    RepairState.REJECTED: _l("Rejected"),
}


class ServiceWritten(TenantShared):
    """Every scope reads the rows; only the system scope (the services) writes them."""

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        return true()

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        raise TenancyError(f"{type(self).__name__}: written by the punishment service only")


class PunishmentEntry(ServiceWritten, Base):
    """One target on the joint punishment list, in one department's name, on one basis."""

    __tablename__ = "punishment_entry"
    __table_args__ = (
        Index("ix_punishment_entry_state_ends", "state", "ends_on"),
        Index("ix_punishment_entry_target", "target_id", "department_id", "basis"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    basis: Mapped[str] = mapped_column(String(24))
    state: Mapped[str] = mapped_column(String(16), default=EntryState.LISTED.value)
    listed_on: Mapped[date] = mapped_column(Date)
    last_event_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    department: Mapped[Department] = relationship()
    events: Mapped[list[CreditEvent]] = relationship(
        secondary="punishment_basis", order_by="CreditEvent.on, CreditEvent.id", viewonly=True)
    repairs: Mapped[list[CreditRepair]] = relationship(back_populates="entry", order_by="CreditRepair.id")

    @property
    def basis_label(self) -> str:
        return Basis(self.basis).label

    @property
    def state_label(self) -> str:
        return EntryState(self.state).label

    @property
    def pending_repair(self) -> CreditRepair | None:
        return next((r for r in self.repairs if r.state == RepairState.PENDING.value), None)


class PunishmentBasisEvent(ServiceWritten, Base):
    """A credit event an entry rests on."""

    __tablename__ = "punishment_basis"

    entry_id: Mapped[int] = mapped_column(ForeignKey("punishment_entry.id"), primary_key=True)
    credit_event_id: Mapped[int] = mapped_column(ForeignKey("credit_event.id"), primary_key=True)


class CreditRepair(ServiceWritten, Base):
    """A credit repair (信用修复) of an entry: the reason the listing department recorded (what the
    target corrected), and its head's decision."""

    __tablename__ = "credit_repair"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("punishment_entry.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(128))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default=RepairState.PENDING.value)
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)

    entry: Mapped[PunishmentEntry] = relationship(back_populates="repairs")

    @property
    def state_label(self) -> str:
        return RepairState(self.state).label
