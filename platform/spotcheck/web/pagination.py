"""Paginated queries for list pages (rendered by the ``pagination`` macro of ``_macros.html``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

WINDOW = 2
"""How many page numbers to show either side of the current one."""


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, its number (from 1) and how many rows there are in all."""

    items: Sequence[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def window(self) -> list[int | None]:
        """The page numbers to link: the first, the last and those near this one; ``None`` marks
        a gap."""
        wanted = {1, self.pages, *range(self.number - WINDOW, self.number + WINDOW + 1)}
        numbers: list[int | None] = []
        previous = 0
        for n in sorted(n for n in wanted if 1 <= n <= self.pages):
            if n - previous > 1:
                numbers.append(None)
            numbers.append(n)
            previous = n
        return numbers


def paginate(db_session: Session, statement: Select[Any], number: int, per_page: int) -> Page[Any]:
    """Page ``number`` of ``statement``'s rows (ORM entities when it selects one).

    A page number past the end gives the last page, so a stale link still shows something.
    """
    total = db_session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    total = total or 0
    last = max(1, -(-total // per_page))
    number = min(max(1, number), last)
    items = db_session.scalars(statement.limit(per_page).offset((number - 1) * per_page)).all()
    return Page(items=items, number=number, per_page=per_page, total=total)
