"""The documents a newcomer reads first are held to the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spotcheck import config

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_NAMES = ("Department", "Office", "Joint meeting", "CheckItem", "Target", "Inspector",
                "AnnualPlan", "WorkPlan", "Batch", "Draw", "Team", "Task", "Finding", "FollowUp",
                "CreditRecord", "working day", "make-up workday", "unified social credit code")


def test_the_readme_gives_exactly_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [line.strip() for line in readme.splitlines() if line.startswith("    ")
                and not line.startswith("     ") and line.strip().startswith("make")]
    assert commands == ["make run", "make test"]
    assert "http://127.0.0.1:5000" in readme
    for variable in ("DATABASE_URL", "SPOTCHECK_SECRET_KEY"):
        assert f"`{variable}`" in readme


def test_the_readme_links_every_document():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    unlinked = [doc.name for doc in sorted((ROOT / "docs").glob("*.md"))
                if f"](docs/{doc.name})" not in readme]
    assert unlinked == [], "link these from README.md's Documentation section"


@pytest.mark.parametrize("setting", sorted({*config.DEFAULTS, *config.ENVIRONMENT}))
def test_every_setting_is_documented(setting):
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert f"| `{setting}` |" in text
    if setting in config.ENVIRONMENT and setting != "DATABASE_URL":
        assert f"`SPOTCHECK_{setting}`" in text


@pytest.mark.parametrize("name", DOMAIN_NAMES)
def test_every_domain_name_has_its_chinese_original(name):
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith(f"| {name} |")]
    assert rows, f"no glossary row for {name}"
    chinese = rows[0].split("|")[2]
    assert re.search(r"[\u4e00-\u9fff]", chinese), f"{name}: no Chinese term"
