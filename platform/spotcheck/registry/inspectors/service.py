"""The inspector directory: create and update inspectors (one at a time or in bulk), declare and
withdraw conflicts of interest, search, and read an inspector's history from the audit trail.

Services never commit; the caller does. Every change is audited by the ORM capture.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow
from spotcheck.registry.areas import Area
from spotcheck.registry.inspectors.eligibility import area_and_parents
from spotcheck.registry.inspectors.models import (
    Inspector,
    InspectorArea,
    InspectorAuthority,
    InspectorConflict,
)
from spotcheck.registry.inspectors.rows import InspectorLookups, InspectorRow
from spotcheck.registry.items.models import CheckItem, CheckItemVersion
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

EXPIRING_DAYS = 30
"""A credential ending within this many days is flagged as expiring."""

BULK_CHUNK = 500
"""How many certificate numbers one lookup query asks for (well under every backend's limit)."""


class ConflictError(ValueError):
    """A conflict cannot be declared or withdrawn as asked."""


def today() -> date:
    """Today where the platform's users are (``BABEL_DEFAULT_TIMEZONE``): the day eligibility is
    judged on."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


# -- reading ------------------------------------------------------------------------------------

def department_authorities(db_session: Session, department_ids: Iterable[int] | None = None) -> dict[str, list[str]]:
    """Authority → the Chinese names of the items that need it, from the current item versions
    the scope reads (optionally of some departments only), withdrawn items left out."""
    statement = (select(CheckItemVersion.content)
                 .join(CheckItem, (CheckItemVersion.item_id == CheckItem.id)
                       & (CheckItemVersion.number == CheckItem.current_number))
                 .where(CheckItem.withdrawn.is_(False)))
    if department_ids is not None:
        statement = statement.where(CheckItem.department_id.in_(sorted(department_ids)))
    found: dict[str, list[str]] = {}
    for content in db_session.scalars(statement):
        found.setdefault(content["authority"], []).append(content["name_zh"])
    return dict(sorted(found.items()))


def inspector_lookups(db_session: Session, department_id: int) -> InspectorLookups:
    """Everything :func:`~spotcheck.registry.inspectors.rows.validate_inspector_row` needs to
    validate rows for ``department_id``, read in three queries.

    Reads other departments' certificate numbers (only the numbers and the owner's code) under
    the system scope: a number must be unique across the platform.
    """
    with scoped(db_session, Scope.system()):
        authorities: dict[str, str] = {}
        statement = (select(CheckItem.code, CheckItemVersion.content)
                     .join(CheckItemVersion, (CheckItemVersion.item_id == CheckItem.id)
                           & (CheckItemVersion.number == CheckItem.current_number))
                     .where(CheckItem.department_id == department_id,
                            CheckItem.withdrawn.is_(False)))
        for item_code, content in db_session.execute(statement):
            authority = content["authority"]
            for alias in (authority, item_code, content["name_zh"], content["name_en"]):
                authorities.setdefault(alias, authority)
        taken = dict(db_session.execute(
            select(Inspector.code, Department.code).join(Department, Department.id == Inspector.department_id)
            .where(Inspector.department_id != department_id)).all())
        areas = area_aliases(db_session)
    return InspectorLookups(authorities=authorities, areas=areas, taken_codes=taken)


def area_aliases(db_session: Session) -> dict[str, str]:
    """Every way an area is written in a row → its code: the code, the path
    (``东关大街街道/北关社区``) and the name where no other area has the same name."""
    aliases: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    for code, path, name in db_session.execute(select(Area.code, Area.path, Area.name)):
        aliases[code] = code
        aliases[path] = code
        names.setdefault(name, []).append(code)
    for name, codes in names.items():
        if len(codes) == 1:
            aliases.setdefault(name, codes[0])
    return aliases


@dataclass(frozen=True)
class InspectorFilters:
    """What the inspector list is narrowed to; ``None`` means no condition."""

    text: str | None = None
    status: str | None = None
    level: str | None = None
    authority: str | None = None
    area_code: str | None = None
    expiring_on: date | None = None  # credential ending within EXPIRING_DAYS of this day
    department_id: int | None = None


def search_inspectors(filters: InspectorFilters) -> Select[tuple[Inspector]]:
    """The inspectors matching ``filters`` (within the scope), by certificate number."""
    statement = select(Inspector).order_by(Inspector.code)
    if filters.text:
        text = filters.text.strip()
        statement = statement.where(or_(Inspector.name.contains(text, autoescape=True),
                                        Inspector.code.contains(text.upper(), autoescape=True)))
    if filters.status:
        statement = statement.where(Inspector.status == filters.status)
    if filters.level:
        statement = statement.where(Inspector.level == filters.level)
    if filters.department_id:
        statement = statement.where(Inspector.department_id == filters.department_id)
    if filters.authority:
        statement = statement.where(exists().where(InspectorAuthority.inspector_id == Inspector.id,
                                                   InspectorAuthority.authority == filters.authority))
    if filters.area_code:
        # Those who cover the area: assigned to it (or to its sub-district), or to the whole district.
        statement = statement.where(or_(
            ~exists().where(InspectorArea.inspector_id == Inspector.id),
            exists().where(InspectorArea.inspector_id == Inspector.id,
                           InspectorArea.area_code.in_(area_and_parents(filters.area_code)))))
    if filters.expiring_on:
        statement = statement.where(
            Inspector.valid_to >= filters.expiring_on,
            Inspector.valid_to <= filters.expiring_on + timedelta(days=EXPIRING_DAYS))
    return statement


def area_names(db_session: Session, codes: Iterable[str]) -> dict[str, str]:
    """Area code → its path, for the codes given."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    return dict(db_session.execute(select(Area.code, Area.path).where(Area.code.in_(wanted))).all())


