"""The HTML forms of the calendar editor; the values are checked again by :mod:`.editing`."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from spotcheck.calendar.editing import FIRST_YEAR, LAST_YEAR, NAME_MAX
from spotcheck.calendar.models import DAY_KIND_LABELS


class StartYearForm(FlaskForm):
    """Begin a year's calendar."""

    year = IntegerField(_l("Year"), [InputRequired(), NumberRange(FIRST_YEAR, LAST_YEAR)],
                        description=_l("Then enter its holidays and make-up workdays as the "
                                       "State Council's notice lists them."))


class DayForm(FlaskForm):
    """Make a day a holiday or a make-up workday."""

    day = DateField(_l("Date"), [InputRequired()])
    kind = SelectField(_l("Kind"), choices=[])
    name = StringField(_l("Festival"), [InputRequired(), Length(max=NAME_MAX)],
                       description=_l("The festival the day belongs to, e.g. 春节 or 国庆节, "
                                      "also for its make-up workdays."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.value, str(label)) for kind, label in DAY_KIND_LABELS.items()]


class RemoveDayForm(FlaskForm):
    """Let a day follow the Monday–Friday rule again."""

    day = DateField(_l("Date"), [InputRequired()])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
