"""Keep the department table in step with the loaded plugins."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.hooks.registry import PluginRegistry
from spotcheck.hooks.validation import OFFICE_CODE
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

OFFICE_NAME_ZH = "联席办"
OFFICE_NAME_EN = "Joint Meeting Office"


@dataclass
class SyncReport:
    """Department codes created, updated and deactivated by one sync."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)


def sync_departments(db_session: Session, registry: PluginRegistry) -> SyncReport:
    """Upsert a department per loaded plugin, deactivate those whose plugin is gone, ensure the
    office exists.

    A department is never deleted: its plans, tasks and records stay, and it comes back to life
    when its plugin loads again. Runs under the system scope; the caller commits.
    """
    report = SyncReport()
    with scoped(db_session, Scope.system()):
        rows = {d.code: d for d in db_session.scalars(select(Department))}
        for code, plugin in registry.loaded.items():
            wanted = {"name_zh": plugin.department.name_zh, "name_en": plugin.department.name_en,
                      "level": plugin.department.level, "plugin": plugin.name,
                      "plugin_version": plugin.version, "active": True, "is_office": False}
            row = rows.get(code)
            if row is None:
                db_session.add(Department(code=code, **wanted))
                report.created.append(code)
            elif any(getattr(row, key) != value for key, value in wanted.items()):
                for key, value in wanted.items():
                    setattr(row, key, value)
                report.updated.append(code)
        for code, row in rows.items():
            if row.plugin is not None and code not in registry.loaded and row.active:
                row.active = False
                report.deactivated.append(code)
        _ensure_office(db_session, rows.get(OFFICE_CODE), report)
        db_session.flush()  # inside the system scope, which the flush-time tenancy check reads
    return report


def _ensure_office(db_session: Session, office: Department | None, report: SyncReport) -> None:
    if office is None:
        db_session.add(Department(code=OFFICE_CODE, name_zh=OFFICE_NAME_ZH,
                                  name_en=OFFICE_NAME_EN, level="district", is_office=True,
                                  plugin=None, plugin_version=None, active=True))
        report.created.append(OFFICE_CODE)
    elif not (office.is_office and office.active):
        # The names are left alone: the office may have been renamed by an administrator.
        office.is_office = True
        office.active = True
        report.updated.append(OFFICE_CODE)
