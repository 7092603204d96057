"""The import pages and the API: upload → report → confirm → result, and a run's report again."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from spotcheck.registry.areas import load_areas
from spotcheck.registry.importing.models import ImportRun
from spotcheck.registry.importing.testing import csv_bytes
from spotcheck.registry.targets.models import Target
from spotcheck.registry.targets.testing import credit_code

AREAS = Path(__file__).resolve().parents[2] / "platform" / "spotcheck" / "demo" / "data" / "chengdong-areas.json"
HEADER = ("code", "name", "kind")
GOOD = csv_bytes([[credit_code(1), "甲有限公司", "公司"], [credit_code(2), "乙有限公司", "公司"]], header=HEADER)
BAD = csv_bytes([[credit_code(1), "甲有限公司", "公司"], [credit_code(2), "", "公司"]], header=HEADER)


@pytest.fixture
def staff(factories, db_session, login_as):
    load_areas(db_session, json.loads(AREAS.read_text(encoding="utf-8")))
    db_session.commit()
    return login_as("staff", "AAA")


def _targets(db_session):
    return db_session.scalar(select(func.count()).select_from(Target.__table__))


def _upload(client, data, **form):
    return client.post("/registry/imports/", data={
        "kind": "targets", "file": (io.BytesIO(data), "名录.csv"), "encoding": "", **form},
        content_type="multipart/form-data")


def test_upload_checks_then_confirm_imports(staff, db_session):
    response = _upload(staff, GOOD)
    assert response.status_code == 302
    report_url = response.headers["Location"]
    page = staff.get(report_url).get_data(as_text=True)
    assert "导入这些行" in page and "新增" in page
    assert _targets(db_session) == 0, "checking writes nothing"

    run_id = int(report_url.rstrip("/").rsplit("/", 1)[1])
    done = staff.post(f"/registry/imports/{run_id}/confirm")
    assert done.status_code == 302
    assert _targets(db_session) == 2
    applied = db_session.scalars(select(ImportRun).where(ImportRun.confirms_id == run_id)).one()
    assert applied.status == "applied" and applied.sha256 == db_session.get(ImportRun, run_id).sha256
    assert db_session.get(ImportRun, run_id).upload is None, "the kept copy is gone once imported"

    again = staff.post(f"/registry/imports/{run_id}/confirm")
    assert again.status_code == 302
    assert _targets(db_session) == 2, "a check is imported once"


def test_a_file_with_problems_shows_them_and_offers_no_import(staff, db_session):
    page = staff.get(_upload(staff, BAD).headers["Location"]).get_data(as_text=True)
    assert "名称必填" in page
    assert "导入这些行" not in page


def test_valid_only_offers_the_valid_rows(staff, db_session):
    location = _upload(staff, BAD, valid_only="y").headers["Location"]
    run_id = int(location.rstrip("/").rsplit("/", 1)[1])
    assert "导入这些行" in staff.get(location).get_data(as_text=True)
    staff.post(f"/registry/imports/{run_id}/confirm")
    assert _targets(db_session) == 1


def test_the_report_pages_rows_and_filters_them(staff, db_session):
    rows = [[credit_code(n), f"企业{n}", "公司"] for n in range(1, 121)]
    location = _upload(staff, csv_bytes(rows, header=HEADER)).headers["Location"]
    page = staff.get(location + "?page=3").get_data(as_text=True)
    assert "企业101" in page and "企业1<" not in page


def test_the_office_sees_runs_but_does_not_import(login_as):
    office = login_as("office", "OFFICE")
    page = office.get("/registry/imports/")
    assert page.status_code == 200 and "校验文件" not in page.get_data(as_text=True)
    assert _upload(office, GOOD).status_code == 403


def test_the_api_imports_and_reads_the_report_again(app, factories, db_session, staff):
    from spotcheck.api.tokens import create_token

    user = factories.user("staff", "AAA")
    _token, secret = create_token(db_session, user, "import client")
    db_session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}

    answer = client.post("/api/v1/imports/targets", headers=headers, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(BAD), "t.csv"), "dry_run": "true"})
    assert answer.status_code == 201, answer.get_json()
    document = answer.get_json()
    assert (document["status"], document["dry_run"]) == ("checked", True)
    assert document["problems"][0]["row"] == 3
    assert document["problems"][0]["message"]["zh"] == "名称必填"

    imported = client.post("/api/v1/imports/targets", headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(GOOD), "t.csv")}).get_json()
    assert imported["status"] == "applied" and imported["counts"]["created"] == 2
    again = client.get(f"/api/v1/imports/{imported['id']}", headers=headers).get_json()
    assert again["counts"] == imported["counts"]

    missing = client.post("/api/v1/imports/targets", headers=headers, content_type="multipart/form-data",
                          data={"dry_run": "true"})
    assert missing.status_code == 422 and "file" in missing.get_json()["errors"]
