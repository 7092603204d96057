"""The inspector directory (执法检查人员名录库, seed articles 10 and 14).

An :class:`Inspector` holds an enforcement credential (执法证) of a level, for a scope of
authorities (the ``authority`` values of the department plugins' items) and a set of areas, valid
between two dates. Who may be drawn is decided by :mod:`spotcheck.registry.inspectors.eligibility`.
Authorities and areas are rows of their own (not a list in a column), so the draw filters
hundreds of inspectors in SQL on both backends.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spotcheck.db import Base, UTCDateTime, utcnow
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.scope import TenantOwned


class InspectorLevel(str, enum.Enum):
    """The level at which the credential was issued (执法层级)."""

    DISTRICT = "district"      # 区级
    CITY = "city"              # 市级
    PROVINCIAL = "provincial"  # 省级

    @property
    def label(self) -> str:
        return str(LEVEL_LABELS[self])


class InspectorStatus(str, enum.Enum):
    """Where the inspector stands (在岗状态); only ``active`` inspectors are ever drawn."""

    ACTIVE = "active"            # 在岗
    ON_LEAVE = "on_leave"        # 休假
    TRANSFERRED = "transferred"  # 调离
    RETIRED = "retired"          # 退休

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


LEVEL_LABELS = {
    InspectorLevel.DISTRICT: _l("District level"),
    InspectorLevel.CITY: _l("City level"),
    InspectorLevel.PROVINCIAL: _l("Provincial level"),
}

STATUS_LABELS = {
    InspectorStatus.ACTIVE: _l("On duty"),
    InspectorStatus.ON_LEAVE: _l("On leave"),
    InspectorStatus.TRANSFERRED: _l("Transferred"),
    InspectorStatus.RETIRED: _l("Retired"),
}


def _enum_values(kind: type[enum.Enum]) -> list[str]:
    return [member.value for member in kind]


class Inspector(TenantOwned, Base):
    """A person who may be drawn to inspect (执法检查人员), with their credential.

    ``code`` is the enforcement certificate number (执法证号), unique across the platform. An
    inspector with no area rows covers the whole district. ``user_id`` links the account the
    inspector signs in with (role inspector), when there is one.
    """

    __tablename__ = "inspector"
    __audit_personal__ = frozenset({"phone"})

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    level: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=InspectorStatus.ACTIVE.value)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date, index=True)
    expertise: Mapped[list[str]] = mapped_column(JSON, default=list)
    phone: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    authority_rows: Mapped[list[InspectorAuthority]] = relationship(
        cascade="all, delete-orphan", order_by="InspectorAuthority.authority", lazy="selectin")
    area_rows: Mapped[list[InspectorArea]] = relationship(
        cascade="all, delete-orphan", order_by="InspectorArea.area_code", lazy="selectin")
    conflicts: Mapped[list[InspectorConflict]] = relationship(
        back_populates="inspector", order_by="InspectorConflict.declared_at.desc()")

    @property
    def authorities(self) -> list[str]:
        """The enforcement scope: the authorities the credential covers."""
        return [row.authority for row in self.authority_rows]

    @property
    def area_codes(self) -> list[str]:
        """The codes of the areas covered; empty for the whole district."""
        return [row.area_code for row in self.area_rows]

    @property
    def level_label(self) -> str:
        return InspectorLevel(self.level).label

    @property
    def status_label(self) -> str:
        return InspectorStatus(self.status).label


class InspectorAuthority(Base):
    """One authority of an inspector's enforcement scope (执法范围)."""

    __tablename__ = "inspector_authority"
    __table_args__ = (Index("ix_inspector_authority_authority", "authority"),)

    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspector.id", ondelete="CASCADE"),
                                              primary_key=True)
    authority: Mapped[str] = mapped_column(String(64), primary_key=True)


class InspectorArea(Base):
    """One area an inspector covers (负责区域): a sub-district or town covers its communities."""

    __tablename__ = "inspector_area"
    __table_args__ = (Index("ix_inspector_area_area_code", "area_code"),)

    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspector.id", ondelete="CASCADE"),
                                              primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)


class InspectorConflict(TenantOwned, Base):
    """A declared conflict of interest: the inspector must not inspect this target (回避).

    Withdrawing a declaration keeps the row (with when and why), so the record of what was
    declared stays complete.
    """

    __tablename__ = "inspector_conflict"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspector.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    inspector: Mapped[Inspector] = relationship(back_populates="conflicts")
    target: Mapped[Target] = relationship()

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None
