"""Per-request identity: a request id, the client address, and the audit actor."""

from __future__ import annotations

import re
import uuid

from flask import Flask, g, request
from flask_login import current_user

from spotcheck import audit
from spotcheck.db import session
from spotcheck.web.assets import is_static_request

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def init_app(app: Flask) -> None:
    """Give every request an id (kept from a trusted proxy's header) and an audit actor."""
    app.before_request(_identify_request)
    app.after_request(_echo_request_id)


def request_id() -> str:
    """The current request's id, as logged and audited."""
    return g.request_id


def _identify_request() -> None:
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if _REQUEST_ID.match(offered) else uuid.uuid4().hex
    if is_static_request():
        return
    user = current_user._get_current_object()
    if user.is_authenticated:
        audit.set_actor(session, user_id=user.id, username=user.username,
                        department_code=user.department.code,
                        ip=request.remote_addr, request_id=g.request_id)
    else:
        audit.set_actor(session, user_id=None, username=None, department_code=None,
                        ip=request.remote_addr, request_id=g.request_id)


def _echo_request_id(response):  # type: ignore[no-untyped-def]
    response.headers["X-Request-ID"] = g.get("request_id", "")
    return response
