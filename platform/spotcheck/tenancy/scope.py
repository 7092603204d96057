"""The tenant-scoped layer: every ORM read and write passes through it.

A unit of work carries a :class:`Scope` (in ``session.info``). Every ORM SELECT, UPDATE and DELETE
gets each tenant-owned class's criteria added by the session itself (``do_orm_execute`` +
``with_loader_criteria``), and every flush checks that new, changed and deleted rows belong to a
department the scope may write, filling in the department of new rows. A query that touches a
tenant-owned table without any scope is refused, so a forgotten scope fails loudly instead of
leaking. Two holes stay with the caller and are covered by tests: ``session.get`` answers from the
identity map without SQL (views use :func:`get_visible` instead), and ``text()`` SQL bypasses the ORM.

Rows owned by one department use :class:`TenantOwned`. Rows shared by several departments (a target
in the directory, seen by every department supervising it) use :class:`TenantShared`: the class
says itself which rows a scope reads and whether a write is allowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, ForeignKey, event, false, select
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)
from sqlalchemy.orm import sessionmaker as SessionMaker

T = TypeVar("T")


class TenancyError(PermissionError):
    """A unit of work tried to read or write outside its scope."""


@dataclass(frozen=True)
class Scope:
    """Which departments' rows a unit of work may read and write.

    ``None`` means every department (the office reads all; the platform's own jobs read and write
    all). ``home`` is the department new rows belong to unless they name one.
    """

    readable: frozenset[int] | None
    writable: frozenset[int] | None
    home: int | None = None
    user_id: int | None = None

    @classmethod
    def system(cls) -> Scope:
        """The platform's own jobs (CLI, migrations, sweeps): every department."""
        return cls(readable=None, writable=None)

    @classmethod
    def public(cls) -> Scope:
        """Anonymous visitors: no department's private rows."""
        return cls(readable=frozenset(), writable=frozenset())

    @classmethod
    def department(cls, department_id: int, user_id: int | None = None) -> Scope:
        """One department's own rows, read and write."""
        ids = frozenset({department_id})
        return cls(readable=ids, writable=ids, home=department_id, user_id=user_id)

    def can_read(self, department_id: int | None) -> bool:
        return self.readable is None or department_id in self.readable

    def can_write(self, department_id: int | None) -> bool:
        return self.writable is None or department_id in self.writable


class TenantOwned:
    """Mixin for every row a department owns: adds ``department_id`` and the read criteria.

    A class whose rows are visible beyond their owner (a joint plan seen by its participants)
    overrides :meth:`tenant_criteria`.
    """

    @declared_attr
    def department_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("department.id"), index=True)

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        """The SQL condition selecting the rows of this class that ``scope`` may read."""
        assert scope.readable is not None
        if not scope.readable:
            return false()
        return cls.department_id.in_(sorted(scope.readable))  # type: ignore[attr-defined]


class TenantShared:
    """Mixin for rows shared by several departments, which decide their own tenancy.

    The layer treats them like :class:`TenantOwned` rows (criteria on every read, a check on every
    flush, refused without a scope) but asks the class: :meth:`tenant_criteria` selects the rows a
    scope reads, and :meth:`check_tenant_write` raises :class:`TenancyError` for a write the scope
    may not make. The system scope (``writable is None``) is never asked; the public scope, which
    writes nothing, is refused before the class is asked.
    """

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        """The SQL condition selecting the rows of this class that ``scope`` may read."""
        raise NotImplementedError(f"{cls.__name__} must say which rows a scope reads")

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        """Raise :class:`TenancyError` unless ``scope`` may ``operation`` (create, update, delete)
        this row; called at flush, after new owned rows got their department."""
        raise NotImplementedError(f"{type(self).__name__} must say which writes a scope may make")


def get_scope(db_session: Session) -> Scope | None:
    """The scope of a unit of work, or ``None`` when none was set."""
    return db_session.info.get("scope")


def set_scope(db_session: Session, scope: Scope) -> None:
    """Set the scope of a unit of work for everything it does from now on."""
    db_session.info["scope"] = scope


