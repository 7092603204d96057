"""``/api/v1/public``: the published results as open data, for anyone, without a token.

The only API endpoints that need no token: they read the public tables alone (what the portal
shows), so there is nobody to authenticate and nothing private to scope. A page holds up to
``limit`` results in id order; ``next`` links the page after it (the filters kept), ``null`` once
the results run out.
"""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import Response, jsonify, url_for
from flask.views import MethodView

from spotcheck.api.blueprint import API_PREFIX, ApiParser
from spotcheck.db import session
from spotcheck.publication import opendata
from spotcheck.publication.schemas import OpenDataQuerySchema, PublicResultsPageSchema

PUBLIC = {"security": []}
"""The OpenAPI override of these operations: no token."""


class PublicApiBlueprint(flask_smorest.Blueprint):
    """Endpoints under :data:`API_PREFIX` that anyone may call (no ``before_request`` asks for a
    token), with the API's bilingual field errors."""

    ARGUMENTS_PARSER = ApiParser()

    def __init__(self, name: str, import_name: str, **kwargs: Any) -> None:
        super().__init__(name, import_name, url_prefix=API_PREFIX, **kwargs)


blp = PublicApiBlueprint("api_public", __name__,
                         description="Open data, without a token: the published results of the "
                                     "spot checks (the public portal's data).")


def filters_from(query: dict[str, Any]) -> opendata.Filters:
    """The open-data filters of a validated query."""
    return opendata.Filters(year=query.get("year"), department=query.get("department"),
                            area=query.get("area"), category=query.get("category"),
                            updated_since=query.get("updated_since"), target=query.get("target"),
                            after=query.get("after"))


@blp.route("/public/results")
class PublicResults(MethodView):
    @blp.doc(**PUBLIC)
    @blp.arguments(OpenDataQuerySchema, location="query")
    @blp.response(200, PublicResultsPageSchema)
    def get(self, query: dict[str, Any]) -> Response:
        """Published results

        The published results of the spot checks, filtered by the year of the check, a
        department that took part, an area, the result category, the target or the time of the
        last change (``updated_since``, to fetch only what changed), in id order. Follow ``next``
        for the next page. Targets' names are published as the law allows: an individual
        business's operator masked; no inspector and no personal data appear.
        """
        filters = filters_from(query)
        rows = opendata.page(session, filters, query["limit"])
        names = opendata.labels()
        following = None
        if len(rows) == query["limit"]:
            following = url_for(".PublicResults", after=rows[-1].id, limit=query["limit"],
                                **filters.query_args())
        return jsonify({"results": [opendata.document(row, names) for row in rows], "next": following})
