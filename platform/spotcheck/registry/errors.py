"""What is wrong with one field of one row of user input, in Chinese and English.

Forms, the API and the bulk import all validate rows the same way and report the same errors: an
import names the row number beside each :class:`FieldError`, a form shows it under the field, the
API returns it in its error document. Keep this small and stable: other packages build on it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one field.

    ``field`` is the field's English key (``code``, ``name``, ``kind``, ``area``…, the same as the
    import template's English aliases); ``code`` a stable machine-readable reason (``required``,
    ``check_digit``, ``unknown_area``…) that tests and clients may match on; the messages say what
    is wrong and, where it helps, what would be right.
    """

    field: str
    code: str
    message_zh: str
    message_en: str

    def message(self, locale: str) -> str:
        """The message in ``locale`` (Chinese unless English is asked for)."""
        return self.message_en if locale.startswith("en") else self.message_zh

    def as_dict(self) -> dict[str, str]:
        """The error as a JSON object (the API's and the import report's shape)."""
        return {"field": self.field, "code": self.code, "message_zh": self.message_zh,
                "message_en": self.message_en}
