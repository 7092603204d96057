"""The two files anyone may take away from a draw: its proof, streamed as it is read, and the
verifier that recomputes it with nothing but Python's standard library."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files

from flask import Response, stream_with_context
from sqlalchemy import select

from spotcheck.db import session
from spotcheck.draw.models import Draw
from spotcheck.draw.proof import proof_chunks
from spotcheck.tenancy.scope import Scope, scoped

VERIFIER = "verify_draw.py"


def proof_response(draw: Draw) -> Response:
    """The proof of executed ``draw`` as a JSON download (``draw-<id>-proof.json``); the caller
    has checked that it may be read."""
    response = Response(stream_with_context(_proof_bytes(draw.id)), mimetype="application/json")
    response.headers["Content-Disposition"] = f"attachment; filename=draw-{draw.id}-proof.json"
    return response


def _proof_bytes(draw_id: int) -> Iterator[bytes]:
    # The system scope: whoever asks has been let through already, and the anonymous visitor of
    # the public download has no scope that reads a draw at all.
    with scoped(session, Scope.system()):
        draw = session.scalars(select(Draw).where(Draw.id == draw_id)).one()
        for chunk in proof_chunks(session, draw):
            yield chunk.encode("utf-8")


def verifier_response() -> Response:
    """``verify_draw.py``, the very module the platform draws with, as a download."""
    response = Response(files("spotcheck.draw").joinpath(VERIFIER).read_bytes(), mimetype="text/x-python")
    response.headers["Content-Disposition"] = f"attachment; filename={VERIFIER}"
    return response
