"""Writing rows as CSV or Excel for download, streamed, every cell defused against formula
injection (OWASP "CSV injection"): a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return gets a ``'`` in front, in CSV and in Excel alike, so no spreadsheet runs it. The importer
takes that ``'`` off again (:func:`spotcheck.registry.importing.readers.clean_cell`), so an export
imports back unchanged.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any
from urllib.parse import quote

from flask import Response, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from spotcheck.web.csvexport import csv_lines, escape_formula

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SPOOL = 8 << 20


def xlsx_file(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> IO[bytes]:
    """An Excel workbook of ``rows``, written row by row (openpyxl's write-only mode) into a
    temporary file that spills to disk past a few megabytes, rewound for reading."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=escape_formula(title))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([escape_formula(value) for value in row])
    output = tempfile.SpooledTemporaryFile(max_size=_SPOOL)
    workbook.save(output)
    output.seek(0)
    return output


def download(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], file_format: str,
             sheet_title: str) -> Response:
    """A streamed download of ``rows``: CSV (UTF-8 with BOM) or Excel."""
    if file_format == "csv":
        body: Iterator[Any] = csv_lines(header, rows)
        response = Response(stream_with_context(body), content_type="text/csv; charset=utf-8")
    else:
        response = Response(_chunks(xlsx_file(sheet_title, header, rows)), mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response.headers["Cache-Control"] = "no-store"
    return response


def _chunks(file: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := file.read(1 << 16):
            yield chunk
    finally:
        file.close()
