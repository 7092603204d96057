"""The downloadable import templates (``.xlsx``, written with openpyxl): Chinese headers, a note
under each header saying what to write, required columns marked, and drop-down lists (data
validation) for the columns with a fixed vocabulary — target kind, area, registration status,
risk level and credit class; inspector level and status; expert kind and status.

The lists live on a hidden sheet (``选项``) rather than inline: Excel limits an inline list to
255 characters, and the district's areas are longer than that.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session

from spotcheck.registry.areas import area_tree
from spotcheck.registry.exporting.directories import (
    EXPERT_KIND_NAMES,
    EXPERT_STATUS_NAMES,
    INSPECTOR_STATUS_NAMES,
    LEVEL_NAMES,
)
from spotcheck.registry.importing.engine import adapter_for
from spotcheck.registry.importing.headers import Columns
from spotcheck.registry.targets.codes import CREDIT_CLASSES, KINDS, RISK_LEVELS, STATUSES

SHEET_TITLES = {"targets": "检查对象", "inspectors": "执法检查人员", "experts": "专家库"}
OPTIONS_SHEET = "选项"
ROWS_WITH_LISTS = 10_000
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def choices_for(db_session: Session, kind: str) -> dict[str, Sequence[str]]:
    """Field → the words its drop-down list offers, for the template of ``kind``."""
    if kind == "targets":
        areas = [path for top, children in area_tree(db_session)
                 for path in (top.path, *(child.path for child in children))]
        return {"kind": [term.zh for term in KINDS.values()], "area": areas,
                "status": [term.zh for term in STATUSES.values()],
                "risk_level": [term.zh for term in RISK_LEVELS.values()],
                "credit_class": list(CREDIT_CLASSES)}
    if kind == "inspectors":
        return {"level": list(dict.fromkeys(LEVEL_NAMES.values())),
                "status": list(INSPECTOR_STATUS_NAMES.values())}
    return {"kind": list(EXPERT_KIND_NAMES.values()), "status": list(EXPERT_STATUS_NAMES.values())}


def template_workbook(kind: str, choices: dict[str, Sequence[str]]) -> bytes:
    """The import template of ``kind`` as ``.xlsx`` bytes."""
    columns: Columns = adapter_for(kind).columns
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLES[kind]
    options = workbook.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    for position, column in enumerate(columns.columns, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        note = ("必填。" if column.required else "") + column.hint + f"（英文列名：{column.field}）"
        cell.comment = Comment(note, "spotcheck", width=300, height=120)
        sheet.column_dimensions[letter].width = column.width
        words = choices.get(column.field)
        if words:
            _drop_down(sheet, options, letter, position, words)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _drop_down(sheet: object, options: object, letter: str, position: int,
               words: Sequence[str]) -> None:
    for row, word in enumerate(words, start=1):
        options.cell(row=row, column=position, value=word)  # type: ignore[attr-defined]
    source = (f"{quote_sheetname(OPTIONS_SHEET)}!${letter}$1:${letter}${len(words)}")
    validation = DataValidation(type="list", formula1=source, allow_blank=True,
                                showErrorMessage=True, errorTitle="输入有误",
                                error="请从下拉列表中选择。")
    validation.add(f"{letter}2:{letter}{ROWS_WITH_LISTS + 1}")
    sheet.add_data_validation(validation)  # type: ignore[attr-defined]
