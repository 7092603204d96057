"""The API's one error document, for every 4xx and 5xx answer.

    {"code": 422, "status": "Unprocessable Entity",
     "message": {"zh": "…", "en": "…"},
     "errors": {"name": [{"zh": "…", "en": "…"}]}}

``errors`` maps each invalid field (dotted path for nested ones) to its messages, and is empty when
the error is not about fields. Both languages are always present, whatever the request's locale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import current_app, request
from werkzeug.exceptions import BadRequest
from werkzeug.http import HTTP_STATUS_CODES

from spotcheck.api.i18n import N_, bilingual, field_message

STATUS_MESSAGES: dict[int, str] = {
    400: N_("The request is malformed."),
    401: N_('Authentication required: send an API token as "Authorization: Bearer <token>".'),
    403: N_("Your role does not allow this."),
    404: N_("Not found."),
    405: N_("This method is not allowed on this URL."),
    413: N_("The request body is too large."),
    422: N_('Some fields are invalid: see "errors".'),
    429: N_("Too many requests: wait a moment and try again."),
    500: N_("Internal error. Quote the X-Request-ID response header when you report it."),
}
"""The message of each status the API answers with, unless the error names a more precise one."""

OTHER_CLIENT_ERROR = N_("The request cannot be served.")
OTHER_SERVER_ERROR = N_("The service cannot answer now. Try again later.")
OUT_OF_RANGE = N_("A value is beyond what the database can store (a number too large or a text too long).")

FieldErrors = Mapping[str, Sequence[str]]
"""Field path → English validation messages (marshmallow's, or msgids of our own)."""


class ApiError(Exception):
    """Refuse an API request: answered with the error document (see :func:`error_body`).

    Deliberately not a werkzeug ``HTTPException``: Flask hands those to the web layer's handler for
    their status code, which knows only the code and would drop the message and field errors.
    """

    def __init__(self, code: int, message: str | None = None, *, errors: FieldErrors | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message or STATUS_MESSAGES.get(code, ""))
        self.code = code
        self.message = message
        self.errors = errors or {}
        self.headers = dict(headers or {})


def error_body(code: int, message: str | None = None, errors: FieldErrors | None = None) -> dict[str, Any]:
    """The error document for status ``code``; ``message`` is a msgid overriding the status's own."""
    if message is None:
        message = STATUS_MESSAGES.get(code, OTHER_SERVER_ERROR if code >= 500 else OTHER_CLIENT_ERROR)
    return {
        "code": code,
        "status": HTTP_STATUS_CODES.get(code, "Unknown Error"),
        "message": bilingual(message),
        "errors": {field: [field_message(text) for text in texts] for field, texts in (errors or {}).items()},
    }


def field_errors(messages: Mapping[str, Any]) -> dict[str, list[str]]:
    """webargs' validation messages, ``{location: {field: [text]}}``, as ``{field path: [text]}``.

    The location ("json", "query") is dropped: a client knows where it sent each field. Nested
    fields and list items get dotted paths (``members.0.name``); a message about a whole location
    (a body that is not JSON) is filed under the location's name.
    """
    flat: dict[str, list[str]] = {}

    def walk(path: tuple[str, ...], node: Any) -> None:
        if isinstance(node, Mapping):
            for key, child in node.items():
                walk((*path, str(key)), child)
        else:
            texts = node if isinstance(node, list) else [node]
            flat.setdefault(".".join(path), []).extend(str(text) for text in texts)

    for location, node in messages.items():
        walk(() if isinstance(node, Mapping) else (location,), node)
    return flat


def is_api_request() -> bool:
    """Whether the current request is for the API (JSON errors) rather than a web page."""
    return request.path.startswith("/api/")


def handle_api_error(error: ApiError) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Flask error handler for :class:`ApiError`."""
    return error_body(error.code, error.message, error.errors), error.code, error.headers


def handle_out_of_range(error: Exception) -> Any:
    """Flask error handler for a value the database driver cannot bind or the database refuses to
    store (``OverflowError`` from SQLite, ``DataError`` from PostgreSQL): the client's input, not a
    fault of the service, so 422 under ``/api/`` and the 400 page elsewhere. The request's unit of
    work is rolled back at its end, so nothing of it is kept."""
    if is_api_request():
        return error_body(422, OUT_OF_RANGE), 422
    return current_app.handle_http_exception(BadRequest())
