"""``spotcheck sweep``: the periodic sweeps, run by a timer (e.g. daily at 01:00).

``spotcheck sweep`` runs every sweep of :data:`SWEEPS` in order, committing after each, and prints
what each did; ``--only NAME`` runs some of them, ``--on DAY`` sweeps as of another day. A sweep is
a function ``(session, today) -> lines to print`` that changes what it must in the unit of work
and never commits; a concept adds its sweep with one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from importlib import import_module

import click
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

SWEEPS: tuple[tuple[str, str], ...] = (
    ("overdue", "spotcheck.inspection.sweep:overdue_sweep"),
    ("reminders", "spotcheck.inspection.sweep:reminder_sweep"),
    ("publication", "spotcheck.publication.sweep:publication_sweep"),
    ("followup", "spotcheck.followup.service:followup_sweep"),
    ("punishment", "spotcheck.punishment.service:punishment_sweep"),
    # Last, so the checkpoint covers what the other sweeps recorded.
    ("audit-checkpoint", "spotcheck.audit.publishing:checkpoint_sweep"),
)
"""Each sweep's name and its function (``module:function``), in the order they run."""


def _function(path: str) -> Callable[[Session, date], list[str]]:
    module, name = path.split(":")
    return getattr(import_module(module), name)  # type: ignore[no-any-return]


@click.command("sweep")
@click.option("--only", "only", multiple=True, type=click.Choice([name for name, _path in SWEEPS]),
              help="Run only this sweep (repeat for several); default: every sweep.")
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Sweep as of this day (YYYY-MM-DD); default: today in the platform's time zone.")
@with_appcontext
def sweep_cli(only: tuple[str, ...], on: datetime | None) -> None:
    """Run the periodic sweeps: mark late tasks overdue, remind the tasks due soon."""
    from spotcheck.cli import system_session
    from spotcheck.registry.inspectors.service import today as platform_today

    db = system_session()
    day = on.date() if on else platform_today()
    for name, path in SWEEPS:
        if only and name not in only:
            continue
        lines = _function(path)(db, day)
        db.commit()
        click.echo(f"{name}:" if lines else f"{name}: nothing to do")
        for line in lines:
            click.echo(f"  {line}")
