"""The HTML forms of the advance notice and of an inspector's own online verification. The rules
(the notice ban, dates, the fields a form has) are the services', whose refusals are bilingual;
the checklist forms themselves are built from the plugins' definitions (:mod:`.forms`)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from spotcheck.inspection.models import NOTICE_CHANNELS
from spotcheck.inspection.notice import MESSAGE_MAX, RECIPIENT_MAX
from spotcheck.inspection.online import NOTE_MAX


class NoticeForm(FlaskForm):
    """How, when and to whom the target was told, of which visit and items."""

    channel = RadioField(_l("How"), [InputRequired()], choices=[])
    recipient = StringField(_l("To whom"), [InputRequired(), Length(max=RECIPIENT_MAX)],
                            description=_l("The contact told, with the telephone or fax number; for an "
                                           "e-mail, the address it is sent to."))
    notified_at = DateTimeLocalField(_l("When the target was told"), [Optional()], format="%Y-%m-%dT%H:%M",
                                     description=_l("For a telephone call or a fax; empty means now. An "
                                                    "e-mail is sent now."))
    visit_on = DateField(_l("Day of the visit"), [InputRequired()])
    items = SelectMultipleField(_l("Items announced"), coerce=int, choices=[])
    message = TextAreaField(_l("Message to the target"), [Optional(), Length(max=MESSAGE_MAX)],
                            description=_l("Added to the e-mail, e.g. the documents to have ready."))

    def __init__(self, *args: Any, item_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channel.choices = [(code, str(label)) for code, label in NOTICE_CHANNELS.items()]
        self.items.choices = [(item_id, str(item_id)) for item_id in item_ids]


class OnlineVerifyForm(FlaskForm):
    """The questions of one item's checklist an inspector verified online, and how."""

    questions = SelectMultipleField(_l("Questions verified online"), choices=[],
                                    widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    note = TextAreaField(_l("Where and what was checked"), [InputRequired(), Length(max=NOTE_MAX)])

    def __init__(self, *args: Any, questions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions.choices = questions
