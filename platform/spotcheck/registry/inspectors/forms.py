"""The HTML forms of the inspector directory.

The inspector form only gathers input: its values are checked by
:func:`~spotcheck.registry.inspectors.rows.validate_inspector_row`, the same rules as the bulk
import, and the errors are shown under the fields.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from spotcheck.registry.inspectors.models import InspectorLevel, InspectorStatus


def level_choices() -> list[tuple[str, str]]:
    return [(level.value, level.label) for level in InspectorLevel]


def status_choices() -> list[tuple[str, str]]:
    return [(status.value, status.label) for status in InspectorStatus]


class InspectorFilterForm(FlaskForm):
    """The filter above the inspector list (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or certificate number"), [Optional(), Length(max=50)])
    department = SelectField(_l("Department"), [Optional()], choices=[])
    status = SelectField(_l("Status"), [Optional()], choices=[])
    level = SelectField(_l("Enforcement level"), [Optional()], choices=[])
    authority = SelectField(_l("Enforcement scope"), [Optional()], choices=[])
    area = SelectField(_l("Area covered"), [Optional()], choices=[])
    expiring = BooleanField(_l("Credential ends within 30 days"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _l("Any status")), *status_choices()]
        self.level.choices = [("", _l("Any level")), *level_choices()]


class InspectorForm(FlaskForm):
    """Create or edit an inspector (field names as in the import: see ``rows.py``)."""

    code = StringField(_l("Enforcement certificate number"), [InputRequired(), Length(max=32)])
    name = StringField(_l("Full name"), [InputRequired(), Length(max=50)])
    level = SelectField(_l("Enforcement level"), choices=[])
    scope = SelectMultipleField(_l("Enforcement scope"), choices=[],
                                description=_l("The authorities the credential covers: the items "
                                               "needing each are named beside it."))
    areas = SelectMultipleField(_l("Areas covered"), choices=[],
                                description=_l("Leave empty for the whole district. A sub-district "
                                               "or town covers its communities and villages."))
    valid_from = DateField(_l("Credential valid from"), [Optional()])
    valid_to = DateField(_l("Credential valid until"), [Optional()])
    expertise = StringField(_l("Expertise"), [Optional(), Length(max=500)],
                            description=_l("Tags separated by ；, for example 特种设备；食品安全."))
    status = SelectField(_l("Status"), choices=[])
    phone = StringField(_l("Phone"), [Optional(), Length(max=32)])
    user = SelectField(_l("Sign-in account"), [Optional()], choices=[],
                       description=_l("The inspector's own account (role inspector), if any."))
    note = TextAreaField(_l("Note"), [Optional(), Length(max=2000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.level.choices = level_choices()
        self.status.choices = status_choices()

    def raw_row(self) -> dict[str, Any]:
        """The form's input as an import row, for the row validator."""
        return {"code": self.code.data, "name": self.name.data, "level": self.level.data,
                "scope": "；".join(self.scope.data or []), "areas": "；".join(self.areas.data or []),
                "valid_from": self.valid_from.data, "valid_to": self.valid_to.data,
                "expertise": self.expertise.data, "status": self.status.data,
                "phone": self.phone.data, "note": self.note.data}


class ConflictForm(FlaskForm):
    """Declare a conflict of interest with a target of the directory."""

    target_code = StringField(_l("Target's code"), [InputRequired(), Length(max=32)],
                              description=_l("The unified social credit code, or the platform "
                                             "code of a product, project or behaviour."))
    reason = TextAreaField(_l("Reason"), [InputRequired(), Length(max=1000)],
                           description=_l("For example a relative works there, or a former employer."))


class WithdrawConflictForm(FlaskForm):
    """Withdraw a declared conflict."""

    reason = StringField(_l("Why it is withdrawn"), [Optional(), Length(max=500)])
