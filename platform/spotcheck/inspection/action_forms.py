"""The HTML forms of the task pages: the work queue's filters and the leader's and the head's
actions. Each action form carries the task's ``version`` (optimistic locking); the rules
themselves are checked by the services, whose refusals are bilingual, as the API's are."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from spotcheck.inspection.models import NON_COOPERATION_LABELS, ResultCategory, TaskState


class TaskFilterForm(FlaskForm):
    """The filters of the work queue (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    state = SelectField(_l("State"), choices=[], validators=[Optional()])
    overdue = SelectField(_l("Overdue"), choices=[], validators=[Optional()])
    plan = IntegerField(_l("Plan id"), [Optional()])
    dispatched_from = DateField(_l("Dispatched from"), [Optional()])
    dispatched_to = DateField(_l("Dispatched until"), [Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state.choices = [("", _l("Any")), *((s.value, s.label) for s in TaskState)]
        self.overdue.choices = [("", _l("Any")), ("yes", _l("Overdue only")), ("no", _l("Not overdue"))]


class VersionedForm(FlaskForm):
    """An action on a task as the user last saw it: ``version`` makes a stale page a conflict."""

    version = HiddenField(validators=[InputRequired()])

    def read_version(self) -> int | None:
        """The version the page showed (``None`` when it is not a number)."""
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class ScheduleForm(VersionedForm):
    """The day of the visit and a note for the team."""

    scheduled_on = DateField(_l("Day of the visit"), [InputRequired()])
    note = TextAreaField(_l("Note for the team"), [Optional(), Length(max=1000)],
                         description=_l("For example the meeting point and time."))


class EndCheckForm(VersionedForm):
    """The day the check ended: the results are due seven working days later."""

    ended_on = DateField(_l("Day the check ended"), [InputRequired()],
                         description=_l("The results are due 7 working days later."))


class ResultForm(VersionedForm):
    """The task's result category and, for serious non-cooperation, the art. 18 situations."""

    category = SelectField(_l("Result category"), choices=[], validators=[InputRequired()])
    non_cooperation = SelectMultipleField(
        _l("Situations of serious non-cooperation (article 18)"), choices=[],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        description=_l("Required, one or more, when the category is serious non-cooperation; "
                       "otherwise leave them all unticked."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = [(c.value, c.label) for c in ResultCategory]
        self.non_cooperation.choices = [(code, str(label)) for code, label in NON_COOPERATION_LABELS.items()]


class ApproveForm(VersionedForm):
    """The head approves the results, with an optional note."""

    note = TextAreaField(_l("Note"), [Optional(), Length(max=2000)])


class ReturnForm(VersionedForm):
    """The head returns the results to the team, saying why."""

    reason = TextAreaField(_l("Why the results are returned"), [InputRequired(), Length(max=2000)],
                           description=_l("The team sees this on the task page."))
