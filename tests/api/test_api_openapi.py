"""The OpenAPI document: generated from the code, kept in schemas/openapi.json, served as is."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from spotcheck.api import Api, openapi_document

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schemas" / "openapi.json"


def test_schemas_openapi_json_matches_the_code(app):
    expected = openapi_document(app)
    written = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
    if written != expected:
        diff = difflib.unified_diff(written.splitlines(), expected.splitlines(),
                                    "schemas/openapi.json", "generated from the code", lineterm="")
        shown = "\n".join(list(diff)[:60])
        pytest.fail(f"schemas/openapi.json is out of date: run `make openapi` and commit it.\n{shown}")


def test_the_document_is_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == json.loads(openapi_document(client.application))


def test_cli_writes_the_document_in_stable_form(app, tmp_path):
    target = tmp_path / "openapi.json"
    result = app.test_cli_runner().invoke(args=["openapi", "write", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text == openapi_document(app)
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_every_operation_is_documented_and_needs_a_bearer_token(app):
    document = json.loads(openapi_document(app))
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert document["security"] == [{"bearerAuth": []}]
    operations = [(path, method, operation) for path, item in document["paths"].items()
                  for method, operation in item.items() if method != "parameters"]
    assert {(path, method) for path, method, _op in operations} >= {
        ("/api/v1/me", "get"), ("/api/v1/departments", "get"), ("/api/v1/tokens", "get"),
        ("/api/v1/tokens", "post"), ("/api/v1/tokens/{token_id}", "delete"), ("/api/v1/plugins", "get")}
    for path, method, operation in operations:
        assert operation.get("summary") and operation.get("description"), f"{method} {path}: no docstring"
        if path.startswith("/api/v1/public/"):
            assert operation.get("security") == [], f"{method} {path}: open data needs no token"
        else:
            assert "security" not in operation, f"{method} {path} must not override the bearer requirement"


def test_errors_are_documented_with_the_bilingual_error_document(app):
    document = json.loads(openapi_document(app))
    error = document["components"]["schemas"]["Error"]["properties"]
    assert set(error) == {"code", "status", "message", "errors"}
    assert document["components"]["schemas"]["Message"]["required"] == ["en", "zh"]


def test_no_documentation_ui_is_served(app):
    # flask-smorest's UIs load their scripts from a CDN, unreachable on a government intranet.
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("api-docs.")} == {"api-docs.openapi_json"}


def test_http_errors_outside_the_api_are_left_to_flask(app):
    from werkzeug.exceptions import UnsupportedMediaType

    api: Api = app.extensions["spotcheck.api"]
    error = UnsupportedMediaType()
    with app.test_request_context("/account/tokens/"):
        assert api.handle_http_exception(error) is error
    with app.test_request_context("/api/v1/tokens"):
        body, code = api.handle_http_exception(error)
    assert code == 415
    assert body["status"] == "Unsupported Media Type"
    assert set(body["message"]) == {"zh", "en"}
