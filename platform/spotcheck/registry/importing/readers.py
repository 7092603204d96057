"""Row readers for the files departments import: CSV (streamed line by line) and Excel ``.xlsx``.

:func:`open_table` looks at the file's first bytes (not its name) to tell an Excel workbook from
a CSV file, and returns a :class:`Table`: the header row and an iterator of data rows, each with
its row number as the user sees it in Excel or a text editor (the header is row 1 when the file
starts with it). Blank rows are skipped but still counted, so the numbers stay right.

Excel files are checked before ``python-calamine`` opens them (:func:`check_workbook`): declared
sizes and compression ratios against the limits, then every part inflated here, in a bounded
stream, to prove the sizes are true and no part carries a document type declaration. Only then
does calamine read the first worksheet; it holds that sheet's cells while the rows are yielded,
which the uncompressed-size limit bounds.
"""

from __future__ import annotations

import csv
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, BinaryIO

import python_calamine

from spotcheck.api.i18n import N_
from spotcheck.registry.importing import encodings
from spotcheck.registry.importing.report import FileProblem, problem

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
DELIMITERS = (",", "\t", ";")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
RATIO_FLOOR = 1 << 20
"""Parts smaller than this are not held to the compression-ratio limit: small XML parts of a
normal workbook compress very well, and cannot expand into much anyway."""

_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_INFLATE_STEP = 1 << 20
_DTD_MARKERS = (b"<!doctype", b"<!entity")

EMPTY = N_("The file is empty.")
NO_HEADER = N_("The file has no header row: its first row must name the columns.")
XLS = N_("This is an Excel 97–2003 workbook (.xls) or a password-protected workbook. Save it as "
         "an Excel workbook (.xlsx) without a password, or as \"CSV UTF-8\", and import it again.")
TOO_MANY_ROWS = N_("The file has more than %(limit)d rows. Split it into several files.")
CSV_BROKEN = N_("Row %(row)d cannot be read as CSV: %(reason)s")
NOT_A_WORKBOOK = N_("The Excel file is damaged or incomplete (perhaps cut short while uploading "
                    "or copying). Open it in Excel, save it again, and import the saved file.")
TOO_MANY_PARTS = N_("The Excel file has %(count)d parts, more than the %(limit)d allowed.")
TOO_LARGE_UNPACKED = N_("Unpacked, the Excel file would take %(size)s, more than the %(limit)s "
                        "allowed. Split it into several files.")
SUSPICIOUS_RATIO = N_("The Excel file's part %(part)s is compressed %(ratio)d times, more than the "
                      "%(limit)d allowed: it is not an ordinary workbook and was not opened.")
SIZE_LIE = N_("The Excel file's part %(part)s unpacks to more than the size it declares: it is "
              "not an ordinary workbook and was not opened.")
UNSUPPORTED_PART = N_("The Excel file's part %(part)s uses a compression Excel does not write: "
                      "save the workbook again in Excel.")
DTD = N_("The Excel file's part %(part)s contains a document type declaration, which Excel never "
         "writes: it was not opened.")
NO_SHEET = N_("The Excel file has no worksheet.")


@dataclass(frozen=True)
class Limits:
    """How much a file may hold (see ``docs/configuration.md``)."""

    max_bytes: int
    max_rows: int
    xlsx_max_uncompressed: int
    xlsx_max_ratio: int
    xlsx_max_parts: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        """The limits an app's configuration sets."""
        return cls(max_bytes=config["IMPORT_MAX_BYTES"], max_rows=config["IMPORT_MAX_ROWS"],
                   xlsx_max_uncompressed=config["XLSX_MAX_UNCOMPRESSED_BYTES"],
                   xlsx_max_ratio=config["XLSX_MAX_COMPRESSION_RATIO"],
                   xlsx_max_parts=config["XLSX_MAX_PARTS"])


@dataclass
class Table:
    """A file's header and its data rows, read lazily.

    ``rows`` yields ``(row number, cells)``; ``position`` tells how far reading has got, in the
    unit of ``size`` (bytes for CSV, rows for Excel), for progress bars.
    """

    format: str
    encoding: str | None
    header_row: int
    header: list[str]
    column_offset: int
    rows: Iterator[tuple[int, list[str]]]
    size: int
    position: Callable[[], int]


