"""The HTML forms of the item lists: the filter above a list, and the local adjustments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from spotcheck.registry.items.vocabulary import METHOD_LABELS, TARGET_KIND_LABELS


class ItemFilterForm(FlaskForm):
    """The filter above an item list (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    department = SelectField(_l("Department"), [Optional()], choices=[])
    target_kind = SelectField(_l("Target kind"), [Optional()], choices=[])
    method = SelectField(_l("Check method"), [Optional()], choices=[])
    key_item = SelectField(_l("Key item"), [Optional()], choices=[])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.target_kind.choices = [("", _l("Any target kind")),
                                    *((k, label) for k, label in TARGET_KIND_LABELS.items())]
        self.method.choices = [("", _l("Any method")), *METHOD_LABELS.items()]
        self.key_item.choices = [("", _l("Key and routine items")), ("yes", _l("Key items only")),
                                 ("no", _l("Routine items only"))]


class LocalTextForm(FlaskForm):
    """The department's own name and note for an item; blank fields fall back to the plugin's."""

    name_zh = StringField(_l("Local name (Chinese)"), [Optional(), Length(max=200)])
    name_en = StringField(_l("Local name (English)"), [Optional(), Length(max=200)])
    note = TextAreaField(_l("Local note"), [Optional(), Length(max=2000)],
                         description=_l("For example how the department applies the item locally."))


class EnabledForm(FlaskForm):
    """Disable or enable an item (the button says which)."""

    enabled = HiddenField(validators=[InputRequired(), AnyOf(["0", "1"])])
