"""The expert pool (专家库, seed article 10): experts, testing bodies and research institutions
called on for specialised checks (sampling, testing, commissioned inspection).

An expert belongs to the department that registered it; the office reads the whole pool.
Specialities are rows of their own, so the pool filters by speciality in SQL.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spotcheck.db import Base, UTCDateTime, utcnow
from spotcheck.tenancy.scope import TenantOwned


class ExpertKind(str, enum.Enum):
    """What kind of member of the pool."""

    EXPERT = "expert"                              # 专家
    TESTING_BODY = "testing_body"                  # 检验检测机构
    RESEARCH_INSTITUTION = "research_institution"  # 科研院所

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


class ExpertStatus(str, enum.Enum):
    """Whether the member may be called on."""

    ACTIVE = "active"        # 可用
    SUSPENDED = "suspended"  # 暂停使用
    REMOVED = "removed"      # 已出库

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


KIND_LABELS = {
    ExpertKind.EXPERT: _l("Expert"),
    ExpertKind.TESTING_BODY: _l("Testing body"),
    ExpertKind.RESEARCH_INSTITUTION: _l("Research institution"),
}

STATUS_LABELS = {
    ExpertStatus.ACTIVE: _l("Available"),
    ExpertStatus.SUSPENDED: _l("Suspended"),
    ExpertStatus.REMOVED: _l("Removed from the pool"),
}


class Expert(TenantOwned, Base):
    """A member of the expert pool: a person, a testing body or a research institution.

    ``qualification`` is the qualification or certificate number (资质/证书编号: a testing body's
    CMA number, an expert's title certificate); ``contact`` is a personal phone number, masked
    wherever it is listed. ``valid_until`` is when the qualification lapses, if it does.
    """

    __tablename__ = "expert"
    __audit_personal__ = frozenset({"contact"})

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), index=True)
    organisation: Mapped[str | None] = mapped_column(String(200))
    qualification: Mapped[str | None] = mapped_column(String(100))
    contact: Mapped[str | None] = mapped_column(String(32))
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=ExpertStatus.ACTIVE.value)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    speciality_rows: Mapped[list[ExpertSpeciality]] = relationship(
        cascade="all, delete-orphan", order_by="ExpertSpeciality.speciality", lazy="selectin")

    @property
    def specialities(self) -> list[str]:
        return [row.speciality for row in self.speciality_rows]

    @property
    def kind_label(self) -> str:
        return ExpertKind(self.kind).label

    @property
    def status_label(self) -> str:
        return ExpertStatus(self.status).label

    def lapsed(self, on: date) -> bool:
        """Whether the qualification has lapsed by ``on``."""
        return self.valid_until is not None and self.valid_until < on


class ExpertSpeciality(Base):
    """One speciality of a member of the pool (专业领域), e.g. 特种设备, 食品检验."""

    __tablename__ = "expert_speciality"
    __table_args__ = (Index("ix_expert_speciality_speciality", "speciality"),)

    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"),
                                           primary_key=True)
    speciality: Mapped[str] = mapped_column(String(50), primary_key=True)