def open_table(stream: BinaryIO, limits: Limits, encoding: str | None = None) -> Table:
    """The header and rows of an uploaded file: Excel by its content, else CSV.

    ``encoding`` forces a CSV file's encoding (any name :func:`encodings.codec_for` accepts);
    without it the encoding is detected. Raises :class:`FileProblem` when the file cannot be
    read at all.
    """
    start = stream.read(8)
    stream.seek(0)
    if not start:
        raise FileProblem(problem("empty", EMPTY))
    if start.startswith(XLSX_MAGIC):
        return _workbook_table(stream, limits)
    if start.startswith(OLE_MAGIC):
        raise FileProblem(problem("xls", XLS))
    return _csv_table(stream, limits, encoding)


def records_table(records: Iterable[Mapping[str, Any]], fields: list[str]) -> Table:
    """A table over documents keyed by field name (a sync source's rows): record ``n`` is row ``n``."""
    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, record in enumerate(records, start=1):
            yield number, [cell_text(record.get(name)) for name in fields]

    return Table(format="records", encoding=None, header_row=0, header=list(fields),
                 column_offset=0, rows=rows(), size=0, position=lambda: 0)


def clean_cell(text: str) -> str:
    """A cell as the validators get it: surrounding blanks (also full-width and no-break spaces)
    removed, and the ``'`` our exports put before formula-like text taken off again."""
    text = text.strip(" \t\r\n\u3000\xa0")
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def cell_text(value: Any) -> str:
    """A spreadsheet value as the text a user typed: ``5211`` not ``5211.0``, dates ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def column_letter(index: int) -> str:
    """Excel's name of the column at 0-based ``index``: A, B, …, Z, AA…"""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# -- CSV ----------------------------------------------------------------------------------------

def _csv_table(stream: BinaryIO, limits: Limits, encoding: str | None) -> Table:
    size = stream.seek(0, 2)
    stream.seek(0)
    detected = encoding is None
    codec = encodings.detect(stream) if detected else encodings.codec_for(encoding or "")
    lines = encodings.decoded_lines(stream, codec, detected)
    first = next(lines, None)
    while first is not None and not first.strip():
        first = next(lines, None)
    if first is None:
        raise FileProblem(problem("no_header", NO_HEADER))
    delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","

    def chained() -> Iterator[str]:
        yield first
        yield from lines

    records = _numbered_records(csv.reader(chained(), delimiter=delimiter), limits.max_rows)
    header_row, header = next(records, (0, []))
    return Table(format="csv", encoding=codec, header_row=header_row, header=header,
                 column_offset=0, rows=records, size=size, position=_safe_tell(stream))


