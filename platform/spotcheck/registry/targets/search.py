"""Searching the target directory: filters, their SQL, and pages with a capped count.

Each filter is written so that an index answers it on SQLite and PostgreSQL alike at a million
targets (see ``docs/performance.md``): a name prefix is a range on the byte-ordered name index, a
code is the unique index, area + credit class + industry share one composite index, and an
industry or section is a range on the industry code. Risk level and tags belong to departments,
so they are EXISTS conditions on their own indexed tables. A department's narrow search is driven
from its own supervisions instead, which carry copies of the searched target columns and an index
of their own (see :func:`_search_department`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session

from spotcheck.registry.areas import Area
from spotcheck.registry.industries import industry_filter
from spotcheck.registry.targets.models import Target, TargetSupervision, TargetTag
from spotcheck.tenancy.scope import get_scope

PER_PAGE = 50
COUNT_CAP = 10_000
"""Counts stop here ("10,000+"): counting every match of a broad filter costs more than it tells."""
MAX_PAGE = COUNT_CAP // PER_PAGE
"""Deeper pages are not served: narrow the filters instead."""

_LAST_CHARACTER = "\U0010ffff"
_LOOKS_LIKE_CODE = re.compile(r"[0-9A-Z]{18}|NM-(PROD|PROJ|ACT)-[0-9]+", re.IGNORECASE)


@dataclass(frozen=True)
class TargetFilters:
    """What a search asks for; ``None`` (or empty) means any."""

    name: str | None = None
    code: str | None = None
    area_id: int | None = None
    industry: str | None = None
    kind: str | None = None
    risk_level: str | None = None
    credit_class: str | None = None
    tag: str | None = None
    status: str | None = None

    @classmethod
    def from_query(cls, query: str | None, **others: Any) -> TargetFilters:
        """Filters from one search box: a code when it looks like one, else a name prefix."""
        text = (query or "").strip()
        if not text:
            return cls(**others)
        if _LOOKS_LIKE_CODE.fullmatch(text):
            return cls(code=text.upper(), **others)
        return cls(name=text, **others)

    def is_empty(self) -> bool:
        return all(value in (None, "") for value in vars(self).values())


@dataclass
class SearchPage:
    """One page of results."""

    items: list[Target]
    page: int
    per_page: int
    total: int
    total_capped: bool = False
    area_paths: dict[int, str] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, min(MAX_PAGE, -(-self.total // self.per_page)))


def name_prefix(column: Any, prefix: str) -> ColumnElement[bool]:
    """SQL: ``column`` starts with ``prefix``, as a range both backends answer from an index
    (``LIKE`` would need a case-sensitive collation on SQLite and escaping on both)."""
    return (column >= prefix) & (column < prefix + _LAST_CHARACTER)


def area_ids_within(db_session: Session, area_id: int) -> list[int]:
    """An area and the communities and villages in it."""
    return [area_id, *db_session.scalars(select(Area.id).where(Area.parent_id == area_id))]


def conditions(db_session: Session, filters: TargetFilters) -> list[ColumnElement[bool]]:
    """The WHERE conditions of ``filters`` (the scope's own criteria are added by the session)."""
    where: list[ColumnElement[bool]] = []
    if filters.name:
        where.append(name_prefix(Target.name, filters.name.strip()))
    if filters.code:
        where.append(Target.code == filters.code.strip().upper())
    if filters.area_id:
        ids = area_ids_within(db_session, filters.area_id)
        where.append(Target.area_id == ids[0] if len(ids) == 1 else Target.area_id.in_(ids))
    if filters.industry:
        where.append(industry_filter(Target.industry_code, filters.industry.strip().upper()))
    if filters.kind:
        where.append(Target.kind == filters.kind)
    if filters.credit_class:
        where.append(Target.credit_class == filters.credit_class)
    if filters.status:
        where.append(Target.status == filters.status)
    departments = _departments(db_session)
    if filters.risk_level:
        found = exists().where(TargetSupervision.target_id == Target.id,
                               TargetSupervision.risk_level == filters.risk_level)
        if departments is not None:
            found = found.where(TargetSupervision.department_id.in_(departments))
        where.append(found)
    if filters.tag:
        found = exists().where(TargetTag.target_id == Target.id, TargetTag.tag == filters.tag.strip())
        if departments is not None:
            found = found.where(TargetTag.department_id.in_(departments))
        where.append(found)
    return where


def _departments(db_session: Session) -> list[int] | None:
    # Risk levels and tags are each department's own: a department filters by its own; the
    # office (reading every department) by anyone's.
    scope = get_scope(db_session)
    return None if scope is None or scope.readable is None else sorted(scope.readable)


def is_narrow(filters: TargetFilters) -> bool:
    """Whether ``filters`` select few targets scattered along the name order: an area combined
    with an industry or a credit class (and no name prefix)."""
    return bool(filters.area_id and (filters.industry or filters.credit_class) and not filters.name)


def ordering(filters: TargetFilters) -> tuple[ColumnElement[Any], ...]:
    """Directory order (name, then id), written so the planner picks the right index.

    Ordered by the name column itself, both planners like to walk the name index and filter until
    a page is full; that is right for a name prefix or broad filters, and slow for narrow ones
    (:func:`is_narrow`), whose few matches lie scattered along the name index. For those,
    ordering by an expression of the name (``name || ''``) leaves the composite area index (which
    holds the name and id too) to find and order the matches: a few thousand at most.
    """
    return (Target.name.concat(""), Target.id) if is_narrow(filters) else (Target.name, Target.id)


def _search_department(db_session: Session, filters: TargetFilters) -> int | None:
    """The one department whose search index drives this search, or ``None``.

    A department's narrow search (:func:`is_narrow`: an area, with an industry or credit class) is
    driven from its own supervisions, which carry copies of the target columns it filters by and
    the index ``(department_id, area_id, credit_class, industry_code, name, target_id)``: the
    matches are found, ordered and counted there, and only the page's targets are read. The office
    (and any scope reading several departments) uses the target table's own indexes.
    """
    departments = _departments(db_session)
    if departments is None or len(departments) != 1 or not is_narrow(filters) or filters.code:
        return None
    return departments[0]


def _supervision_conditions(db_session: Session, filters: TargetFilters,
                            department_id: int) -> list[ColumnElement[bool]]:
    """:func:`conditions` of ``filters`` on the department's supervisions and their copies."""
    ts = TargetSupervision
    where: list[ColumnElement[bool]] = [ts.department_id == department_id]
    if filters.name:
        where.append(name_prefix(ts.name, filters.name.strip()))
    if filters.area_id:
        ids = area_ids_within(db_session, filters.area_id)
        where.append(ts.area_id == ids[0] if len(ids) == 1 else ts.area_id.in_(ids))
    if filters.industry:
        where.append(industry_filter(ts.industry_code, filters.industry.strip().upper()))
    if filters.kind:
        where.append(ts.kind == filters.kind)
    if filters.credit_class:
        where.append(ts.credit_class == filters.credit_class)
    if filters.status:
        where.append(ts.status == filters.status)
    if filters.risk_level:
        where.append(ts.risk_level == filters.risk_level)
    if filters.tag:
        where.append(exists().where(TargetTag.target_id == ts.target_id,
                                    TargetTag.department_id == department_id,
                                    TargetTag.tag == filters.tag.strip()))
    return where


def matching(db_session: Session, filters: TargetFilters) -> Select[tuple[Target]]:
    """The SELECT of every target matching ``filters``, in directory order (name, then id)."""
    return select(Target).where(*conditions(db_session, filters)).order_by(*ordering(filters))


def matching_ids(db_session: Session, filters: TargetFilters) -> Select[tuple[int]]:
    """The ids of every target matching ``filters`` (for bulk actions on all results)."""
    return select(Target.id).where(*conditions(db_session, filters))


def search(db_session: Session, filters: TargetFilters, page: int = 1,
           per_page: int = PER_PAGE) -> SearchPage:
    """One page of the targets matching ``filters`` that the unit of work may read.

    The count stops at :data:`COUNT_CAP`, and pages beyond it are not served.
    """
    page = max(1, min(page, MAX_PAGE))
    department_id = _search_department(db_session, filters)
    where = conditions(db_session, filters) if department_id is None else []
    offset = (page - 1) * per_page
    total: int | None = None
    if department_id is not None:
        # The department's search index finds, orders and counts the matches; the targets are
        # read for the page's fifty rows only.
        ts = TargetSupervision
        rows = db_session.execute(
            select(ts.target_id, func.count().over())
            .where(*_supervision_conditions(db_session, filters, department_id))
            .order_by(ts.name, ts.target_id).offset(offset).limit(per_page)).all()
        ids = [row[0] for row in rows]
        loaded = ({t.id: t for t in db_session.scalars(select(Target).where(Target.id.in_(ids)))}
                  if ids else {})
        items = [loaded[i] for i in ids if i in loaded]
        if rows:
            total = rows[0][1]
        elif page == 1:
            total = 0
        else:
            limited = (select(ts.target_id)
                       .where(*_supervision_conditions(db_session, filters, department_id))
                       .limit(COUNT_CAP + 1).subquery())
            total = db_session.scalar(select(func.count()).select_from(limited)) or 0
    elif is_narrow(filters):
        # Every match is read to be sorted anyway: count them in the same pass, and read the
        # page's ids from the index alone before loading just those fifty targets.
        rows = db_session.execute(select(Target.id, func.count().over()).where(*where)
                                  .order_by(*ordering(filters)).offset(offset).limit(per_page)).all()
        ids = [row[0] for row in rows]
        loaded = {t.id: t for t in db_session.scalars(select(Target).where(Target.id.in_(ids)))}
        items = [loaded[i] for i in ids if i in loaded]
        if rows:
            total = rows[0][1]
    else:
        items = list(db_session.scalars(select(Target).where(*where).order_by(*ordering(filters))
                                         .offset(offset).limit(per_page)))
        if page == 1 and len(items) < per_page:
            total = len(items)
    if total is None:
        limited = select(Target.id).where(*where).limit(COUNT_CAP + 1).subquery()
        total = db_session.scalar(select(func.count()).select_from(limited)) or 0
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    area_ids = {t.area_id for t in items if t.area_id is not None}
    # Loading the areas themselves puts them in the identity map: ``target.area`` then costs no query.
    areas = list(db_session.scalars(select(Area).where(Area.id.in_(area_ids)))) if area_ids else []
    paths = {area.id: area.path for area in areas}
    return SearchPage(items=items, page=page, per_page=per_page, total=total, total_capped=capped,
                      area_paths=paths)
