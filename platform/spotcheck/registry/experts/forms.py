"""The HTML forms of the expert pool; values are checked by
:func:`~spotcheck.registry.experts.rows.validate_expert_row`, as an imported row is."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from spotcheck.registry.experts.models import ExpertKind, ExpertStatus


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.value, kind.label) for kind in ExpertKind]


def status_choices() -> list[tuple[str, str]]:
    return [(status.value, status.label) for status in ExpertStatus]


class ExpertFilterForm(FlaskForm):
    """The filter above the pool (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or organisation"), [Optional(), Length(max=100)])
    department = SelectField(_l("Department"), [Optional()], choices=[])
    kind = SelectField(_l("Kind"), [Optional()], choices=[])
    speciality = SelectField(_l("Speciality"), [Optional()], choices=[])
    status = SelectField(_l("Status"), [Optional()], choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", _l("Any kind")), *kind_choices()]
        self.status.choices = [("", _l("Any status")), *status_choices()]


class ExpertForm(FlaskForm):
    """Create or edit a member of the pool (field names as in the import)."""

    kind = SelectField(_l("Kind"), choices=[])
    name = StringField(_l("Name"), [InputRequired(), Length(max=200)])
    organisation = StringField(_l("Organisation"), [Optional(), Length(max=200)],
                               description=_l("An expert's employer; empty for a body."))
    specialities = StringField(_l("Specialities"), [InputRequired(), Length(max=500)],
                               description=_l("Tags separated by ；, for example 特种设备；压力容器."))
    qualification = StringField(_l("Qualification or certificate number"), [Optional(), Length(max=100)])
    contact = StringField(_l("Phone"), [Optional(), Length(max=32)])
    valid_until = DateField(_l("Valid until"), [Optional()])
    status = SelectField(_l("Status"), choices=[])
    note = TextAreaField(_l("Note"), [Optional(), Length(max=2000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()
        self.status.choices = status_choices()

    def raw_row(self) -> dict[str, Any]:
        """The form's input as an import row, for the row validator."""
        return {name: self[name].data for name in (
            "kind", "name", "organisation", "specialities", "qualification", "contact",
            "valid_until", "status", "note")}
