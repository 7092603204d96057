"""Messages in both languages at once: an API client reads Chinese and English side by side.

Every message is an English msgid of the Flask-Babel catalog, rendered once per language whatever
the request's locale. marshmallow's validation messages are English text with values already
filled in ("Length must be between 1 and 100."); :func:`field_message` matches them against the
templates below to look the template up in the catalog and fill the values in again.
"""

from __future__ import annotations

import re

from flask_babel import force_locale, gettext

LANGUAGES = ("zh", "en")
"""The languages of every API message, in the order of the error document."""


def N_(message: str) -> str:  # noqa: N802 - the name pybabel extracts by default
    """Mark ``message`` for the catalog without translating it now."""
    return message


VALIDATION_TEMPLATES = (
    # marshmallow's own messages, for the fields and validators the API's schemas use.
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Unknown field."),
    N_("Invalid input type."),
    N_("Invalid type."),
    N_("Not a valid string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Not a valid boolean."),
    N_("Not a valid list."),
    N_("Not a valid mapping type."),
    N_("Must be one of: {choices}."),
    N_("Length must be between {min} and {max}."),
    N_("Longer than maximum length {max}."),
    N_("Shorter than minimum length {min}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    # webargs', for a body that is not JSON at all.
    N_("Invalid JSON body."),
)


def bilingual(msgid: str, **values: object) -> dict[str, str]:
    """``msgid`` (with ``%(name)s`` placeholders filled from ``values``) in every language."""
    rendered = {}
    for language in LANGUAGES:
        with force_locale(language):
            rendered[language] = gettext(msgid, **values)
    return rendered


def field_message(text: str) -> dict[str, str]:
    """A validation message, as marshmallow wrote it in English, in every language.

    A message matching none of :data:`VALIDATION_TEMPLATES` is looked up as it is (our own
    schemas' messages are msgids), and shown untranslated when the catalog lacks it.
    """
    for template, pattern in _PATTERNS:
        matched = pattern.fullmatch(text)
        if matched:
            rendered = {}
            for language in LANGUAGES:
                with force_locale(language):
                    rendered[language] = gettext(template).format(**matched.groupdict())
            return rendered
    return bilingual(text)


def _pattern(template: str) -> re.Pattern[str]:
    # "Longer than maximum length {max}." → r"Longer\ than\ maximum\ length\ (?P<max>.+?)\."
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
                              for i, part in enumerate(parts)))


_PATTERNS = tuple((template, _pattern(template)) for template in VALIDATION_TEMPLATES)
