"""Requests for the app's own CSS, JavaScript and images."""

from flask import request


def is_static_request() -> bool:
    """Whether this request fetches a static asset (no session, scope or audit actor needed)."""
    endpoint = request.endpoint or ""
    return endpoint.rsplit(".", 1)[-1] == "static"
