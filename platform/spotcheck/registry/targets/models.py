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
    event,
    exists,
    false,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection
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


SEARCH_COPIES = ("name", "kind", "area_id", "industry_code", "status", "credit_class")
"""The target columns a department's search filters and orders by, copied onto each of the target's
supervisions (see :class:`TargetSupervision`)."""


class TargetSupervision(TenantOwned, Base):
    """A department supervises a target, with its own risk level and note about it.

    It also carries copies of the target's :data:`SEARCH_COPIES`, so that a department's search
    finds, orders and counts its matches from one index of its own supervisions (see
    ``registry/targets/search.py``) instead of probing its supervision once per candidate target.
    The copies are derived data, never edited by hand: the ORM events below keep them in step with
    every change of a target through a session, the importer's Core writes update them in the same
    statement batch as the targets (``registry/importing/targets.py``), and migration 0008 filled
    them in; :func:`copy_search_columns` brings them in step after other bulk loads.
    """

    __tablename__ = "target_supervision"
    __table_args__ = (
        UniqueConstraint("target_id", "department_id", name="uq_target_supervision_target_department"),
        Index("ix_target_supervision_department_risk", "department_id", "risk_level"),
        Index("ix_target_supervision_search", "department_id", "area_id", "credit_class",
              "industry_code", "name", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"))
    risk_level: Mapped[str | None] = mapped_column(String(8))
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    # Copies of the target's columns (SEARCH_COPIES), for the department-scoped search index.
    name: Mapped[str | None] = mapped_column(NAME_TYPE)
    kind: Mapped[str | None] = mapped_column(String(32))
    area_id: Mapped[int | None] = mapped_column(Integer)
    industry_code: Mapped[str | None] = mapped_column(String(4))
    status: Mapped[str | None] = mapped_column(String(16))
    credit_class: Mapped[str | None] = mapped_column(String(1))

    target: Mapped[Target] = relationship()


def copy_search_columns(connection: Connection, target_ids: Any = None) -> None:
    """Copy the targets' :data:`SEARCH_COPIES` onto their supervisions (all of them, or those of
    ``target_ids``: a list or a SELECT of ids), in one UPDATE … FROM statement."""
    supervision = TargetSupervision.__table__
    target = Target.__table__
    statement = update(supervision).where(supervision.c.target_id == target.c.id).values(
        {name: target.c[name] for name in SEARCH_COPIES})
    if target_ids is not None:
        statement = statement.where(supervision.c.target_id.in_(target_ids))
    connection.execute(statement)


@event.listens_for(TargetSupervision, "before_insert")
def _copy_onto_new_supervision(_mapper: Any, connection: Connection,
                               supervision: TargetSupervision) -> None:
    target = inspect(supervision).dict.get("target")
    if target is not None:
        values = {name: getattr(target, name) for name in SEARCH_COPIES}
    else:
        table = Target.__table__
        row = connection.execute(select(*(table.c[name] for name in SEARCH_COPIES))
                                 .where(table.c.id == supervision.target_id)).one_or_none()
        values = dict(row._mapping) if row is not None else {}
    for name, value in values.items():
        setattr(supervision, name, value)


@event.listens_for(Target, "after_update")
def _copy_onto_supervisions(_mapper: Any, connection: Connection, target: Target) -> None:
    state = inspect(target)
    if any(state.attrs[name].history.has_changes() for name in SEARCH_COPIES):
        # Beneath the ORM: the copies follow the target for every department supervising it,
        # whichever department changed it (they are the target's shared facts, not a view).
        supervision = TargetSupervision.__table__
        connection.execute(update(supervision).where(supervision.c.target_id == target.id)
                           .values({name: getattr(target, name) for name in SEARCH_COPIES}))


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