def history(db_session: Session, inspector: Inspector) -> list[AuditRecord]:
    """The audit records of ``inspector``: its own row, its authorities and areas, its conflicts;
    newest first."""
    conflict_ids = [str(c.id) for c in inspector.conflicts]
    prefix = f"{inspector.id},"
    return list(db_session.scalars(select(AuditRecord).where(or_(
        (AuditRecord.object_type == "inspector") & (AuditRecord.object_id == str(inspector.id)),
        AuditRecord.object_type.in_(["inspector_authority", "inspector_area"])
        & AuditRecord.object_id.startswith(prefix, autoescape=True),
        (AuditRecord.object_type == "inspector_conflict") & AuditRecord.object_id.in_(conflict_ids),
    )).order_by(AuditRecord.id.desc())))


# -- writing ------------------------------------------------------------------------------------

def create_inspector(db_session: Session, department_id: int, row: InspectorRow,
                     user_id: int | None = None) -> Inspector:
    """Add a validated inspector to ``department_id``'s directory."""
    inspector = Inspector(department_id=department_id, code=row.code, user_id=user_id)
    _apply(inspector, row)
    db_session.add(inspector)
    return inspector


def update_inspector(db_session: Session, inspector: Inspector, row: InspectorRow) -> bool:
    """Bring ``inspector`` in line with ``row`` (its certificate number included); whether anything
    changed. Unchanged fields are not written, so an unchanged row leaves no audit record."""
    if _same(inspector, row):
        return False
    inspector.code = row.code
    _apply(inspector, row)
    return True


def _apply(inspector: Inspector, row: InspectorRow) -> None:
    for name in ("name", "level", "valid_from", "valid_to", "status", "phone", "note"):
        if getattr(inspector, name) != getattr(row, name):
            setattr(inspector, name, getattr(row, name))
    if list(inspector.expertise or []) != list(row.expertise):
        inspector.expertise = list(row.expertise)
    if set(inspector.authorities) != set(row.authorities):
        keep = [r for r in inspector.authority_rows if r.authority in row.authorities]
        have = {r.authority for r in keep}
        inspector.authority_rows = keep + [InspectorAuthority(authority=a)
                                           for a in row.authorities if a not in have]
    if set(inspector.area_codes) != set(row.areas):
        keep_areas = [r for r in inspector.area_rows if r.area_code in row.areas]
        have = {r.area_code for r in keep_areas}
        inspector.area_rows = keep_areas + [InspectorArea(area_code=code)
                                            for code in row.areas if code not in have]


def _same(inspector: Inspector, row: InspectorRow) -> bool:
    return (inspector.code == row.code
            and all(getattr(inspector, name) == getattr(row, name)
                    for name in ("name", "level", "valid_from", "valid_to", "status", "phone", "note"))
            and list(inspector.expertise or []) == list(row.expertise)
            and set(inspector.authorities) == set(row.authorities)
            and set(inspector.area_codes) == set(row.areas))


@dataclass
class UpsertReport:
    """What a bulk write did, by certificate number."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def upsert_inspectors(db_session: Session, department_id: int, rows: Sequence[InspectorRow],
                      dry_run: bool = False) -> UpsertReport:
    """Create or update ``department_id``'s inspectors from validated rows, keyed by certificate
    number, reading the existing ones a chunk at a time.

    With ``dry_run`` nothing is changed: the report says what would be. Re-applying the same rows
    changes nothing. Rows must have passed
    :func:`~spotcheck.registry.inspectors.rows.validate_inspector_row` with lookups of the same
    department (so no number belongs to another department).
    """
    report = UpsertReport()
    for start in range(0, len(rows), BULK_CHUNK):
        chunk = rows[start:start + BULK_CHUNK]
        existing = {i.code: i for i in db_session.scalars(select(Inspector).where(
            Inspector.department_id == department_id,
            Inspector.code.in_([row.code for row in chunk])))}
        for row in chunk:
            inspector = existing.get(row.code)
            if inspector is None:
                report.created.append(row.code)
                if not dry_run:
                    existing[row.code] = create_inspector(db_session, department_id, row)
            elif _same(inspector, row):
                report.unchanged.append(row.code)
            else:
                report.updated.append(row.code)
                if not dry_run:
                    update_inspector(db_session, inspector, row)
        if not dry_run:
            db_session.flush()
    return report


def declare_conflict(db_session: Session, inspector: Inspector, target: Target,
                     reason: str) -> InspectorConflict:
    """Record that ``inspector`` must not inspect ``target`` (回避), and why.

    Refused with :class:`ConflictError` when the same conflict is already declared.
    """
    reason = reason.strip()
    if not reason:
        raise ConflictError("reason")
    if any(c.active and c.target_id == target.id for c in inspector.conflicts):
        raise ConflictError("duplicate")
    conflict = InspectorConflict(inspector=inspector, department_id=inspector.department_id,
                                 target_id=target.id, reason=reason)
    db_session.add(conflict)
    return conflict


def withdraw_conflict(conflict: InspectorConflict, reason: str | None = None) -> None:
    """Withdraw a declared conflict; the declaration stays on record with when and why."""
    if not conflict.active:
        raise ConflictError("withdrawn")
    conflict.withdrawn_at = utcnow()
    conflict.withdrawn_reason = (reason or "").strip() or None


def conflicted_inspector_ids(db_session: Session, target_id: int) -> set[int]:
    """The inspectors with a conflict declared (and not withdrawn) for ``target_id``."""
    return set(db_session.scalars(select(InspectorConflict.inspector_id).where(
        InspectorConflict.target_id == target_id, InspectorConflict.withdrawn_at.is_(None))))
