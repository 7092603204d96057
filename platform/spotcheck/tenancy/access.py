"""Route guards: who may open a page or call an endpoint."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required

from spotcheck.tenancy.roles import Permission, has_permission

P = ParamSpec("P")
R = TypeVar("R")


def current_user_can(permission: Permission) -> bool:
    """Whether the signed-in user's role carries ``permission``."""
    return bool(current_user.is_authenticated and has_permission(current_user.role, permission))


def require_permission(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Sign-in required, and 403 unless the user's role carries ``permission``."""
    return require_any_permission(permission)


def require_any_permission(*permissions: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Sign-in required, and 403 unless the user's role carries at least one of ``permissions``."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            if not any(current_user_can(permission) for permission in permissions):
                abort(403)
            return view(*args, **kwargs)

        return login_required(guarded)  # type: ignore[return-value]

    return decorate
