"""``spotcheck users``: accounts from the server console.

The console is where administrator accounts are made (no administrator can make another on the
web). Commands are audited as ``cli:<operating-system user>``.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.tenancy import service
from spotcheck.tenancy.models import Department, User
from spotcheck.tenancy.roles import Role

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.argument("username")
@click.argument("display_name")
@click.argument("role", type=click.Choice([role.value for role in Role]))
@click.argument("department_code")
@click.option("--password", help="The initial password (default: a generated one, printed once). "
                                  "It must still be changed at first sign-in.")
def create(username: str, display_name: str, role: str, department_code: str,
           password: str | None) -> None:
    """Create an account of any role; prints its one-time password unless one is given."""
    from spotcheck.cli import system_session

    db = system_session()
    department = db.scalars(select(Department).where(Department.code == department_code)).one_or_none()
    if department is None:
        raise click.BadParameter(f"no department {department_code!r}", param_hint="DEPARTMENT_CODE")
    try:
        user, generated = service.create_user(db, None, username=username, display_name=display_name,
                                              role=Role(role), department=department, password=password)
    except service.AccountError as refused:
        with force_locale("en"):  # the console speaks English, and has no request to pick a locale
            raise click.ClickException(str(refused)) from None
    db.commit()
    click.echo(f"created {user.username} ({user.role.value}, {department.code})")
    if generated:
        click.echo(f"one-time password: {generated}")


@users_cli.command("disable")
@click.argument("username")
def disable(username: str) -> None:
    """Disable an account and end its sessions at once."""
    from spotcheck.cli import system_session

    db = system_session()
    service.disable_user(db, None, _user(db, username))
    db.commit()
    click.echo(f"disabled {username}")


@users_cli.command("enable")
@click.argument("username")
def enable(username: str) -> None:
    """Let a disabled account sign in again."""
    from spotcheck.cli import system_session

    db = system_session()
    service.enable_user(db, None, _user(db, username))
    db.commit()
    click.echo(f"enabled {username}")


@users_cli.command("reset-password")
@click.argument("username")
def reset_password(username: str) -> None:
    """Give an account a new one-time password (printed once); its sessions end."""
    from spotcheck.cli import system_session

    db = system_session()
    password = service.reset_password(db, None, _user(db, username))
    db.commit()
    click.echo(f"one-time password for {username}: {password}")


@users_cli.command("list")
@click.option("--department", "department_code", help="Only this department's accounts.")
@click.option("--role", type=click.Choice([role.value for role in Role]), help="Only this role.")
def list_users(department_code: str | None, role: str | None) -> None:
    """List accounts: login name, role, department, state."""
    from spotcheck.cli import system_session

    db = system_session()
    statement = select(User).join(User.department).order_by(Department.code, User.username)
    if department_code:
        statement = statement.where(Department.code == department_code)
    if role:
        statement = statement.where(User.role == Role(role))
    for user in db.scalars(statement):
        click.echo("\t".join((user.username, user.role.value, user.department.code,
                              _state(user), user.display_name)))
    db.commit()


def _user(db: Session, username: str) -> User:
    user = db.scalars(select(User).where(User.username == username.strip().lower())).one_or_none()
    if user is None:
        raise click.BadParameter(f"no user {username!r}", param_hint="USERNAME")
    return user


def _state(user: User) -> str:
    if user.disabled_at is not None:
        return "disabled"
    if service.is_locked(user):
        return "locked"
    return "active"
