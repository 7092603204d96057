"""``spotcheck audit …``: the operator's commands on the audit trail."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from spotcheck.audit.service import verify_chain
from spotcheck.db import session

audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
def verify() -> None:
    """Recompute the hash chain; exit 1 naming the first broken record."""
    result = verify_chain(session)
    if result.broken is not None:
        click.echo(f"audit chain BROKEN at {result.broken} "
                   f"({result.count} records before it are intact)", err=True)
        raise click.exceptions.Exit(1)
    if result.head is None:
        click.echo("audit chain intact: no records yet")
    else:
        click.echo(f"audit chain intact: {result.count} records, head {result.head.id} {result.head.hash}")
