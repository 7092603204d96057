"""``spotcheck calendar``: seed the working-day calendar and see which years are missing."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from spotcheck.calendar import seed as seeding
from spotcheck.calendar.editing import CalendarError, year_overview
from spotcheck.calendar.service import missing_years
from spotcheck.registry.inspectors.service import today

calendar_cli = AppGroup("calendar", help="The working-day calendar (工作日历).")


@calendar_cli.command("seed")
@click.option("--year", "years", type=int, multiple=True,
              help="Seed only this year (repeat for several); default: every year the package covers.")
def seed_command(years: tuple[int, ...]) -> None:
    """Load public holidays and make-up workdays from the chinesecalendar package.

    Years already in the database are left as they are; the days on which they differ from the
    package are listed."""
    from spotcheck.cli import system_session

    db = system_session()
    try:
        report = seeding.seed(db, years or None)
    except CalendarError as error:
        raise click.ClickException(error.message_en) from None
    db.commit()
    created = ", ".join(map(str, report.created)) or "none"
    click.echo(f"calendar years seeded from {seeding.package_source()}: {created}")
    for year, differing in sorted(report.kept.items()):
        detail = ""
        if differing:
            detail = (f"; {len(differing)} day(s) differ from the package: "
                      + ", ".join(d.isoformat() for d in differing))
        click.echo(f"{year}: already in the database, left as it is{detail}")
    _warn_missing(db)


@calendar_cli.command("status")
def status_command() -> None:
    """List each year's calendar and warn about the years deadlines will need."""
    from spotcheck.cli import system_session

    db = system_session()
    for row, holidays, workdays in year_overview(db):
        state = "complete" if row.complete else "draft"
        click.echo(f"{row.year}  {state:8}  {holidays:3} holidays  {workdays:2} make-up workdays  "
                   f"source: {row.source}  last changed by {row.updated_by}")
    _warn_missing(db)


def _warn_missing(db: Session) -> None:
    for year in missing_years(db, today()):
        click.echo(f"warning: no complete calendar for {year}: deadlines in {year} cannot be "
                   f"computed until the office enters it", err=True)
