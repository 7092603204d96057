"""``spotcheck verify-draw PROOF.json``: recompute a draw's proof with the stand-alone verifier.

The command is a thin door to :func:`spotcheck.draw.verify_draw.main`, the very file anyone may
download and run with nothing but Python (``python3 verify_draw.py PROOF.json``): both give the
same output and the same exit status.
"""

from __future__ import annotations

import click

from spotcheck.draw import verify_draw


@click.command("verify-draw")
@click.argument("proof", metavar="PROOF.json", type=click.Path(dir_okay=False, allow_dash=True))
def verify_draw_cli(proof: str) -> None:
    """Recompute a draw's proof (PROOF.json; - reads standard input).

    Exits 0 and prints a summary when every figure recomputes, 1 naming the first mismatch,
    2 when the file cannot be read as JSON."""
    click.get_current_context().exit(verify_draw.main([proof]))
