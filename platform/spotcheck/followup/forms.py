"""The HTML forms of the follow-up pages: the queue's filters and the owner's action."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from spotcheck.followup.models import Action, FollowUpState


class FollowUpFilterForm(FlaskForm):
    """The filters of the queue (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    box = SelectField(_l("Show"), choices=[], default="own", validators=[Optional()])
    state = SelectField(_l("State"), choices=[], validators=[Optional()])
    action = SelectField(_l("Action"), choices=[], validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.box.choices = [("own", _l("Owned by my department")),
                            ("sent", _l("Sent to other departments"))]
        self.state.choices = [("", _l("Any")), *((s.value, s.label) for s in FollowUpState)]
        self.action.choices = [("", _l("Any")), *((a.value, a.label) for a in Action)]


class ActionForm(FlaskForm):
    """What the owning department did, and a note (the reason, when a transfer is returned)."""

    to = SelectField(_l("Outcome"), choices=[], validators=[InputRequired()])
    note = TextAreaField(_l("Note"), [Optional(), Length(max=2000)],
                         description=_l("Required when a transfer is returned: say why."))
