"""Roles and what each may do.

The three administrator roles are kept apart (三权分立): the system administrator runs accounts and
the platform, the security administrator grants roles and unlocks accounts, the audit administrator
reads the audit trail. A user holds exactly one role, so no account can act as two of them, and no
administrator role carries any business permission.
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Role(str, enum.Enum):
    SYSADMIN = "sysadmin"
    SECADMIN = "secadmin"
    AUDITADMIN = "auditadmin"
    OFFICE = "office"
    HEAD = "head"
    STAFF = "staff"
    INSPECTOR = "inspector"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def is_admin(self) -> bool:
        return self in ADMIN_ROLES


class Permission(str, enum.Enum):
    MANAGE_USERS = "manage_users"
    MANAGE_PLATFORM = "manage_platform"
    ASSIGN_ROLES = "assign_roles"
    READ_AUDIT = "read_audit"
    OVERSEE = "oversee"
    APPROVE = "approve"
    WORK = "work"
    INSPECT = "inspect"
    VIEW_MEMBERS = "view_members"


ROLE_LABELS = {
    Role.SYSADMIN: _l("System administrator"),
    Role.SECADMIN: _l("Security administrator"),
    Role.AUDITADMIN: _l("Audit administrator"),
    Role.OFFICE: _l("Office staff"),
    Role.HEAD: _l("Department head"),
    Role.STAFF: _l("Department staff"),
    Role.INSPECTOR: _l("Inspector"),
}

ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN})
BUSINESS_ROLES = frozenset(Role) - ADMIN_ROLES

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SYSADMIN: frozenset({Permission.MANAGE_USERS, Permission.MANAGE_PLATFORM}),
    Role.SECADMIN: frozenset({Permission.ASSIGN_ROLES}),
    Role.AUDITADMIN: frozenset({Permission.READ_AUDIT}),
    Role.OFFICE: frozenset({Permission.OVERSEE, Permission.WORK}),
    Role.HEAD: frozenset({Permission.APPROVE, Permission.WORK, Permission.VIEW_MEMBERS}),
    Role.STAFF: frozenset({Permission.WORK}),
    Role.INSPECTOR: frozenset({Permission.INSPECT}),
}


def has_permission(role: Role, permission: Permission) -> bool:
    """Whether ``role`` carries ``permission``."""
    return permission in PERMISSIONS[role]
