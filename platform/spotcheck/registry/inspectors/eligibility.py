"""Who may be drawn (seed articles 10 and 14): an inspector on duty, holding a valid credential
for the authority an item needs, in the area of the target.

:func:`eligibility` gives every reason an inspector is not eligible, for the pages to show;
:func:`eligible_inspectors` asks the same question of a whole department in SQL, for the draw.
The two must always agree (a test holds them together).

Areas: an inspector with no area rows covers the whole district; an area row of a sub-district or
town covers its communities and villages too. Area codes are hierarchical
(:mod:`spotcheck.registry.areas`): a community's twelve-digit code starts with its sub-district's
nine digits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import force_locale, gettext
from sqlalchemy import ColumnElement, Select, and_, exists, not_, or_, select
from sqlalchemy.orm import Session

from spotcheck.api.i18n import N_
from spotcheck.registry.inspectors.models import (
    Inspector,
    InspectorArea,
    InspectorAuthority,
    InspectorStatus,
)

TOP_AREA_CODE_LENGTH = 9
"""Digits of a sub-district's or town's code, the prefix of its communities' codes."""

REASONS: dict[str, str] = {
    "not_active": N_("Not on duty: %(status)s."),
    "credential_expired": N_("Enforcement credential expired on %(date)s."),
    "credential_not_yet_valid": N_("Enforcement credential not valid until %(date)s."),
    "no_authority": N_("No enforcement authority for %(authority)s."),
    "area_not_covered": N_("Does not cover the area %(area)s."),
}
"""Each reason an inspector cannot be drawn, by code, with its message."""


@dataclass(frozen=True)
class Ineligibility:
    """One reason an inspector cannot be drawn: a stable ``code`` and the values of its message."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def message(self, locale: str) -> str:
        """The reason in ``locale`` (needs an app context, as every translated message does)."""
        with force_locale(locale):
            return gettext(REASONS[self.code], **{k: _text(v) for k, v in self.values.items()})

    @property
    def message_zh(self) -> str:
        return self.message("zh")

    @property
    def message_en(self) -> str:
        return self.message("en")


def _text(value: Any) -> str:
    if isinstance(value, InspectorStatus):
        return value.label
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def area_and_parents(area_code: str) -> list[str]:
    """The codes whose coverage includes ``area_code``: itself and, for a community or village,
    its sub-district or town."""
    codes = [area_code]
    if len(area_code) > TOP_AREA_CODE_LENGTH:
        codes.append(area_code[:TOP_AREA_CODE_LENGTH])
    return codes


def covers_area(area_codes: list[str], area_code: str) -> bool:
    """Whether an inspector covering ``area_codes`` (empty: the whole district) covers ``area_code``."""
    return not area_codes or any(code in area_codes for code in area_and_parents(area_code))


def eligibility(inspector: Inspector, on: date, authority: str | None = None,
                area_code: str | None = None) -> list[Ineligibility]:
    """Every reason ``inspector`` cannot be drawn on ``on`` for ``authority`` in ``area_code``.

    An empty list means eligible. ``authority`` and ``area_code`` are checked only when given.
    """
    reasons = []
    if inspector.status != InspectorStatus.ACTIVE.value:
        reasons.append(Ineligibility("not_active", {"status": InspectorStatus(inspector.status)}))
    if inspector.valid_to < on:
        reasons.append(Ineligibility("credential_expired", {"date": inspector.valid_to}))
    if inspector.valid_from > on:
        reasons.append(Ineligibility("credential_not_yet_valid", {"date": inspector.valid_from}))
    if authority is not None and authority not in inspector.authorities:
        reasons.append(Ineligibility("no_authority", {"authority": authority}))
    if area_code is not None and not covers_area(inspector.area_codes, area_code):
        reasons.append(Ineligibility("area_not_covered", {"area": area_code}))
    return reasons


def eligible_condition(on: date, authority: str | None = None,
                       area_code: str | None = None) -> ColumnElement[bool]:
    """SQL: the inspector row is eligible on ``on`` for ``authority`` in ``area_code``."""
    conditions: list[ColumnElement[bool]] = [
        Inspector.status == InspectorStatus.ACTIVE.value,
        Inspector.valid_from <= on,
        Inspector.valid_to >= on,
    ]
    if authority is not None:
        conditions.append(exists().where(InspectorAuthority.inspector_id == Inspector.id,
                                         InspectorAuthority.authority == authority))
    if area_code is not None:
        conditions.append(or_(
            not_(exists().where(InspectorArea.inspector_id == Inspector.id)),
            exists().where(InspectorArea.inspector_id == Inspector.id,
                           InspectorArea.area_code.in_(area_and_parents(area_code)))))
    return and_(*conditions)


def eligible_statement(department_id: int, on: date, authority: str | None = None,
                       area_code: str | None = None) -> Select[tuple[Inspector]]:
    """The SELECT of a department's eligible inspectors, by certificate number."""
    return (select(Inspector)
            .where(Inspector.department_id == department_id,
                   eligible_condition(on, authority, area_code))
            .order_by(Inspector.code))


def eligible_inspectors(db_session: Session, department_id: int, on: date,
                        authority: str | None = None, area_code: str | None = None) -> list[Inspector]:
    """A department's inspectors who may be drawn on ``on`` for ``authority`` in ``area_code``,
    filtered in SQL (the same rules as :func:`eligibility`), by certificate number."""
    return list(db_session.scalars(eligible_statement(department_id, on, authority, area_code)))
