"""Coverage (检查覆盖率): the share of the target directory visited in a period, by target kind,
area (sub-district or town), industry (section of GB/T 4754) and credit class.

Each breakdown is two grouped queries, the directory and the visited targets, whatever the size of
the directory; areas and industry sections are rolled up from the finer codes in Python.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spotcheck.console.metrics import checked_targets
from spotcheck.console.periods import Period
from spotcheck.registry.areas import Area
from spotcheck.registry.industries import classification
from spotcheck.registry.targets.codes import KINDS
from spotcheck.registry.targets.models import Target, TargetSupervision
from spotcheck.tenancy.models import Department

DIMENSIONS = ("kind", "area", "industry", "credit_class")
"""The breakdowns, in the order the page shows them."""

UNKNOWN = ""
"""The key of targets without the attribute (no area, industry or credit class recorded)."""


@dataclass(frozen=True)
class Share:
    """One value of a breakdown: its key (the filter value of the directory page), its label, the
    targets in the directory and those visited."""

    key: str
    label: str
    directory: int
    checked: int

    @property
    def rate(self) -> float | None:
        return self.checked / self.directory if self.directory else None


def breakdowns(db_session: Session, period: Period, department: Department | None = None) -> dict[str, list[Share]]:
    """Every breakdown of the directory (``department``'s, else the whole) for ``period``."""
    areas = _top_areas(db_session)
    return {dimension: _breakdown(db_session, period, department, dimension, areas) for dimension in DIMENSIONS}


def _column(dimension: str) -> Any:
    if dimension == "industry":
        return func.substr(Target.industry_code, 1, 2)
    return {"kind": Target.kind, "area": Target.area_id, "credit_class": Target.credit_class}[dimension]


def _breakdown(db_session: Session, period: Period, department: Department | None, dimension: str,
               areas: dict[int, Area]) -> list[Share]:
    column = _column(dimension)
    directory = select(column, func.count()).group_by(column)
    if department is not None:
        directory = directory.join(TargetSupervision, TargetSupervision.target_id == Target.id).where(
            TargetSupervision.department_id == department.id)
    checked = directory.where(Target.id.in_(checked_targets(period)))
    totals, visited = Counter[str](), Counter[str]()
    for counter, statement in ((totals, directory), (visited, checked)):
        for value, count in db_session.execute(statement):
            counter[_key(dimension, value, areas)] += count
    return sorted((Share(key, _label(dimension, key, areas), totals[key], visited[key]) for key in totals),
                  key=lambda share: (share.key == UNKNOWN, share.key))


def _top_areas(db_session: Session) -> dict[int, Area]:
    """Each area's sub-district or town (itself when it is one)."""
    every = {a.id: a for a in db_session.scalars(select(Area))}
    return {area_id: every.get(area.parent_id, area) if area.parent_id else area
            for area_id, area in every.items()}


def _key(dimension: str, value: Any, areas: dict[int, Area]) -> str:
    if value is None:
        return UNKNOWN
    if dimension == "area":
        area = areas.get(value)
        return area.code if area else UNKNOWN
    if dimension == "industry":
        return classification().section_of(str(value)) or UNKNOWN
    return str(value)


def _label(dimension: str, key: str, areas: dict[int, Area]) -> str:
    if key == UNKNOWN:
        return _("Not recorded")
    if dimension == "kind":
        return str(KINDS[key].label) if key in KINDS else key
    if dimension == "area":
        names = {a.code: a.name for a in areas.values()}
        return names.get(key, key)
    if dimension == "industry":
        known = classification().by_code.get(key)
        return f"{key} {known.name}" if known else key
    return key
