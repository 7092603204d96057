"""How targets and their history read on a page: labels for fields, codes and actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.registry.areas import Area
from spotcheck.registry.industries import classification
from spotcheck.registry.targets.codes import KINDS, RISK_LEVELS, STATUSES
from spotcheck.registry.targets.models import Target, TargetEvent
from spotcheck.tenancy.models import Department

FIELD_LABELS: dict[str, Any] = {
    "code": _l("Code"),
    "name": _l("Name"),
    "kind": _l("Target kind"),
    "legal_representative": _l("Legal representative"),
    "address": _l("Address"),
    "area_id": _l("Area"),
    "industry_code": _l("Industry"),
    "status": _l("Registration status"),
    "credit_class": _l("Credit class"),
    "risk_level": _l("Risk level"),
    "note": _l("Note"),
    "tags": _l("Tags"),
}

ACTION_LABELS: dict[str, Any] = {
    "create": _l("Added to the directory"),
    "update": _l("Record changed"),
    "supervise": _l("Supervision started"),
    "end_supervision": _l("Supervision ended"),
    "risk": _l("Risk level changed"),
    "note": _l("Note changed"),
    "tag": _l("Tagged"),
    "untag": _l("Tag removed"),
}

SOURCE_LABELS: dict[str, Any] = {
    "web": _l("web page"),
    "api": _l("API"),
    "import": _l("import"),
    "sync": _l("data sync"),
    "cli": _l("command line"),
}


def value_text(field: str, value: Any, areas: dict[int, str]) -> str:
    """A stored value as a person reads it."""
    if value in (None, "", []):
        return "—"
    if field == "kind" and value in KINDS:
        return str(KINDS[value].label)
    if field == "status" and value in STATUSES:
        return str(STATUSES[value].label)
    if field == "risk_level" and value in RISK_LEVELS:
        return str(RISK_LEVELS[value].label)
    if field == "area_id":
        return areas.get(value, str(value))
    if field == "industry_code":
        return classification().describe(value)
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return str(value)


def target_facts(db_session: Session, target: Target) -> list[tuple[Any, str]]:
    """The record of a target as (label, text) pairs, in reading order."""
    areas = _area_paths(db_session, [target.area_id])
    fields = ("name", "code", "kind", "legal_representative", "address", "area_id",
              "industry_code", "status", "credit_class")
    return [(FIELD_LABELS[f], value_text(f, getattr(target, f), areas)) for f in fields]


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a target's history, ready to show."""

    at: datetime
    action: str
    department: str
    username: str
    source: str
    private: bool
    changes: list[tuple[Any, str, str]]


def history_entries(db_session: Session, events: list[TargetEvent]) -> list[HistoryEntry]:
    """Events as lines of the history timeline, values in words, personal data as stored (masked)."""
    area_ids = [v for e in events for f, pair in e.changes.items() if f == "area_id"
                for v in (pair if isinstance(pair, list) else [pair]) if isinstance(v, int)]
    areas = _area_paths(db_session, area_ids)
    department_ids = {e.department_id for e in events if e.department_id is not None}
    locale = str(get_locale() or "zh")
    names = {d.id: d.name(locale) for d in db_session.scalars(
        select(Department).where(Department.id.in_(department_ids)))} if department_ids else {}
    entries = []
    for event in events:
        changes = []
        for field, pair in event.changes.items():
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            changes.append((FIELD_LABELS.get(field, field), value_text(field, before, areas),
                            value_text(field, after, areas)))
        entries.append(HistoryEntry(
            at=event.at, action=str(ACTION_LABELS.get(event.action, event.action)),
            department=names.get(event.department_id, "—"), username=event.username or "—",
            source=str(SOURCE_LABELS.get(event.source, event.source)), private=event.private,
            changes=changes))
    return entries


def _area_paths(db_session: Session, ids: list[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(db_session.execute(select(Area.id, Area.path).where(Area.id.in_(wanted))).all())
