"""Which scope a signed-in user works in."""

from __future__ import annotations

from spotcheck.tenancy.models import User
from spotcheck.tenancy.roles import Role
from spotcheck.tenancy.scope import Scope


def scope_for(user: User, acting_department_id: int | None = None) -> Scope:
    """The scope of ``user``'s requests.

    Administrators manage accounts and read the audit trail platform-wide (their permissions keep
    them out of business pages). The office reads every department, or the one it switched to,
    and writes its own rows. Everyone else reads and writes their own department only.
    """
    own = frozenset({user.department_id})
    if user.role.is_admin:
        return Scope(readable=None, writable=None, home=user.department_id, user_id=user.id)
    if user.role is Role.OFFICE:
        readable = None if acting_department_id is None else frozenset({acting_department_id})
        return Scope(readable=readable, writable=own, home=user.department_id, user_id=user.id)
    return Scope(readable=own, writable=own, home=user.department_id, user_id=user.id)
