"""The HTML forms of work plans and batches; the values are checked by
:mod:`~spotcheck.planning.batches`, as the API's are."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, FieldList, FormField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, Optional

from spotcheck.registry.items.vocabulary import TARGET_KIND_LABELS

EMPTY_STRATUM_ROWS = 3
"""Blank rows the strata form offers for new strata."""


class BatchForm(FlaskForm):
    """A new batch: it starts from the credit-risk default strata, adjusted afterwards."""

    name = StringField(_l("Batch name"), [InputRequired(), Length(max=200)])
    window_start = DateField(_l("Window start"), [InputRequired()])
    window_end = DateField(_l("Window end"), [InputRequired()])
    kinds = SelectMultipleField(_l("Target kinds"), choices=[],
                                description=_l("None chosen means the plan's own scope."))
    areas = StringField(_l("Area codes"), [Optional(), Length(max=1000)],
                        description=_l("Codes separated by commas, inside the plan's; empty means the plan's own."))
    industries = StringField(_l("Industry codes"), [Optional(), Length(max=1000)],
                             description=_l("Codes separated by commas, inside the plan's; empty means the plan's own."))
    tags = StringField(_l("Tags"), [Optional(), Length(max=1000)],
                       description=_l("Tags separated by commas; empty means no tag condition."))
    coordination = TextAreaField(_l("Coordination notes"), [Optional(), Length(max=4000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds.choices = [(k, str(label)) for k, label in TARGET_KIND_LABELS.items()]

    def raw(self) -> dict[str, Any]:
        """The form's input for :func:`~spotcheck.planning.batches.validate_batch`."""
        return {name: self[name].data for name in (
            "name", "window_start", "window_end", "kinds", "areas", "industries", "tags",
            "coordination")}


class StratumRowForm(FlaskForm):
    """One stratum: key, selector lists (comma separated) and quota rule."""

    class Meta:
        csrf = False

    key = StringField(_l("Key"), [Optional(), Length(max=200)])
    credit_classes = StringField(_l("Credit classes"), [Optional(), Length(max=100)])
    risk_levels = StringField(_l("Risk levels"), [Optional(), Length(max=100)])
    kinds = StringField(_l("Target kinds"), [Optional(), Length(max=200)])
    areas = StringField(_l("Area codes"), [Optional(), Length(max=1000)])
    industries = StringField(_l("Industry codes"), [Optional(), Length(max=1000)])
    ratio_bp = StringField(_l("Ratio (basis points)"), [Optional(), Length(max=6)])
    min = StringField(_l("Minimum"), [Optional(), Length(max=9)])
    count = StringField(_l("Count"), [Optional(), Length(max=9)])

    SELECTORS = ("credit_classes", "risk_levels", "kinds", "areas", "industries")

    def raw(self) -> dict[str, Any]:
        """The row as :func:`~spotcheck.planning.batches.validate_strata` takes it."""
        return {"key": self.key.data, "selector": {name: self[name].data for name in self.SELECTORS},
                "ratio_bp": self.ratio_bp.data, "min": self.min.data, "count": self.count.data}

    def is_blank(self) -> bool:
        return not any((self[name].data or "").strip() for name in self._fields)


class StrataForm(FlaskForm):
    """The strata of a batch; blank rows are ignored."""

    rows = FieldList(FormField(StratumRowForm), min_entries=0)
