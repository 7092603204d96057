"""The HTML forms of signing in, one's own account, and user administration (CSRF on every one)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp

from spotcheck.tenancy.roles import BUSINESS_ROLES, Role

# Argon2 hashes any length, but an attacker should not make the server hash megabytes.
PASSWORD_MAX_LENGTH = 256
_CODE = Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message=_l("Enter the six digits your app shows."))
_CODE_FIELD_ATTRS = {"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 7}


class SignInForm(FlaskForm):
    username = StringField(_l("Login name"), [InputRequired(), Length(max=64)],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), [InputRequired(), Length(max=PASSWORD_MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})


class SecondFactorForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app"), [InputRequired(), _CODE],
                       render_kw={**_CODE_FIELD_ATTRS, "autofocus": True})


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     [InputRequired(), Length(max=PASSWORD_MAX_LENGTH)],
                                     render_kw={"autocomplete": "current-password"})
    # The policy text (with the configured length) is set by the view; the service enforces it.
    new_password = PasswordField(_l("New password"), [InputRequired(), Length(max=PASSWORD_MAX_LENGTH)],
                                 render_kw={"autocomplete": "new-password"})
    confirm_password = PasswordField(
        _l("New password again"),
        [InputRequired(), EqualTo("new_password", message=_l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"})


class EnrolTotpForm(FlaskForm):
    # The secret travels in the form until confirmed, so an abandoned enrolment leaves nothing
    # behind; it is shown on the page anyway, so this discloses nothing new.
    secret = HiddenField(validators=[InputRequired(), Length(min=32, max=32)])
    code = StringField(_l("Code from your authenticator app"), [InputRequired(), _CODE],
                       render_kw=_CODE_FIELD_ATTRS)


class RemoveTotpForm(FlaskForm):
    password = PasswordField(_l("Password"), [InputRequired(), Length(max=PASSWORD_MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})
    code = StringField(_l("Code from your authenticator app"), [InputRequired(), _CODE],
                       render_kw=_CODE_FIELD_ATTRS)


class UserSearchForm(FlaskForm):
    """The filter above the user list (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Login name or name"), [Optional(), Length(max=100)])
    role = SelectField(_l("Role"), [Optional()], choices=[])
    department = SelectField(_l("Department"), [Optional()], choices=[])


class CreateUserForm(FlaskForm):
    username = StringField(_l("Login name"), [InputRequired(), Length(min=3, max=64)],
                           render_kw={"autocomplete": "off"})
    display_name = StringField(_l("Name"), [InputRequired(), Length(max=100)])
    role = SelectField(_l("Role"), [InputRequired()], choices=[])
    department = SelectField(_l("Department"), [InputRequired()], choices=[], coerce=int)
    email = StringField(_l("E-mail"), [Optional(), Length(max=254),
                                       Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                              message=_l("Enter an e-mail address."))])
    phone = StringField(_l("Phone"), [Optional(), Length(max=32),
                                      Regexp(r"^\+?[0-9 -]{5,31}$",
                                             message=_l("Enter digits, spaces or dashes."))])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), [InputRequired()], choices=[])


def role_choices(roles: frozenset[Role] | None = None) -> list[tuple[str, str]]:
    """``(value, label)`` pairs of ``roles`` (default: every role), in the declared order."""
    return [(role.value, role.label) for role in Role if roles is None or role in roles]


def business_role_choices() -> list[tuple[str, str]]:
    """The roles a system administrator may give a new account."""
    return role_choices(BUSINESS_ROLES)
