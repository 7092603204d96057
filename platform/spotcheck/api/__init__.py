"""The REST API (``/api/v1``): flask-smorest resources, bearer tokens, one bilingual error document.

The OpenAPI document is generated from the resources' schemas and docstrings, served at
``/api/v1/openapi.json`` and kept in ``schemas/openapi.json`` (``make openapi``; a test fails when
the two drift). No documentation UI is served: flask-smorest's load their scripts from a CDN,
which a government intranet cannot reach.
"""

from __future__ import annotations

import json
from importlib import import_module
from typing import Any

import flask_smorest
from flask import Flask
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from spotcheck.api.blueprint import API_PREFIX
from spotcheck.api.errors import ApiError, error_body, handle_api_error, handle_out_of_range, is_api_request
from spotcheck.api.schemas import ErrorSchema
from spotcheck.web.extensions import csrf

RESOURCES = (
    "spotcheck.api.me",
    "spotcheck.api.departments",
    "spotcheck.api.token_resources",
    "spotcheck.api.plugins",
    "spotcheck.registry.targets.api",
    "spotcheck.registry.items.api",
    "spotcheck.registry.inspectors.api",
    "spotcheck.registry.experts.api",
    "spotcheck.registry.importing.api",
    "spotcheck.planning.api",
    "spotcheck.planning.workplan_api",
    "spotcheck.draw.api",
    "spotcheck.inspection.api",
    "spotcheck.inspection.file_api",
    "spotcheck.inspection.form_api",
    "spotcheck.publication.api",
    "spotcheck.publication.public_api",
    "spotcheck.followup.api",
    "spotcheck.console.api",
    "spotcheck.punishment.api",
)
"""Modules whose ``blp`` is registered, in this order (also the order of the document's tags)."""

EXTENSION_KEY = "spotcheck.api"
SECURITY_SCHEME = "bearerAuth"

DESCRIPTION = (
    "The REST API of spotcheck, the joint \"double random, one public\" spot-check platform.\n\n"
    "Every endpoint except the open data under `/api/v1/public/` needs a personal API token, sent as `Authorization: Bearer <token>`; create one "
    "under Account → API tokens. A request sees what the token's user would see: their own "
    "department's records (the office: every department's). Errors answer one document, with "
    "the message in Chinese and English."
)


class Api(flask_smorest.Api):
    """flask-smorest's ``Api`` with spotcheck's error document."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> Any:
        """Answer HTTP errors with the error document under ``/api/``, and leave web pages alone.

        flask-smorest registers this for every ``HTTPException`` of the app; the web layer's
        handlers for particular codes come first and answer API paths with the same document.
        """
        if not is_api_request():
            return error
        code = error.code or 500
        return error_body(code), code


def init_app(app: Flask) -> Api:
    """Mount the API on ``app`` at ``/api/v1``; call after the web layer (CSRF) is set up."""
    app.config.setdefault("OPENAPI_URL_PREFIX", API_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = Api(app, spec_kwargs={
        "info": {"description": DESCRIPTION},
        "security": [{SECURITY_SCHEME: []}],
    })
    api.spec.components.security_scheme(SECURITY_SCHEME, {
        "type": "http", "scheme": "bearer",
        "description": "A personal API token (spc_…), created under Account → API tokens.",
    })
    for module in RESOURCES:
        blueprint = import_module(module).blp
        # Bearer tokens only (never the cookie), so there is no cross-site request to forge.
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    app.register_error_handler(ApiError, handle_api_error)
    for out_of_range in (OverflowError, DataError):
        app.register_error_handler(out_of_range, handle_out_of_range)
    app.extensions[EXTENSION_KEY] = api
    return api


def openapi_document(app: Flask) -> str:
    """The OpenAPI document of ``app`` as written to ``schemas/openapi.json``: stable, final newline."""
    api: Api = app.extensions[EXTENSION_KEY]
    return json.dumps(api.spec.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
