"""The HTML forms of the joint punishment pages: the list's filters, a repair and its decision."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from spotcheck.punishment.models import Basis, EntryState


class EntryFilterForm(FlaskForm):
    """The filters of the list (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    state = SelectField(_l("State"), choices=[], default=EntryState.LISTED.value, validators=[Optional()])
    basis = SelectField(_l("Basis"), choices=[], validators=[Optional()])
    department = StringField(_l("Listing department (code)"), [Optional(), Length(max=16)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state.choices = [("", _l("Any")), *((s.value, s.label) for s in EntryState)]
        self.basis.choices = [("", _l("Any")), *((b.value, b.label) for b in Basis)]


class RepairForm(FlaskForm):
    """A credit repair: what the target corrected."""

    reason = TextAreaField(_l("Reason for the repair"), [InputRequired(), Length(max=2000)],
                           description=_l("What the target corrected, and how it was verified."))


class DecisionForm(FlaskForm):
    """The head's decision on a repair, with the reason of a rejection."""

    decision = SelectField(_l("Decision"), choices=[], validators=[InputRequired()])
    note = TextAreaField(_l("Note"), [Optional(), Length(max=2000)],
                         description=_l("Required when the repair is rejected: say why."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decision.choices = [("approve", _l("Approve the repair")), ("reject", _l("Reject the repair"))]
