"""Writes the hostile import files of this folder (they are committed; run again to rebuild them).

    .venv/bin/python tests/security/corpus/make_corpus.py

Each file is what an attacker or a broken office tool could upload; ``CORPUS`` in
``tests/security/test_hostile_files.py`` says what the platform must answer to each.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from spotcheck.registry.importing.testing import TARGET_HEADER, csv_bytes, xlsx_bytes
from spotcheck.registry.targets.testing import credit_code

HERE = Path(__file__).resolve().parent
SHEET = "xl/worksheets/sheet1.xml"


def company(number: int, **fields: str) -> list[str]:
    """A valid target row in template order."""
    row = {"code": credit_code(number), "name": f"语料测试{number}有限公司", "kind": "公司",
           "legal_representative": "张三", "address": "西宁市城东区八一路1号",
           "area": "东关大街街道/北关社区", "industry": "5211", "status": "存续",
           "risk_level": "低", "credit_class": "A", "tags": ""}
    row.update(fields)
    return list(row.values())


def with_part(name: str, content: bytes, base: bytes | None = None) -> bytes:
    """A copy of a valid workbook (``base``) with part ``name`` replaced by ``content``."""
    source = zipfile.ZipFile(io.BytesIO(base or xlsx_bytes([company(1)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name else source.read(info))
    return out.getvalue()


def sheet_xml(cells: str, prologue: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prologue}'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f'<row r="1"><c r="A1" t="inlineStr"><is><t>{cells}</t></is></c></row>'
            '</sheetData></worksheet>').encode()


LAUGHS = "".join(f'<!ENTITY lol{n} "{("&lol%d;" % (n - 1)) * 10}">' for n in range(1, 10))

FILES: dict[str, bytes] = {
    # Excel
    "zip_bomb.xlsx": with_part(SHEET, sheet_xml(" " * (64 << 20))),
    "billion_laughs.xlsx": with_part(SHEET, sheet_xml(
        "&lol9;", f'<!DOCTYPE lolz [<!ENTITY lol0 "lol">{LAUGHS}]>')),
    "external_entity.xlsx": with_part(SHEET, sheet_xml(
        "&xxe;", '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')),
    "truncated.xlsx": xlsx_bytes([company(n) for n in range(1, 40)])[:2000],
    "not_a_zip.xlsx": b"PK\x03\x04" + b"\x00" * 200,
    "old_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
    "formula_cells.xlsx": xlsx_bytes([company(21, name="=HYPERLINK(\"http://evil.example\",\"点击\")"),
                                      company(22, name="+cmd|' /C calc'!A0"),
                                      company(23, name="@SUM(1+1)*cmd|' /C calc'!A0"),
                                      company(24, name="-2+3+cmd|' /C calc'!A0")]),
    # CSV
    "empty.csv": b"",
    "only_bom.csv": b"\xef\xbb\xbf",
    "invalid_utf8.csv": csv_bytes([company(1)]) + b"\xc3\x28\xa0\xa1,\xff\xfe\r\n",
    "utf16_without_bom.csv": csv_bytes([company(1)], encoding="utf-16-le"),
    "lone_surrogate.csv": csv_bytes([company(1, name="SURROGATE")]).replace(
        b"SURROGATE", "\ud800\udfff\udc00".encode("utf-8", "surrogatepass")),
    "nul_bytes.csv": csv_bytes([company(1)]).replace("语料".encode(), b"\x00\x00"),
    "huge_field.csv": csv_bytes([company(1, address="长" * 200_000)]),
    "unbalanced_quote.csv": csv_bytes([company(1)]) + b'"' + b"x," * 5000 + b"\r\n",
    "many_columns.csv": csv_bytes([company(1) + ["x"] * 20_000], header=[*TARGET_HEADER, *(
        f"列{n}" for n in range(20_000))]),
    "lone_cr.csv": csv_bytes([company(1), company(2)]).replace(b"\r\n", b"\r"),
    "formula_cells.csv": csv_bytes([company(31, name="=1+2", address="@SUM(A1)"),
                                    company(32, name="+1+2", address="-3-4"),
                                    company(33, name="\t=cmd", address="\r=cmd")]),
    "bidi_and_invisible.csv": csv_bytes([
        company(41, name="正常公司\u202egpj.exe"),         # right-to-left override
        company(42, name="隐\u200b形\u200d字\ufeff符有限公司"),  # zero-width space, joiner, BOM
        company(43, code="\uff19\uff11" + credit_code(43)[2:]),  # full-width digits in the code
        company(44, code=credit_code(44)[:5] + "\u200b" + credit_code(44)[5:]),
        company(45, name="e\u0301\u0301\u0301公司", address="ｆｕｌｌ－ｗｉｄｔｈ　地址"),
    ]),
}


def main() -> None:
    for name, content in FILES.items():
        (HERE / name).write_bytes(content)
        print(f"{name}: {len(content)} bytes")


if __name__ == "__main__":
    main()
