"""The district's area list shipped with the demo data: a byte-identical copy of the shared one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COPY = ROOT / "platform" / "spotcheck" / "demo" / "data" / "chengdong-areas.json"
SHARED = ROOT.parent / "shared" / "data" / "chengdong-areas.json"


def test_the_copy_is_byte_identical_to_the_shared_list():
    if not SHARED.parent.is_dir():
        pytest.skip("../shared is not next to this checkout: nothing to compare with")
    assert COPY.read_bytes() == SHARED.read_bytes()


def test_the_area_list_names_the_district_and_its_communities():
    data = json.loads(COPY.read_text(encoding="utf-8"))
    assert data["district"]["division_code"] == "630102"
    assert data["areas"]
    for area in data["areas"]:
        assert area["name"] and area["kind"] in {"街道", "镇"}
        assert area["communities"]
