"""Characters no value of the directories may hold: control characters and invisible formatting ones.

A NUL byte cannot be stored in a PostgreSQL text column at all (the whole import would fail); a
right-to-left override (U+202E) makes a name read differently from what it is ("正常公司\u202egpj.exe"
shows as "正常公司exe.jpg") on every page and in the public portal; zero-width spaces make two
codes or names that look the same compare different. Such a value is refused with its code point
named, rather than cleaned silently: the department's own records should be corrected too.
Tabs and line breaks inside a value are ordinary text and stay allowed.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Mapping
from functools import cache

from spotcheck.registry.errors import FieldError

ALLOWED_CONTROLS = frozenset("\t\n\r")
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
"""Controls, formatting characters (bidirectional overrides, zero-width spaces, byte-order
marks, soft hyphens) and lone surrogates. Private-use characters (Co) are kept: older systems
encode rare characters of personal and place names there."""


@cache
def _refused() -> re.Pattern[str]:
    # One regular expression, built once from this Python's Unicode tables: a value is checked
    # in C, which the import of a million rows needs.
    ranges: list[list[int]] = []
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        if unicodedata.category(char) in REFUSED_CATEGORIES and char not in ALLOWED_CONTROLS:
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1][1] = point
            else:
                ranges.append([point, point])
    return re.compile("[" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges) + "]")


def invisible_character(text: str) -> str | None:
    """The first character of ``text`` no value may hold, or ``None``."""
    found = _refused().search(text)
    return found.group() if found else None


def invisible_character_errors(values: Mapping[str, str]) -> list[FieldError]:
    """A :class:`FieldError` for each value holding a character :func:`invisible_character` finds."""
    if "".join(values.values()).isprintable():
        # Every refused character is unprintable: the usual clean row costs one pass in C.
        return []
    errors = []
    for field, text in values.items():
        char = invisible_character(text)
        if char is not None:
            point = f"U+{ord(char):04X}"
            errors.append(FieldError(field, "invisible_character",
                                     f"含有不可见的控制字符（{point}），请删除后重新输入",
                                     f"holds an invisible control character ({point}): delete it and "
                                     "type the value again"))
    return errors
