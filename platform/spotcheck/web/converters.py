"""URL converters shared by every page and API route."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

DATABASE_INTEGER_MAX = 2**31 - 1
"""The largest value of an INTEGER column on PostgreSQL; SQLite's limit is larger."""


class IdConverter(IntegerConverter):
    """``<int:…>`` up to :data:`DATABASE_INTEGER_MAX`.

    A larger number names no row, so its URL does not match and answers 404, rather than reaching
    the database driver, which cannot bind it (``OverflowError`` on SQLite). The bound also
    appears as the path parameter's ``maximum`` in the OpenAPI document.
    """

    def __init__(self, map: Map, *args: Any, max: int | None = DATABASE_INTEGER_MAX,
                 **kwargs: Any) -> None:
        super().__init__(map, *args, max=max, **kwargs)


def install(app: Flask) -> None:
    """Make ``<int:…>`` mean :class:`IdConverter` in ``app``; call before any blueprint is registered."""
    app.url_map.converters["int"] = IdConverter
