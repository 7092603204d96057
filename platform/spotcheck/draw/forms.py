"""The HTML forms of draws, teams and replacements. The rules themselves (entropy without line
feeds, at most 200 characters; inspectors per target 1–10; a reason to reject) are checked by the
services, whose refusals are bilingual, as the API's are."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from spotcheck.draw.models import REPLACEMENT_GROUNDS, DrawState
from spotcheck.draw.service import ENTROPY_MAX
from spotcheck.planning.dryrun import PER_TARGET


class PrepareForm(FlaskForm):
    """Prepare a batch's draw: how many inspectors each department sends, and the most targets
    one inspector takes."""

    per_target = IntegerField(_l("Inspectors per department and target"), [InputRequired(), NumberRange(1, 10)],
                              default=PER_TARGET,
                              description=_l("Enforcement always takes two."))
    max_load = IntegerField(_l("Most targets per inspector"), [Optional(), NumberRange(min=1)],
                            description=_l("Empty: no limit."))


class EntropyForm(FlaskForm):
    """The public entropy entered at the ceremony (dice rolled by witnesses, a lottery number)."""

    entropy = StringField(_l("Public random number"), [Optional()],
                          description=_l("For example the dice rolled by the witnesses. It may be "
                                         "empty; at most %(count)s characters, on one line.",
                                         count=ENTROPY_MAX))


class VoidForm(FlaskForm):
    """Void a prepared draw, saying why."""

    reason = TextAreaField(_l("Why the preparation is voided"), [InputRequired(), Length(max=1000)])


class ReplacementForm(FlaskForm):
    """Ask to replace one of the department's members of a team."""

    member = SelectField(_l("Inspector to replace"), choices=[], coerce=int)
    ground = SelectField(_l("Ground"), choices=[])
    reason = TextAreaField(_l("Reason"), [InputRequired(), Length(max=2000)])

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member.choices = members
        self.ground.choices = [(code, str(label)) for code, label in REPLACEMENT_GROUNDS.items()]


class DecisionForm(FlaskForm):
    """The head's decision on a replacement; a rejection needs the note."""

    note = TextAreaField(_l("Note"), [Optional(), Length(max=2000)],
                         description=_l("Required when rejecting."))


class DrawFilterForm(FlaskForm):
    """The filters of the draws list (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    state = SelectField(_l("State"), choices=[], validators=[Optional()])
    plan = IntegerField(_l("Plan id"), [Optional()])
    batch = IntegerField(_l("Batch id"), [Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state.choices = [("", _l("Any")), *((s.value, s.label) for s in DrawState)]
