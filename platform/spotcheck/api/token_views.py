"""The web page of one's own API tokens: list, create (the secret shown once), revoke."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from spotcheck.api.tokens import (
    DEFAULT_LIFETIME_DAYS,
    MAX_LIFETIME_DAYS,
    create_token,
    get_own_token,
    list_tokens,
    revoke_token,
    token_state,
)
from spotcheck.db import session, utcnow

bp = Blueprint("account_tokens", __name__, url_prefix="/account/tokens")


class CreateTokenForm(FlaskForm):
    name = StringField(_l("Name"), [DataRequired(), Length(max=100)],
                       description=_l("What the token is for, e.g. the program that uses it."))
    lifetime_days = IntegerField(
        _l("Valid for (days)"), [InputRequired(), NumberRange(min=1, max=MAX_LIFETIME_DAYS)],
        default=DEFAULT_LIFETIME_DAYS,
        description=_l("At most %(days)d days.", days=MAX_LIFETIME_DAYS))


@bp.get("/")
@login_required
def index() -> str:
    """The user's tokens and the form for a new one."""
    return _page(CreateTokenForm())


@bp.post("/")
@login_required
def create() -> ResponseReturnValue:
    """Create a token and show its secret, on this page only."""
    form = CreateTokenForm()
    if not form.validate_on_submit():
        return _page(form)
    token, secret = create_token(session, current_user, form.name.data.strip(), form.lifetime_days.data)
    session.commit()
    # Rendered straight from the POST, never flashed (a flash would put the secret in the
    # cookie), and no cache may keep it.
    response = make_response(render_template("account/token_created.html", token=token, secret=secret))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> ResponseReturnValue:
    """Revoke one of the user's tokens; another user's answers 404 like a missing one."""
    token = get_own_token(session, current_user, token_id)
    if token is None:
        abort(404)
    if revoke_token(session, token):
        session.commit()
        flash(_("The token %(name)s is revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for(".index"))


def _page(form: CreateTokenForm) -> str:
    now = utcnow()
    tokens = [(token, token_state(token, now)) for token in list_tokens(session, current_user)]
    return render_template("account/tokens.html", form=form, tokens=tokens)
