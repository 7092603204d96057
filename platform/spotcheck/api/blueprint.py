"""The blueprint every API resource module uses: authenticated, and with bilingual field errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

import flask_smorest
import marshmallow as ma
from flask import Request
from webargs.flaskparser import FlaskParser

from spotcheck.api.auth import authenticate
from spotcheck.api.errors import ApiError, field_errors
from spotcheck.api.i18n import N_

API_PREFIX = "/api/v1"

INVALID_JSON = N_("Invalid JSON body.")
NOT_JSON = N_("The request body is not valid JSON.")


class ApiParser(FlaskParser):
    """webargs' Flask parser, refusing bad input with :class:`ApiError` so field errors survive."""

    def handle_error(self, error: ma.ValidationError, req: Request, schema: ma.Schema, *,
                     error_status_code: int | None,
                     error_headers: Mapping[str, str] | None) -> NoReturn:
        """A body or query that does not validate: 422 naming each field."""
        raise ApiError(error_status_code or self.DEFAULT_VALIDATION_STATUS,
                       errors=field_errors(error.normalized_messages()), headers=error_headers)

    def _handle_invalid_json_error(self, error: Exception, req: Request, *args: Any,
                                   **kwargs: Any) -> NoReturn:
        # webargs' hook for a body that cannot be parsed at all (it would abort with a bare 400).
        raise ApiError(400, NOT_JSON, errors={"json": [INVALID_JSON]})


class ApiBlueprint(flask_smorest.Blueprint):
    """A group of API endpoints under :data:`API_PREFIX`; every request must bring a token.

    Authentication is the blueprint's own ``before_request``, so no endpoint can forget it.
    """

    ARGUMENTS_PARSER = ApiParser()

    def __init__(self, name: str, import_name: str, **kwargs: Any) -> None:
        super().__init__(name, import_name, url_prefix=API_PREFIX, **kwargs)
        self.before_request(authenticate)