@contextmanager
def scoped(db_session: Session, scope: Scope) -> Iterator[None]:
    """Run a block under another scope (e.g. the system scope to look up a signing-in user)."""
    previous = get_scope(db_session)
    set_scope(db_session, scope)
    try:
        yield
    finally:
        if previous is None:
            db_session.info.pop("scope", None)
        else:
            set_scope(db_session, previous)


def get_visible(db_session: Session, model: type[T], object_id: Any) -> T | None:
    """Load one row by primary key through the scope (never from the identity map alone)."""
    mapper_pk = model.__mapper__.primary_key[0]  # type: ignore[attr-defined]
    return db_session.scalars(select(model).where(mapper_pk == object_id)).one_or_none()


def install(factory: SessionMaker[Session]) -> None:
    """Attach the tenant-scoped layer to every session ``factory`` makes."""
    from spotcheck.tenancy import row_security

    event.listen(factory, "do_orm_execute", _filter_reads)
    event.listen(factory, "before_flush", _check_writes)
    row_security.install(factory)  # the database's own wall behind this one (PostgreSQL)


def _owned_classes(state_or_session_mappers: Any) -> list[type[TenantOwned | TenantShared]]:
    return [m.class_ for m in state_or_session_mappers
            if issubclass(m.class_, (TenantOwned, TenantShared))]


def _all_owned_classes(db_session: Session) -> list[type[TenantOwned | TenantShared]]:
    from spotcheck.db import Base

    return _owned_classes(Base.registry.mappers)


def _filter_reads(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the criteria added to the parent statement propagate to its loaders
    touched = _owned_classes(state.all_mappers)
    scope = get_scope(state.session)
    if scope is None:
        if touched:
            names = ", ".join(sorted(c.__name__ for c in touched))
            raise TenancyError(f"query on tenant-owned {names} without a scope")
        return
    if scope.readable is None:
        return
    state.statement = state.statement.options(*_read_criteria(state.session, scope))


def _read_criteria(db_session: Session, scope: Scope) -> tuple[Any, ...]:
    """Every tenant class's criteria for ``scope``, built once per unit of work and scope.

    Building them anew for every statement made each query pay for constructing (and then
    cache-keying) a dozen fresh expressions, milliseconds a query; the same objects reused hit
    SQLAlchemy's compiled-statement cache.
    """
    cached = db_session.info.get("tenant_criteria")
    if cached is not None and cached[0] == scope:
        return cached[1]
    options = tuple(with_loader_criteria(cls, cls.tenant_criteria(scope), include_aliases=True)
                    for cls in _all_owned_classes(db_session))
    db_session.info["tenant_criteria"] = (scope, options)
    return options


def _check_writes(db_session: Session, _context: Any, _instances: Any) -> None:
    changed = [o for o in (*db_session.new, *db_session.dirty, *db_session.deleted)
               if isinstance(o, TenantOwned)]
    shared = [(o, operation) for operation, objects in (("create", db_session.new),
                                                        ("update", db_session.dirty),
                                                        ("delete", db_session.deleted))
              for o in objects if isinstance(o, TenantShared)]
    if not changed and not shared:
        return
    scope = get_scope(db_session)
    if scope is None:
        raise TenancyError("write to tenant-owned rows without a scope")
    for obj in db_session.new:
        if isinstance(obj, TenantOwned) and obj.department_id is None:
            if scope.home is None:
                raise TenancyError(f"new {type(obj).__name__} names no department")
            obj.department_id = scope.home
    for obj in changed:
        for department_id in _departments_touched(obj):
            if not scope.can_write(department_id):
                raise TenancyError(f"{type(obj).__name__} of department {department_id} is out of scope")
    if scope.writable is None:
        return
    for obj, operation in shared:
        if not scope.writable:
            raise TenancyError(f"{type(obj).__name__}: this scope writes nothing")
        if operation == "update" and not db_session.is_modified(obj, include_collections=False):
            continue  # only a collection of it changed: its own row is not written
        with db_session.no_autoflush:
            obj.check_tenant_write(db_session, scope, operation)


def _departments_touched(obj: TenantOwned) -> set[int | None]:
    from sqlalchemy import inspect

    history = inspect(obj).attrs.department_id.history
    return {obj.department_id, *history.deleted}
