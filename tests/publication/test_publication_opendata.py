"""Open data: CSV (UTF-8 with BOM) and JSON downloads, streamed; the public API without a token,
paginated and filtered; the national export; every format valid against its JSON Schema."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta, timezone
from functools import cache
from importlib.resources import files
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from sqlalchemy import select, update

from spotcheck.inspection.models import ResultCategory
from spotcheck.publication import opendata
from spotcheck.publication.models import Publication
from spotcheck.publication.testing import make_publication, make_reviewed_tasks
from spotcheck.registry.areas import Area
from spotcheck.tenancy.scope import Scope, scoped

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ("open-data-result", "open-data-results", "open-data-result-csv", "national-disclosure")


@cache
def validator(name: str) -> Draft202012Validator:
    documents = {n: json.loads((ROOT / "schemas" / f"{n}.schema.json").read_text(encoding="utf-8")) for n in SCHEMAS}
    registry = Registry().with_resources((d["$id"], Resource.from_contents(d)) for d in documents.values())
    Draft202012Validator.check_schema(documents[name])
    return Draft202012Validator(documents[name], registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(name: str, document) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator(name).iter_errors(document)]


SUBDISTRICT, COMMUNITY, OTHER = "630102981", "630102981001", "630102982"


@pytest.fixture
def published(db_session, departments):
    """Four published results: two of AAA's plan in 2025 (one at an individual business), a
    non-cooperation of BBB's in 2025 and one of AAA's in 2026; the first three in a community of
    one sub-district, the last in another sub-district."""
    aaa, bbb = departments
    east = Area(code=SUBDISTRICT, name="测试甲街道", path="测试甲街道", kind="subdistrict", position=981)
    db_session.add_all([east, Area(code=OTHER, name="测试乙街道", path="测试乙街道", kind="subdistrict",
                                   position=982)])
    db_session.flush()
    db_session.add(Area(code=COMMUNITY, name="测试甲社区", path="测试甲街道/测试甲社区", kind="community",
                        parent_id=east.id, position=1))
    db_session.commit()
    areas = {a.code: a.id for a in db_session.scalars(select(Area).where(Area.code.in_((COMMUNITY, OTHER))))}
    made = [
        *make_reviewed_tasks(db_session, aaa, [bbb], count=2, ended=date(2025, 3, 3)),
        *make_reviewed_tasks(db_session, bbb, first=20, ended=date(2025, 5, 6),
                             category=ResultCategory.NON_COOPERATION, situations=("refused_entry",)),
        *make_reviewed_tasks(db_session, aaa, first=40, ended=date(2026, 3, 2)),
    ]
    with scoped(db_session, Scope.system()):
        made[1].target.kind, made[1].target.legal_representative = "individual_business", "张三明"
        made[1].target.name = "张三明便利店"
        for n, task in enumerate(made):
            task.target.area_id = areas[COMMUNITY if n < 3 else OTHER]
    db_session.commit()
    return [make_publication(db_session, task) for task in made]


def _csv(response) -> list[dict[str, str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode("utf-8")), "UTF-8 with a byte-order mark"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_the_schemas_are_draft_2020_12_and_ship_with_the_package(client):
    for name in SCHEMAS:
        text = (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert (files("spotcheck") / "contracts" / f"{name}.schema.json").read_text(encoding="utf-8") == text
        assert client.get(f"/public/open-data/{name}.schema.json").get_data(as_text=True) == text
        assert validator(name).schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_json_download_streams_every_result_and_fits_its_schema(client, published):
    response = client.get("/public/open-data/results.json")
    assert response.status_code == 200 and response.is_streamed
    document = json.loads(response.get_data(as_text=True))
    assert errors("open-data-results", document) == []
    assert [r["id"] for r in document["results"]] == sorted(p.id for p in published)
    shop = next(r for r in document["results"] if r["id"] == published[1].id)
    assert shop["target"]["name"] == "张*明便利店"
    situation = next(r for r in document["results"] if r["id"] == published[2].id)["non_cooperation"]
    assert [s["code"] for s in situation] == ["refused_entry"]


def test_the_csv_download_is_utf8_with_bom_streamed_and_fits_its_schema(client, published):
    response = client.get("/public/open-data/results.csv")
    assert response.is_streamed and response.mimetype == "text/csv"
    rows = _csv(response)
    assert list(rows[0]) == list(opendata.CSV_COLUMNS)
    assert [errors("open-data-result-csv", row) for row in rows] == [[]] * len(published)
    assert rows[0]["department_codes"] == "AAA;BBB" and rows[0]["result_label_zh"] == "未发现问题"
    assert rows[0]["followup_status"] == ""


def test_the_national_export_has_its_columns_and_market_entities_only(client, db_session, published):
    with scoped(db_session, Scope.system()):
        db_session.execute(update(Publication).where(Publication.id == published[3].id)
                           .values(target_kind="product"))
    db_session.commit()
    rows = _csv(client.get("/public/open-data/national.csv"))
    assert list(rows[0]) == list(opendata.NATIONAL_COLUMNS)
    assert [errors("national-disclosure", row) for row in rows] == [[]] * 3, "the product is left out"
    first = rows[0]
    assert (first["检查类型"], first["检查日期"], first["检查结果"]) == ("双随机抽查", "2025-03-03", "未发现问题")
    assert first["检查实施机关"] == "AAA局、BBB局"
    assert rows[2]["检查结果"] == "不配合检查情节严重"


def test_the_api_needs_no_token_and_pages_through_every_result(client, published):
    seen, url = [], "/api/v1/public/results?limit=3"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = response.get_json()
        assert errors("open-data-results", page) == []
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert seen == sorted(p.id for p in published)


@pytest.mark.parametrize(("query", "expected"), [
    ({"year": 2026}, [3]),
    ({"department": "BBB"}, [0, 1, 2]),
    ({"department": "BBB", "year": 2025, "category": "no_problem"}, [0, 1]),
    ({"category": "non_cooperation"}, [2]),
    ({"department": "ZZZ"}, []),
])
def test_the_api_filters_by_year_department_and_category(client, published, query, expected):
    found = client.get("/api/v1/public/results", query_string=query).get_json()["results"]
    assert [r["id"] for r in found] == [published[i].id for i in expected]


def test_the_filters_apply_to_the_downloads_too(client, published):
    rows = _csv(client.get("/public/open-data/results.csv", query_string={"year": 2026}))
    assert [int(r["id"]) for r in rows] == [published[3].id]
    assert client.get("/public/open-data/results.csv", query_string={"year": "soon"}).status_code == 400


def test_the_api_filters_by_area_target_and_time_of_change(client, db_session, published):
    def ids(**query):
        return [r["id"] for r in client.get("/api/v1/public/results", query_string=query).get_json()["results"]]

    assert ids(area=SUBDISTRICT) == [p.id for p in published[:3]], "a sub-district includes its communities"
    assert ids(area=COMMUNITY) == [p.id for p in published[:3]]
    assert ids(area=OTHER) == [published[3].id]
    assert ids(target=published[1].target_code) == [published[1].id]

    later = datetime.now(timezone.utc) + timedelta(days=1)
    with scoped(db_session, Scope.system()):
        db_session.execute(update(Publication).where(Publication.id == published[2].id).values(updated_at=later))
    db_session.commit()
    since = (later - timedelta(hours=1)).isoformat()
    assert ids(updated_since=since) == [published[2].id]


def test_the_api_refuses_a_bad_filter_naming_it_in_both_languages(client):
    response = client.get("/api/v1/public/results", query_string={"category": "fine", "limit": 5000})
    assert response.status_code == 422
    body = response.get_json()
    assert set(body["errors"]) == {"category", "limit"}
    assert set(body["message"]) == {"zh", "en"}


def test_a_download_reads_in_batches(db_session, published, monkeypatch):
    monkeypatch.setattr(opendata, "BATCH", 2)
    assert [row.id for row in opendata.rows(db_session, opendata.Filters())] == sorted(p.id for p in published)
