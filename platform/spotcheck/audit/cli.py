"""``spotcheck audit …``: the operator's commands on the audit trail."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from spotcheck.audit import checkpoint as checkpoints
from spotcheck.audit.service import verify_chain
from spotcheck.db import session

audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
@click.option("--against", "against", metavar="FILE_OR_URL", default=None,
              help="Also check the chain against published checkpoints: the portal's "
                   "/public/audit-checkpoints.json (saved, or its URL) or the checkpoint file.")
def verify(against: str | None) -> None:
    """Recompute the hash chain and check it still holds every checkpoint; exit 1 naming the first
    broken record, or each checkpoint the chain no longer holds (truncated or rewritten)."""
    published = [checkpoints.published(c) for c in checkpoints.stored(session)]
    if against is not None:
        try:
            published += checkpoints.load(against)
        except (OSError, ValueError) as error:
            raise click.ClickException(f"cannot read the checkpoints in {against}: {error}") from error
    result = verify_chain(session)
    disagreements = checkpoints.compare(session, _distinct(published))
    for disagreement in disagreements:
        click.echo(f"audit chain does not hold the {disagreement}", err=True)
    if result.broken is not None:
        click.echo(f"audit chain BROKEN at {result.broken} "
                   f"({result.count} records before it are intact)", err=True)
    if result.broken is not None or disagreements:
        raise click.exceptions.Exit(1)
    if result.head is None:
        click.echo("audit chain intact: no records yet")
    else:
        click.echo(f"audit chain intact: {result.count} records, head {result.head.id} {result.head.hash}")
    if published:
        click.echo(f"holds all {len(_distinct(published))} checkpoints")


def _distinct(published: list[checkpoints.Published]) -> list[checkpoints.Published]:
    return list({(c.record_id, c.hash): c for c in published}.values())


@audit_cli.command("checkpoint")
def checkpoint() -> None:
    """Checkpoint the chain's head now and publish it (as the daily sweep does); exit 1 if the
    chain does not hold the last checkpoint or is broken."""
    from spotcheck.audit.publishing import take_and_publish
    from spotcheck.cli import system_session

    db = system_session()
    outcome = take_and_publish(db)
    db.commit()
    for line in outcome.lines or ["no records yet: nothing to checkpoint"]:
        click.echo(line)
    if outcome.refused:
        raise click.exceptions.Exit(1)
