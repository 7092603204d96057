"""The national industry classification GB/T 4754-2017 (国民经济行业分类), as shipped in
``data/gb4754-2017.json``: its 20 sections (门类, A–T), its 97 divisions (大类, two digits) and, for
the divisions of sections F and H, their groups (中类, three digits).

A target's industry code is valid when it is a known section letter (``H``) or two to four digits
whose first two name a known division (``62``, ``621``, ``6210``). Groups and classes are not
checked beyond their division: the file ships only the groups we could verify, and an unknown
group inside a known division is far more likely a finer code we do not list than a typo.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sqlalchemy import ColumnElement, and_, or_

DATA_FILE = "gb4754-2017.json"
_DIGITS = re.compile(r"[0-9]{2,4}")


@dataclass(frozen=True)
class Industry:
    """A section, division or group of the classification."""

    code: str
    name: str
    section: str


@dataclass(frozen=True)
class Classification:
    """The whole classification, indexed for lookups."""

    sections: tuple[Industry, ...]
    by_code: dict[str, Industry]
    divisions_of: dict[str, tuple[str, ...]]

    def is_valid(self, code: str) -> bool:
        """Whether ``code`` is a known section letter or 2–4 digits within a known division."""
        if code in self.divisions_of:
            return True
        return bool(_DIGITS.fullmatch(code)) and code[:2] in self.by_code

    def describe(self, code: str | None) -> str:
        """``code`` with the name of the most precise level shipped: ``6210 正餐服务``."""
        if not code:
            return ""
        for length in (len(code), 3, 2):
            known = self.by_code.get(code[:length])
            if known is not None:
                return f"{code} {known.name}"
        return code

    def section_of(self, code: str) -> str | None:
        """The section letter a valid code belongs to."""
        known = self.by_code.get(code) or self.by_code.get(code[:2])
        return known.section if known else None


@cache
def classification() -> Classification:
    """The classification, read once from the data file shipped with the package."""
    raw = json.loads(resources.files("spotcheck.registry").joinpath("data", DATA_FILE)
                     .read_text(encoding="utf-8"))
    by_code: dict[str, Industry] = {}
    sections = []
    divisions_of: dict[str, tuple[str, ...]] = {}
    for section in raw["sections"]:
        item = Industry(section["code"], section["name"], section["code"])
        sections.append(item)
        by_code[item.code] = item
        divisions_of[item.code] = tuple(d["code"] for d in section["divisions"])
        for division in section["divisions"]:
            by_code[division["code"]] = Industry(division["code"], division["name"], item.code)
    for group in raw["groups"]:
        by_code[group["code"]] = Industry(group["code"], group["name"], by_code[group["code"][:2]].section)
    return Classification(tuple(sections), by_code, divisions_of)


def industry_filter(column: ColumnElement[str], code: str) -> ColumnElement[bool]:
    """SQL: ``column`` lies within ``code`` — a section (its letter or any code of its divisions,
    which are numbered consecutively) or a numeric prefix. Both are ranges on an index."""
    divisions = classification().divisions_of.get(code)
    if divisions:
        upper = f"{int(divisions[-1]) + 1:02d}"
        return or_(column == code, and_(column >= divisions[0], column < upper))
    return and_(column >= code, column < code[:-1] + chr(ord(code[-1]) + 1))
