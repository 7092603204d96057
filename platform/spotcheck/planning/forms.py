"""The HTML forms of annual plans; the values are checked by
:func:`~spotcheck.planning.service.validate_plan`, as the API's are."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, IntegerField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from spotcheck.planning.models import PlanType
from spotcheck.registry.items.vocabulary import TARGET_KIND_LABELS
from spotcheck.registry.targets.codes import STATUSES


class YearForm(FlaskForm):
    """The year a list or dashboard shows (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    year = IntegerField(_l("Year"), [Optional(), NumberRange(2000, 2100)])


class PlanForm(FlaskForm):
    """Create or edit a plan; list fields take codes separated by commas or ；."""

    name = StringField(_l("Plan name"), [InputRequired(), Length(max=200)])
    year = IntegerField(_l("Year"), [InputRequired(), NumberRange(2000, 2100)])
    plan_type = SelectField(_l("Plan type"), choices=[],
                            description=_l("Only random checks count towards the yearly cap."))
    kinds = SelectMultipleField(_l("Target kinds"), choices=[],
                                description=_l("None chosen means every kind."))
    areas = StringField(_l("Area codes"), [Optional(), Length(max=1000)],
                        description=_l("Codes separated by commas; empty means the whole district."))
    industries = StringField(_l("Industry codes"), [Optional(), Length(max=1000)],
                             description=_l("GB/T 4754-2017 codes separated by commas; empty means every industry."))
    tags = StringField(_l("Tags"), [Optional(), Length(max=1000)],
                       description=_l("Tags separated by commas; empty means no tag condition."))
    statuses = SelectMultipleField(_l("Registration status"), choices=[],
                                   description=_l("None chosen means every status."))
    window_start = DateField(_l("Window start"), [InputRequired()])
    window_end = DateField(_l("Window end"), [InputRequired()])
    ratio_bp = IntegerField(_l("Sampling ratio (basis points)"), [InputRequired()],
                            description=_l("In ten-thousandths: 500 is 5%."))
    participants = SelectMultipleField(_l("Participating departments"), choices=[])
    note = TextAreaField(_l("Note"), [Optional(), Length(max=2000)])

    def __init__(self, *args: Any, departments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan_type.choices = [(t.value, t.label) for t in PlanType]
        self.kinds.choices = [(k, str(label)) for k, label in TARGET_KIND_LABELS.items()]
        self.statuses.choices = [(code, str(term.label)) for code, term in STATUSES.items()]
        self.participants.choices = departments

    def raw(self) -> dict[str, Any]:
        """The form's input for the validator."""
        return {name: self[name].data for name in (
            "name", "year", "plan_type", "kinds", "areas", "industries", "tags", "statuses",
            "window_start", "window_end", "ratio_bp", "participants", "note")}


class ItemsForm(FlaskForm):
    """The items a department puts in a plan, from its own list."""

    items = SelectMultipleField(_l("Items from your department's list"), choices=[], coerce=int)


class AnswerForm(FlaskForm):
    """A participant's answer to the initiator."""

    answer = SelectField(_l("Answer"), choices=[])
    reason = TextAreaField(_l("Reason"), [Optional(), Length(max=2000)],
                           description=_l("Required when declining."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answer.choices = [("confirm", _l("Confirm")), ("decline", _l("Decline"))]


class MergeForm(FlaskForm):
    """The office merges plans into one joint plan."""

    plans = SelectMultipleField(_l("Plans to merge"), choices=[], coerce=int)
    initiator = SelectField(_l("Initiating department of the joint plan"), choices=[], coerce=int)
    name = StringField(_l("Name of the joint plan"), [InputRequired(), Length(max=200)])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
