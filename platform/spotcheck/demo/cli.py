"""``spotcheck demo``: demo data for a newcomer's machine (``make run`` loads it)."""

from __future__ import annotations

import click
import pyotp
from flask.cli import AppGroup

from spotcheck.demo.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoRefused, load_demo
from spotcheck.demo.draws import load_demo_draws
from spotcheck.demo.history import load_demo_history
from spotcheck.demo.people import load_demo_people
from spotcheck.demo.plans import load_demo_plans
from spotcheck.demo.targets import load_demo_targets
from spotcheck.demo.publication import load_demo_publications
from spotcheck.demo.tasks import load_demo_tasks
from spotcheck.registry.inspectors.service import today

demo_cli = AppGroup("demo", help="Demo data (never on a real platform).")

HEADINGS = ("role", "department", "login name", "password", "one-time code", "account")


@demo_cli.command("load")
def load() -> None:
    """Create the departments, one demo account per role and a demo directory (areas, targets,
    items, inspectors, experts), a year of annual plans with their work plans and draws, the
    draws' inspection tasks in every state, and print the accounts' sign-in details.

    Safe to run again: what exists is left as it is.
    """
    from spotcheck.cli import system_session

    db = system_session()
    try:
        report, loaded = load_demo(db)
    except DemoRefused as refused:
        raise click.ClickException(str(refused)) from None
    directory = load_demo_targets(db)
    people = load_demo_people(db)
    plans = load_demo_plans(db)
    draws = load_demo_draws(db)
    tasks = load_demo_tasks(db, today())
    published = load_demo_publications(db, today())
    history = load_demo_history(db, today())
    db.commit()
    click.echo(f"departments created: {', '.join(report.created) or '-'}; "
               f"updated: {', '.join(report.updated) or '-'}")
    click.echo(f"areas created: {len(directory.areas.created)}; targets created: "
               f"{directory.created}, already there: {directory.existing}; "
               f"supervisions created: {directory.supervisions}")
    click.echo(f"item versions written: {people.item_versions}; inspectors created: "
               f"{sum(people.inspectors.values())}; conflicts: {people.conflicts}; experts: {people.experts}")
    click.echo(f"annual plans created: {plans}")
    click.echo(f"draws executed: {draws.executed}; voided: {draws.voided}; "
               f"replacements approved: {draws.replacements}")
    if tasks.calendar_years:
        click.echo(f"working-day calendars seeded for the demo: {', '.join(map(str, tasks.calendar_years))}")
    click.echo(f"inspection tasks walked: {tasks.walked}; marked overdue: {tasks.overdue}")
    click.echo(f"results published on the portal: {published + history.published} "
               f"(http://127.0.0.1:5000/public/); follow-ups moved: {history.followups_moved}; "
               f"joint punishment entries: {history.listed}, repaired: {history.repaired}")
    if draws.ceremony is not None:
        click.echo(f"a draw awaits its public ceremony (demo-office or demo-head): "
                   f"http://127.0.0.1:5000/draws/{draws.ceremony.id}/ceremony")
    rows = [(item.account.role.value, item.account.department_code, item.account.username,
             DEMO_PASSWORD, "yes" if item.account.needs_code else "no",
             "created" if item.created else "existed, left unchanged") for item in loaded]
    click.echo()
    click.secho("DEMO ONLY: these sign-in details are public. Never load them on a real platform.",
                bold=True)
    click.echo(_table(HEADINGS, rows))
    click.echo()
    click.echo("Administrators also enter a one-time code at sign-in. Their demo-only secret is")
    click.echo(f"  {DEMO_TOTP_SECRET}")
    click.echo("Add it to an authenticator app, or run `spotcheck demo code` for the current code.")
    click.echo("Sign in at http://127.0.0.1:5000/sign-in (served by `make run`).")


@demo_cli.command("code")
def code() -> None:
    """Print the demo administrators' current one-time code."""
    click.echo(pyotp.TOTP(DEMO_TOTP_SECRET).now())


def _table(headings: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headings, *rows)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in (headings, tuple("-" * w for w in widths), *rows)]
    return "\n".join(f"  {line}" for line in lines)

