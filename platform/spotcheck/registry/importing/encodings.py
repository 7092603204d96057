"""Which text encoding a CSV file is in, and its lines decoded strictly.

Offices save CSV files from Excel and WPS in three encodings: UTF-8 ("CSV UTF-8"), UTF-8 with a
byte-order mark, and the Chinese national encodings GBK / GB18030 (what Excel writes for plain
"CSV" on a Chinese Windows). Detection: a byte-order mark says UTF-8; otherwise the whole file is
decoded as strict UTF-8, and if any byte sequence is not UTF-8 the file is taken as GB18030 (a
superset of GBK and GB2312). Real Chinese text in GBK is practically never valid UTF-8, so this
does not guess wrong in practice; the user can still force an encoding.

Decoding is strict everywhere: a byte sequence the encoding cannot decode stops the import with
the line it is on, instead of importing mojibake.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

from spotcheck.api.i18n import N_
from spotcheck.registry.importing.report import FileProblem, Problem, problem

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
GB18030 = "gb18030"

ENCODING_NAMES = {
    "utf-8": UTF8, "utf8": UTF8,
    "utf-8-sig": UTF8_BOM, "utf8-sig": UTF8_BOM, "utf-8-bom": UTF8_BOM,
    # GB18030 decodes everything GBK and GB2312 encode, the same way: one decoder serves all three.
    "gb18030": GB18030, "gbk": GB18030, "gb2312": GB18030, "cp936": GB18030,
}
"""The encodings accepted (``--encoding``), by the names people use, to the codec used."""

CHOICES = ("utf-8", "utf-8-sig", "gb18030", "gbk")
"""The names offered in the user interface and the command line's help."""

_CHUNK = 1 << 20
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

UNKNOWN_ENCODING = N_("Unknown encoding %(encoding)s: use UTF-8, UTF-8 with BOM, GBK or GB18030.")
UTF16 = N_("The file is in UTF-16 (Excel's \"Unicode text\"). Save it as \"CSV UTF-8\" or as an "
           "Excel workbook (.xlsx) and import it again.")
NOT_UTF8 = N_("Line %(line)d is not valid UTF-8 text: the file was probably saved in another "
              "encoding, such as GBK. Save it as \"CSV UTF-8\", or import it with the encoding "
              "GB18030 (GBK).")
NOT_DECODABLE = N_("Line %(line)d is not valid %(encoding)s text. Check that the file is a CSV "
                   "file, and which encoding it was saved in.")
NEITHER = N_("Line %(line)d is neither UTF-8 nor GB18030 (GBK) text. Check that the file is a CSV "
             "file, and save it as \"CSV UTF-8\".")


def codec_for(name: str) -> str:
    """The codec for an encoding name a user gave; :class:`FileProblem` for one not accepted."""
    codec = ENCODING_NAMES.get(name.strip().lower().replace("_", "-"))
    if codec is None:
        raise FileProblem(problem("unknown_encoding", UNKNOWN_ENCODING, encoding=name))
    return codec


def detect(stream: BinaryIO) -> str:
    """The codec of a CSV file: BOM, else strict UTF-8 over the whole stream, else GB18030.

    Reads the stream to the end (in chunks, so memory stays flat) and rewinds it.
    """
    start = stream.read(4)
    stream.seek(0)
    if start.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if start.startswith(_UTF16_BOMS):
        raise FileProblem(problem("utf16", UTF16))
    decoder = codecs.getincrementaldecoder(UTF8)("strict")
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return GB18030
    finally:
        stream.seek(0)
    return UTF8


def decoded_lines(stream: BinaryIO, codec: str, detected: bool) -> Iterator[str]:
    """The lines of ``stream`` decoded with ``codec``, line ends kept (as :mod:`csv` wants them).

    Splitting the bytes at ``\\n`` before decoding is safe for every accepted encoding: neither
    UTF-8 nor GB18030 uses that byte inside a multi-byte character. ``detected`` says whether
    the codec was guessed (the message then says both encodings were tried).
    """
    for number, raw in enumerate(stream, start=1):
        try:
            text = raw.decode(codec, "strict")
        except UnicodeDecodeError:
            raise FileProblem(_undecodable(number, codec, detected)) from None
        if number == 1 and codec == UTF8_BOM:
            text = text.removeprefix("\ufeff")
        yield text


def _undecodable(line: int, codec: str, detected: bool) -> Problem:
    if codec in (UTF8, UTF8_BOM):
        return problem("encoding", NOT_UTF8, line=line)
    if detected:
        return problem("encoding", NEITHER, line=line)
    return problem("encoding", NOT_DECODABLE, line=line, encoding=codec.upper())
