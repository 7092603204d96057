"""Column headers: Chinese as in the templates, English aliases accepted, order free.

Each directory declares its columns (:class:`Column`): the field key its validator reads (which is
also the English alias), the Chinese header of the template, other names people write, and
whether the column must be present. :meth:`Columns.resolve` matches a file's header row against
them, forgiving what people change without meaning anything (full-width letters, spaces, a ``*``
marking a required column, ``（必填）``), and reports every problem at once: required columns
missing, columns it does not know (suggesting the nearest known header), and two columns naming
the same field.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from spotcheck.api.i18n import N_
from spotcheck.registry.importing.readers import column_letter
from spotcheck.registry.importing.report import FileProblem, Problem, problem

MISSING = N_("The required column %(header)s (%(key)s) is missing.")
UNKNOWN = N_("Column %(letter)s, “%(header)s”, is not a column of this template.")
UNKNOWN_SUGGEST = N_("Column %(letter)s, “%(header)s”, is not a column of this template: did you "
                     "mean “%(suggestion)s”?")
DUPLICATE = N_("Columns %(first)s and %(second)s both give %(header)s (%(key)s): keep one of them.")
GARBLED = N_("None of the headers is known: if they look garbled, the file's encoding is not "
             "%(encoding)s. Import it again with the right encoding, or without choosing one.")
ACCEPTED = N_("The columns of this template are: %(headers)s.")

_IGNORED = re.compile(r"[\s_\-*＊]|[(（]必填[)）]|[(（]required[)）]")


def normalise(header: str) -> str:
    """A header as it is compared: NFKC (full-width to half-width), lower case, without blanks,
    ``_``, ``-``, ``*`` and required-markers."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", header).lower())


@dataclass(frozen=True)
class Column:
    """One column of a directory's import template."""

    field: str
    header: str
    label_en: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    hint: str = ""
    """What to write in the column, in Chinese (shown as a comment on the template's header)."""
    width: int = 16


@dataclass(frozen=True)
class ResolvedHeader:
    """Which cell of a row holds which field, with the header as the file writes it."""

    positions: tuple[tuple[int, str, str], ...]
    """``(cell index, field, header as written)`` per known column."""
    unlabelled: frozenset[int]
    """Indexes of cells without a header (ignored; a value there is reported)."""

    def header_of(self, field: str) -> str:
        """The header the file uses for ``field``."""
        for _index, known, written in self.positions:
            if known == field:
                return written
        return field


class Columns:
    """The columns of one directory's template, in template order."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = tuple(columns)
        self.by_field = {column.field: column for column in self.columns}
        self._lookup: dict[str, Column] = {}
        for column in self.columns:
            for name in (column.header, column.field, column.label_en, *column.aliases):
                self._lookup[normalise(name)] = column

    @property
    def fields(self) -> list[str]:
        return [column.field for column in self.columns]

    def resolve(self, header: Sequence[str], column_offset: int = 0,
                encoding: str | None = None) -> ResolvedHeader:
        """Match a file's header row; :class:`FileProblem` listing every problem if it does not
        fit. ``column_offset`` is the 0-based column of the first cell (Excel sheets may start
        further right); ``encoding`` a forced encoding, named when nothing matches."""
        problems: list[Problem] = []
        positions: list[tuple[int, str, str]] = []
        seen: dict[str, int] = {}
        unlabelled = set()
        unknown = 0
        for index, cell in enumerate(header):
            written = cell.strip()
            letter = column_letter(column_offset + index)
            if not written:
                unlabelled.add(index)
                continue
            column = self._lookup.get(normalise(written))
            if column is None:
                unknown += 1
                problems.append(self._unknown(letter, written))
                continue
            if column.field in seen:
                problems.append(problem("duplicate_header", DUPLICATE, column=written,
                                        field=column.field, key=column.field,
                                        first=column_letter(column_offset + seen[column.field]),
                                        second=letter, header=column.header))
                continue
            seen[column.field] = index
            positions.append((index, column.field, written))
        for column in self.columns:
            if column.required and column.field not in seen:
                problems.append(problem("missing_header", MISSING, field=column.field,
                                        key=column.field, header=column.header))
        if problems:
            if unknown and not positions and encoding:
                problems.append(problem("garbled_header", GARBLED, encoding=encoding.upper()))
            if unknown:
                problems.append(problem("accepted_headers", ACCEPTED, headers="、".join(
                    f"{c.header}（{c.field}）" for c in self.columns)))
            raise FileProblem(problems)
        return ResolvedHeader(tuple(positions), frozenset(unlabelled))

    def _unknown(self, letter: str, written: str) -> Problem:
        names = {normalise(c.header): c.header for c in self.columns}
        names.update({normalise(c.field): c.field for c in self.columns})
        close = difflib.get_close_matches(normalise(written), list(names), n=1, cutoff=0.6)
        if close:
            return problem("unknown_header", UNKNOWN_SUGGEST, column=written, letter=letter,
                           header=written, suggestion=names[close[0]])
        return problem("unknown_header", UNKNOWN, column=written, letter=letter, header=written)
