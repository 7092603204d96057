"""The HTML forms of the target directory. Field names are the keys of a raw row
(:data:`spotcheck.registry.targets.rows.FIELDS`), so one validation serves forms and imports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from spotcheck.registry.targets.codes import CREDIT_CLASSES, KINDS, RISK_LEVELS, STATUSES


def kind_choices(blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(code, str(term.label)) for code, term in KINDS.items()]
    return [("", blank), *choices] if blank else choices


def status_choices(blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(code, str(term.label)) for code, term in STATUSES.items()]
    return [("", blank), *choices] if blank else choices


def risk_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank), *((code, str(term.label)) for code, term in RISK_LEVELS.items())]


def credit_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank), *((c, c) for c in CREDIT_CLASSES)]


class TargetSearchForm(FlaskForm):
    """The filters above the directory (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or code"), [Optional(), Length(max=200)],
                    description=_l("The beginning of the name, or the whole code."))
    area = SelectField(_l("Area"), [Optional()])
    industry = StringField(_l("Industry code"), [Optional(), Length(max=4)],
                           description=_l("A section letter (H) or the first digits (62)."))
    kind = SelectField(_l("Target kind"), [Optional()])
    risk_level = SelectField(_l("Risk level"), [Optional()])
    credit_class = SelectField(_l("Credit class"), [Optional()])
    tag = StringField(_l("Tag"), [Optional(), Length(max=50)])
    status = SelectField(_l("Registration status"), [Optional()])


class TargetForm(FlaskForm):
    """Create or edit a target. Choices are set by the view; the rules are
    :func:`~spotcheck.registry.targets.rows.validate_target_row`'s."""

    kind = SelectField(_l("Target kind"), [InputRequired()])
    code = StringField(_l("Code"), [Optional(), Length(max=32)],
                       description=_l("The 18-character unified social credit code. Products, "
                                      "projects and behaviours get a platform code: leave it blank."))
    name = StringField(_l("Name"), [InputRequired(), Length(max=200)])
    legal_representative = StringField(_l("Legal representative"), [Optional(), Length(max=100)],
                                       description=_l("Personal data: masked in lists and history."))
    address = StringField(_l("Address"), [Optional(), Length(max=300)])
    area = SelectField(_l("Area"), [Optional()])
    industry = StringField(_l("Industry code"), [Optional(), Length(max=40)],
                           description=_l("GB/T 4754-2017: a section letter or 2–4 digits, e.g. 6210."),
                           render_kw={"list": "industry-codes", "autocomplete": "off"})
    status = SelectField(_l("Registration status"), [Optional()])
    credit_class = SelectField(_l("Credit class"), [Optional()])
    risk_level = SelectField(_l("Your risk level"), [Optional()])
    tags = StringField(_l("Your tags"), [Optional(), Length(max=500)],
                       description=_l("Separated by ； or ;"))
    version = HiddenField()


class SupervisionForm(FlaskForm):
    """This department's own view of a target it supervises."""

    risk_level = SelectField(_l("Risk level"), [Optional()])
    note = TextAreaField(_l("Note"), [Optional(), Length(max=2000)])


class TagForm(FlaskForm):
    tag = StringField(_l("Tag"), [InputRequired(), Length(max=50)])


class BulkTagForm(FlaskForm):
    # Not "tag": the filters travel with this form, and one of them is a tag too.
    new_tag = StringField(_l("Tag to add"), [InputRequired(), Length(max=50)])


class SuperviseForm(FlaskForm):
    """Start supervising a target already in the directory, found by its code."""

    code = StringField(_l("Code"), [InputRequired(), Length(max=32)],
                       description=_l("The unified social credit code, or the platform code."))
    risk_level = SelectField(_l("Your risk level"), [Optional()])
    confirm = HiddenField()

