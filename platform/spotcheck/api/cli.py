"""``spotcheck openapi``: the OpenAPI document of the REST API."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from spotcheck.api import openapi_document

DEFAULT_PATH = Path("schemas") / "openapi.json"

# Named like flask-smorest's own group, which it replaces: ours writes the document in the
# stable form that the drift test compares.
openapi_cli = AppGroup("openapi", help="The OpenAPI document of the REST API.")


@openapi_cli.command("write")
@click.argument("path", required=False, default=DEFAULT_PATH,
                type=click.Path(dir_okay=False, writable=True, path_type=Path))
def write(path: Path) -> None:
    """Write the OpenAPI document to PATH (default: schemas/openapi.json)."""
    path.write_text(openapi_document(current_app), encoding="utf-8")
    click.echo(f"wrote {path}")
