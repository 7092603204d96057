"""The target directory's tables: targets, who supervises them, their tags and their history.

A target is one row, shared by every department supervising it (``target_supervision``); each of
those departments keeps its own view of it (risk level, note, tags), which no other department
reads. A department reads a target only while it supervises it; the office reads them all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    exists,
    false,
    inspect,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from spotcheck.db import Base, UTCDateTime, utcnow
from spotcheck.registry.areas import Area
from spotcheck.tenancy.scope import Scope, TenancyError, TenantOwned, TenantShared

# Names are compared byte by byte (the "C" collation on PostgreSQL, SQLite's default BINARY), so a
# name prefix is a range on the name index on both backends; Chinese names have no case to fold.
NAME_TYPE = String(200).with_variant(String(200, collation="C"), "postgresql")


class Target(TenantShared, Base):
    """A target of spot checks: an entity with a unified social credit code, or a product, project
    or behaviour with a platform code (``NM-PROD-000001``).

    ``version`` is bumped by every update; an update carrying an older version fails with
    ``StaleDataError`` instead of overwriting another editor's change.
    """

    __tablename__ = "target"
    __audit_personal__ = frozenset({"legal_representative"})
    __table_args__ = (
        # With the id, the index gives the directory's whole order (name, id), so a page of a
        # name prefix stops after its fifty rows instead of sorting every match.
        Index("ix_target_name", "name", "id"),
        # Name and id too, so a narrow search finds, orders and counts its matches from the
        # index alone (see registry/targets/search.py).
        Index("ix_target_area_credit_industry", "area_id", "credit_class", "industry_code", "name",
              "id"),
        Index("ix_target_industry_code", "industry_code"),
        Index("ix_target_kind", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(NAME_TYPE)
    kind: Mapped[str] = mapped_column(String(32))
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    industry_code: Mapped[str | None] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(16), default="active")
    credit_class: Mapped[str | None] = mapped_column(String(1))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    area: Mapped[Area | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        """A department reads the targets it supervises."""
        assert scope.readable is not None
        if not scope.readable:
            return false()
        return supervised_by(cls.id, scope.readable)

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        """A target is created together with its creator's supervision, and changed only by a
        department supervising it; removing one is for the platform's own jobs."""
        assert scope.writable is not None
        if operation == "delete":
            raise TenancyError("a target is removed only by the platform's own jobs")
        pending = any(isinstance(o, TargetSupervision) and o.department_id in scope.writable
                      and (inspect(o).dict.get("target") is self
                           or (self.id is not None and o.target_id == self.id))
                      for o in db_session.new)
        if pending:
            return
        if operation == "create":
            raise TenancyError("a new target needs the creating department's supervision")
        if self.id is None or not db_session.scalar(select(exists().where(
                TargetSupervision.target_id == self.id,
                TargetSupervision.department_id.in_(sorted(scope.writable))))):
            raise TenancyError(f"target {self.id} is not supervised by this department")


def supervised_by(target_id: Any, department_ids: frozenset[int]) -> ColumnElement[bool]:
    """SQL: the target ``target_id`` is supervised by one of ``department_ids``."""
    return exists().where(TargetSupervision.target_id == target_id,
                          TargetSupervision.department_id.in_(sorted(department_ids)))


class TargetSupervision(TenantOwned, Base):
    """A department supervises a target, with its own risk level and note about it."""

    __tablename__ = "target_supervision"
    __table_args__ = (
        UniqueConstraint("target_id", "department_id", name="uq_target_supervision_target_department"),
        Index("ix_target_supervision_department_risk", "department_id", "risk_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"))
    risk_level: Mapped[str | None] = mapped_column(String(8))
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)

    target: Mapped[Target] = relationship()


class TargetTag(TenantOwned, Base):
    """A department's tag on a target (a row each, so that filtering by tag uses an index)."""

    __tablename__ = "target_tag"
    __table_args__ = (
        UniqueConstraint("department_id", "tag", "target_id", name="uq_target_tag_department_tag_target"),
        Index("ix_target_tag_target_id", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(50))

    target: Mapped[Target] = relationship()


EVENT_SOURCES = ("web", "api", "import", "sync", "cli")


class TargetEvent(TenantShared, Base):
    """One change of a target: who (department, user), when, how (source, import), what.

    ``changes`` maps each changed field to ``[before, after]`` with personal fields masked.
    Changes to the shared record are read by every department supervising the target; changes to
    one department's own view (``private``: supervision, risk, note, tags) only by that department.
    """

    __tablename__ = "target_event"
    __table_args__ = (
        Index("ix_target_event_target_id", "target_id", "id"),
        Index("ix_target_event_import_id", "import_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(128))
    source: Mapped[str] = mapped_column(String(16))
    import_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        """A department reads the shared history of targets it supervises, and its own view's."""
        assert scope.readable is not None
        if not scope.readable:
            return false()
        return supervised_by(cls.target_id, scope.readable) & or_(
            cls.private.is_(False), cls.department_id.in_(sorted(scope.readable)))

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        """History is written in the name of a department the scope writes, and never changed."""
        if operation != "create" or not scope.can_write(self.department_id):
            raise TenancyError("target history is written once, by the department that acted")