def _numbered_records(reader: Any, max_rows: int) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records with their row numbers (blank lines counted but not yielded)."""
    number = 0
    data_rows = -1  # the first non-blank record is the header
    try:
        for record in reader:
            number += 1
            if not any(cell.strip() for cell in record):
                continue
            data_rows += 1
            if data_rows > max_rows:
                raise FileProblem(problem("too_many_rows", TOO_MANY_ROWS, limit=max_rows))
            yield number, record
    except csv.Error as broken:
        raise FileProblem(problem("csv", CSV_BROKEN, row=number + 1, reason=str(broken))) from None


def _safe_tell(stream: BinaryIO) -> Callable[[], int]:
    def position() -> int:
        try:
            return stream.tell()
        except (OSError, ValueError):
            return 0
    return position


# -- Excel --------------------------------------------------------------------------------------

def _workbook_table(stream: BinaryIO, limits: Limits) -> Table:
    check_workbook(stream, limits)
    stream.seek(0)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(stream)
        if not workbook.sheet_names:
            raise FileProblem(problem("no_sheet", NO_SHEET))
        sheet = workbook.get_sheet_by_index(0)
    except FileProblem:
        raise
    except Exception:  # calamine's errors (ZipError, XmlError, CalamineError…) all mean damaged
        raise FileProblem(problem("corrupt", NOT_A_WORKBOOK)) from None
    # calamine yields every row from the sheet's first (blank ones too), and each row's cells
    # from the first column that holds data: row numbers are absolute, columns offset.
    _first_row, first_column = sheet.start or (0, 0)
    last_row = sheet.end[0] + 1 if sheet.end else 0
    if last_row - 1 > limits.max_rows:
        raise FileProblem(problem("too_many_rows", TOO_MANY_ROWS, limit=limits.max_rows))
    done = [0]

    def numbered() -> Iterator[tuple[int, list[str]]]:
        try:
            for index, values in enumerate(sheet.iter_rows()):
                done[0] = index + 1
                cells = [cell_text(value) for value in values]
                if any(cell.strip() for cell in cells):
                    yield index + 1, cells
        except Exception:
            raise FileProblem(problem("corrupt", NOT_A_WORKBOOK)) from None

    rows = numbered()
    header_row, header = next(rows, (0, []))
    if not header:
        raise FileProblem(problem("no_header", NO_HEADER))
    return Table(format="xlsx", encoding=None, header_row=header_row, header=header,
                 column_offset=first_column, rows=rows, size=last_row,
                 position=lambda: done[0])


def check_workbook(stream: BinaryIO, limits: Limits) -> None:
    """Refuse a workbook that is damaged, or built to exhaust the server (a zip bomb).

    Checks the zip directory's declared sizes and per-part compression ratios, then inflates
    every part in bounded steps to prove each unpacks to exactly its declared size (a zip can
    lie about sizes; whatever reads it afterwards then reads only what was checked), and that no
    XML part declares a DTD (entity-expansion attacks need one). Raises :class:`FileProblem`.
    """
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise FileProblem(problem("corrupt", NOT_A_WORKBOOK)) from None
    if len(parts) > limits.xlsx_max_parts:
        raise FileProblem(problem("too_many_parts", TOO_MANY_PARTS, count=len(parts),
                                  limit=limits.xlsx_max_parts))
    declared = sum(part.file_size for part in parts)
    if declared > limits.xlsx_max_uncompressed:
        raise FileProblem(problem("too_large_unpacked", TOO_LARGE_UNPACKED, size=_mb(declared),
                                  limit=_mb(limits.xlsx_max_uncompressed)))
    for part in parts:
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > limits.xlsx_max_ratio:
            raise FileProblem(problem("compression_ratio", SUSPICIOUS_RATIO, part=part.filename,
                                      ratio=ratio, limit=limits.xlsx_max_ratio))
    for part in parts:
        _inflate_checked(stream, part)


def _inflate_checked(stream: BinaryIO, part: zipfile.ZipInfo) -> None:
    stream.seek(part.header_offset)
    header = stream.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != XLSX_MAGIC:
        raise FileProblem(problem("corrupt", NOT_A_WORKBOOK))
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    stream.seek(part.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    remaining = part.compress_size
    if part.compress_type == zipfile.ZIP_STORED:
        chunks = _read_exactly(stream, remaining)
        produced = _scan(chunks, part)
    elif part.compress_type == zipfile.ZIP_DEFLATED:
        produced = _scan(_inflate(_read_exactly(stream, remaining), part), part)
    else:
        raise FileProblem(problem("compression", UNSUPPORTED_PART, part=part.filename))
    if produced != part.file_size:
        raise FileProblem(problem("corrupt", NOT_A_WORKBOOK))


def _read_exactly(stream: BinaryIO, count: int) -> Iterator[bytes]:
    while count > 0:
        chunk = stream.read(min(count, _INFLATE_STEP))
        if not chunk:
            raise FileProblem(problem("corrupt", NOT_A_WORKBOOK))
        count -= len(chunk)
        yield chunk


def _inflate(compressed: Iterator[bytes], part: zipfile.ZipInfo) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    try:
        for chunk in compressed:
            data = chunk
            while data:
                # Never more than one step past the declared size: a lying part stops here.
                out = inflater.decompress(data, _INFLATE_STEP)
                produced += len(out)
                if produced > part.file_size:
                    raise FileProblem(problem("size_lie", SIZE_LIE, part=part.filename))
                yield out
                data = inflater.unconsumed_tail
        tail = inflater.flush()
    except zlib.error:
        raise FileProblem(problem("corrupt", NOT_A_WORKBOOK)) from None
    if produced + len(tail) > part.file_size:
        raise FileProblem(problem("size_lie", SIZE_LIE, part=part.filename))
    if not inflater.eof:
        raise FileProblem(problem("corrupt", NOT_A_WORKBOOK))
    yield tail


def _scan(chunks: Iterator[bytes], part: zipfile.ZipInfo) -> int:
    """Consume ``chunks`` checking the CRC, and that an XML part declares no DTD; return the size."""
    size = 0
    crc = 0
    head = b""
    for chunk in chunks:
        if len(head) < 4096:
            head = (head + chunk[:4096]).lower()
            if part.filename.endswith((".xml", ".rels")) and any(m in head for m in _DTD_MARKERS):
                raise FileProblem(problem("dtd", DTD, part=part.filename))
        size += len(chunk)
        crc = zlib.crc32(chunk, crc)
    if crc != part.CRC:
        raise FileProblem(problem("corrupt", NOT_A_WORKBOOK))
    return size


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.0f} MB"
