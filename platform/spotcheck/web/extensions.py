"""Flask extensions shared by the web blueprints; each is bound to an app in :func:`init_app`.

The rate limiter is the exception: Flask-Limiter keeps its switch, storage and limits on the
``Limiter`` object, so one shared by several apps in a process (tests build many) would take the
settings of whichever app was built last. Each app gets its own (:func:`init_limiter`, kept on
``app.extensions``), and views ask for their limits with :func:`rate_limited`, applied per app by
:func:`apply_rate_limits`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
talisman = Talisman()

LIMITER_KEY = "spotcheck.limiter"
_RATE_LIMIT_MARK = "__spotcheck_rate_limit__"

F = TypeVar("F", bound=Callable[..., Any])


def rate_limited(limit: str | Callable[[], str], methods: list[str] | None = None) -> Callable[[F], F]:
    """Mark a view for ``limit`` (a Flask-Limiter limit string, or a callable returning one,
    called in the request) on ``methods``; :func:`init_limiter` applies it in each app."""

    def mark(view: F) -> F:
        setattr(view, _RATE_LIMIT_MARK, (limit, methods))
        return view

    return mark


def init_limiter(app: Flask) -> Limiter:
    """Give ``app`` its own limiter, configured from its ``RATELIMIT_*`` settings."""
    limiter = Limiter(key_func=get_remote_address)
    limiter.init_app(app)
    app.extensions[LIMITER_KEY] = limiter
    return limiter


def apply_rate_limits(app: Flask) -> None:
    """Apply ``app``'s limiter to every view of ``app`` marked with :func:`rate_limited`.

    Call once the blueprints are registered. The marked function itself is left as it is (other
    apps wrap it with their own limiter); only this app's ``view_functions`` entry is wrapped.
    """
    limiter = get_limiter(app)
    for endpoint, view in list(app.view_functions.items()):
        marked = getattr(view, _RATE_LIMIT_MARK, None)
        if marked is not None:
            limit, methods = marked
            app.view_functions[endpoint] = limiter.limit(limit, methods=methods)(view)


def get_limiter(app: Flask | None = None) -> Limiter:
    """The rate limiter of ``app`` (the current app by default)."""
    limiter: Limiter = (app or current_app).extensions[LIMITER_KEY]
    return limiter
