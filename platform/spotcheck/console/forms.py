"""The filters of the console's pages: year, period and (for the office) department."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from spotcheck.console.periods import PERIOD_CHOICES


class ConsoleFilterForm(FlaskForm):
    """Year, period and department (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    year = IntegerField(_l("Year"), [Optional(), NumberRange(2000, 2100)])
    period = SelectField(_l("Period"), choices=[], validators=[Optional()])
    # The service decides which departments a user may ask for (and answers 404 for the others).
    department = SelectField(_l("Department"), choices=[], validators=[Optional()], validate_choice=False)

    def __init__(self, *args: Any, departments: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.period.choices = [(token, label) for token, label in PERIOD_CHOICES]
        self.department.choices = [("", _l("All member units")), *(departments or [])]
