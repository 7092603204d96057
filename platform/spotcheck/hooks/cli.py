"""``spotcheck plugins``: see which department plugins loaded, and sync the department table."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

from spotcheck.hooks import get_registry


@click.group("plugins", cls=AppGroup, invoke_without_command=True)
@click.pass_context
@with_appcontext
def plugins_cli(ctx: click.Context) -> None:
    """List loaded and refused department plugins (exit status 1 when any was refused)."""
    if ctx.invoked_subcommand is not None:
        return
    registry = get_registry()
    click.echo(f"Loaded ({len(registry.loaded)}):")
    for code, plugin in sorted(registry.loaded.items()):
        department = plugin.department
        click.echo(f"  {code}  {department.name_zh} / {department.name_en}  "
                   f"[plugin {plugin.name} {plugin.version or '(no version)'}, contract "
                   f"{department.contract_version}]  "
                   f"{len(plugin.items)} items, {len(plugin.forms)} forms, "
                   f"{len(plugin.rules)} follow-up rules")
        for warning in plugin.warnings:
            click.echo(f"    ! deprecated: {warning}")
    click.echo(f"Refused ({len(registry.refused)}):")
    for refused in registry.refused:
        click.echo(f"  {refused.name} {refused.version or '(no version)'}")
        for error in refused.errors:
            click.echo(f"    - {error}")
    if registry.refused:
        ctx.exit(1)


@plugins_cli.command("sync")
def sync_command() -> None:
    """Create or update a department per loaded plugin, deactivate the rest, ensure the office."""
    # Imported here: spotcheck.cli imports this module when it assembles the command line.
    from spotcheck.cli import system_session

    from spotcheck.plugin_sync import sync_from_plugins

    db_session = system_session()
    report = sync_from_plugins(db_session, get_registry())
    db_session.commit()
    departments = report.departments
    for label, codes in (("created", departments.created), ("updated", departments.updated),
                         ("deactivated", departments.deactivated)):
        click.echo(f"{label}: {', '.join(codes) or '-'}")
    click.echo(report.items.summary())
