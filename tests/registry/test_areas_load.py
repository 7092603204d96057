"""The district's areas: loaded from a JSON file with stable codes, named by code, path or name."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import func, select

from spotcheck.demo.targets import demo_area_document
from spotcheck.registry.areas import Area, AreaFileError, area_index, load_areas


@pytest.fixture
def document():
    return demo_area_document()


def codes(db_session) -> dict[str, str]:
    return dict(db_session.execute(select(Area.path, Area.code)).all())


def test_loading_gives_division_based_codes_in_file_order(db_session, document):
    report = load_areas(db_session, document)
    loaded = codes(db_session)

    first = document["areas"][0]
    assert loaded[first["name"]] == "630102001"
    assert loaded[f"{first['name']}/{first['communities'][0]}"] == "630102001001"
    assert loaded[f"{first['name']}/{first['communities'][3]}"] == "630102001004"
    expected = len(document["areas"]) + sum(len(a["communities"]) for a in document["areas"])
    assert len(report.created) == expected == len(loaded)


def test_kinds_follow_the_file_and_the_names(db_session, document):
    load_areas(db_session, document)
    kinds = dict(db_session.execute(select(Area.path, Area.kind)).all())
    assert kinds["东关大街街道"] == "subdistrict"
    assert kinds["乐家湾镇"] == "town"
    assert kinds["东关大街街道/北关社区"] == "community"
    assert kinds["清真巷街道/友谊村"] == "village"
    assert kinds["清真巷街道/国际村社区"] == "community"


def test_loading_again_changes_nothing(db_session, document):
    load_areas(db_session, document)
    before = codes(db_session)
    report = load_areas(db_session, document)
    assert report.created == []
    assert codes(db_session) == before


def test_a_new_area_gets_the_next_number_and_old_codes_stay(db_session, document):
    load_areas(db_session, document)
    before = codes(db_session)
    changed = copy.deepcopy(document)
    changed["areas"][0]["communities"].insert(0, "新建社区")
    changed["areas"].insert(0, {"name": "新设街道", "kind": "街道", "communities": []})

    report = load_areas(db_session, changed)

    after = codes(db_session)
    assert {path: after[path] for path in before} == before
    assert sorted(report.created) == ["东关大街街道/新建社区", "新设街道"]
    assert after["东关大街街道/新建社区"] == "630102001005"
    assert after["新设街道"] == f"630102{len(document['areas']) + 1:03d}"


def test_an_area_is_named_by_code_path_or_unique_name(db_session, document):
    load_areas(db_session, document)
    index = area_index(db_session)
    north = index.resolve("东关大街街道/北关社区")
    assert north is not None
    assert index.resolve("630102001001") == north
    assert index.resolve(" 东关大街街道 ／ 北关社区 ") == north
    assert index.resolve("北关社区") == north
    assert index.resolve("东关大街街道") == index.resolve("630102001")
    assert index.resolve("不存在社区") is None


def test_a_name_used_twice_must_be_given_with_its_sub_district(db_session, document):
    changed = copy.deepcopy(document)
    changed["areas"][1]["communities"].append("北关社区")
    load_areas(db_session, changed)
    index = area_index(db_session)
    assert index.resolve("北关社区") is None
    assert index.resolve("东关大街街道/北关社区") != index.resolve("清真巷街道/北关社区")


@pytest.mark.parametrize(("broken", "message"), [
    ({"areas": []}, "division_code"),
    ({"district": {"division_code": "630102"}, "areas": []}, "non-empty"),
    ({"district": {"division_code": "630102"}, "areas": [{"name": "某区", "kind": "市"}]}, "街道 or 镇"),
    ({"district": {"division_code": "630102"}, "areas": [{"name": "甲/乙", "kind": "街道"}]}, "'/'"),
])
def test_a_bad_file_is_refused_with_the_reason(db_session, broken, message):
    with pytest.raises(AreaFileError, match=message):
        load_areas(db_session, broken)
    assert db_session.scalar(select(func.count()).select_from(Area)) == 0


def test_the_command_loads_a_file_and_is_idempotent(app, db_session, tmp_path, document):
    path = tmp_path / "areas.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    runner = app.test_cli_runner()

    first = runner.invoke(args=["areas", "load", str(path)])
    second = runner.invoke(args=["areas", "load", str(path)])

    assert first.exit_code == 0, first.output
    assert "areas created: 0" not in first.output
    assert second.exit_code == 0 and "areas created: 0" in second.output


def test_the_command_names_what_is_wrong_with_a_file(app, db_session, tmp_path):
    path = tmp_path / "areas.json"
    path.write_text("{not json", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["areas", "load", str(path)])
    assert result.exit_code != 0
    assert "not a readable JSON file" in result.output
