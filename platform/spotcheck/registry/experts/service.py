"""The expert pool: create and update members (one at a time or in bulk) and search the pool.

Services never commit; the caller does. Every change is audited by the ORM capture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from spotcheck.registry.experts.models import Expert, ExpertSpeciality
from spotcheck.registry.experts.rows import ExpertRow

SCALAR_FIELDS = ("kind", "name", "organisation", "qualification", "contact", "valid_until",
                 "status", "note")


@dataclass(frozen=True)
class ExpertFilters:
    """What the pool is narrowed to; ``None`` means no condition."""

    text: str | None = None
    kind: str | None = None
    speciality: str | None = None
    status: str | None = None
    department_id: int | None = None


def search_experts(filters: ExpertFilters) -> Select[tuple[Expert]]:
    """The members matching ``filters`` (within the scope), by kind and name."""
    statement = select(Expert).order_by(Expert.kind, Expert.name, Expert.id)
    if filters.text:
        text = filters.text.strip()
        statement = statement.where(or_(Expert.name.contains(text, autoescape=True),
                                        Expert.organisation.contains(text, autoescape=True)))
    if filters.kind:
        statement = statement.where(Expert.kind == filters.kind)
    if filters.status:
        statement = statement.where(Expert.status == filters.status)
    if filters.department_id:
        statement = statement.where(Expert.department_id == filters.department_id)
    if filters.speciality:
        statement = statement.where(exists().where(ExpertSpeciality.expert_id == Expert.id,
                                                   ExpertSpeciality.speciality == filters.speciality))
    return statement


def specialities_in_use(db_session: Session) -> list[str]:
    """Every speciality of the members the scope reads, for the filter."""
    return list(db_session.scalars(
        select(ExpertSpeciality.speciality).join(Expert, Expert.id == ExpertSpeciality.expert_id)
        .distinct().order_by(ExpertSpeciality.speciality)))


def create_expert(db_session: Session, department_id: int, row: ExpertRow) -> Expert:
    """Add a validated member to ``department_id``'s part of the pool."""
    expert = Expert(department_id=department_id)
    _apply(expert, row)
    db_session.add(expert)
    return expert


def update_expert(expert: Expert, row: ExpertRow) -> bool:
    """Bring ``expert`` in line with ``row``; whether anything changed (nothing is written if not)."""
    if _same(expert, row):
        return False
    _apply(expert, row)
    return True


def _apply(expert: Expert, row: ExpertRow) -> None:
    for name in SCALAR_FIELDS:
        if getattr(expert, name) != getattr(row, name):
            setattr(expert, name, getattr(row, name))
    if set(expert.specialities) != set(row.specialities):
        keep = [r for r in expert.speciality_rows if r.speciality in row.specialities]
        have = {r.speciality for r in keep}
        expert.speciality_rows = keep + [ExpertSpeciality(speciality=s)
                                         for s in row.specialities if s not in have]


def _same(expert: Expert, row: ExpertRow) -> bool:
    return (all(getattr(expert, name) == getattr(row, name) for name in SCALAR_FIELDS)
            and set(expert.specialities) == set(row.specialities))


@dataclass
class ExpertUpsertReport:
    """What a bulk write did, by member (kind, name, organisation)."""

    created: list[tuple[str, str, str]] = field(default_factory=list)
    updated: list[tuple[str, str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str, str]] = field(default_factory=list)


def upsert_experts(db_session: Session, department_id: int, rows: Sequence[ExpertRow],
                   dry_run: bool = False) -> ExpertUpsertReport:
    """Create or update ``department_id``'s members from validated rows, keyed by kind, name and
    organisation; with ``dry_run`` only report what would happen. Re-applying the same rows
    changes nothing. The pool is small (hundreds), so the department's members are read at once.
    """
    report = ExpertUpsertReport()
    existing: dict[tuple[str, str, str], Expert] = {}
    for expert in db_session.scalars(select(Expert).where(Expert.department_id == department_id)):
        existing.setdefault((expert.kind, expert.name, expert.organisation or ""), expert)
    for row in rows:
        expert = existing.get(row.key)
        if expert is None:
            report.created.append(row.key)
            if not dry_run:
                existing[row.key] = create_expert(db_session, department_id, row)
        elif _same(expert, row):
            report.unchanged.append(row.key)
        else:
            report.updated.append(row.key)
            if not dry_run:
                update_expert(expert, row)
    if not dry_run:
        db_session.flush()
    return report
