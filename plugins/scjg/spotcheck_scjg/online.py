"""The online pre-check of ``enterprise_disclosure`` (seed article 16(1)): was last year's annual
report publicised on time?

The bureau's own system is the national enterprise credit information disclosure system; the
plugin ships a sample of its annual reports (``data/annual_reports.json``) and reads that. A
report filed by the deadline settles the form's ``annual_report_on_time`` question, which is then
not asked again on site; a late or missing report is a discrepancy the inspectors confirm there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files

from spotcheck.plugin_api import OnlinePrecheckResult, TargetRef

ITEM = "enterprise_disclosure"
SETTLED_FIELD = "annual_report_on_time"
SOURCE_URL = "https://www.gsxt.gov.cn/"


@dataclass(frozen=True)
class AnnualReports:
    """One year's annual reports: the filing date of each company's, by credit code."""

    year: int
    deadline: date
    filed_on: dict[str, date | None]


@cache
def annual_reports() -> AnnualReports:
    """The sample the plugin ships, read once."""
    data = json.loads(files("spotcheck_scjg").joinpath("data/annual_reports.json").read_text("utf-8"))
    return AnnualReports(year=data["report_year"], deadline=date.fromisoformat(data["deadline"]),
                         filed_on={r["code"]: None if r["filed_on"] is None else date.fromisoformat(r["filed_on"])
                                   for r in data["reports"]})


def precheck(item_code: str, target: TargetRef) -> OnlinePrecheckResult | None:
    """The pre-check of ``item_code`` for ``target``; ``None`` for the bureau's other items."""
    if item_code != ITEM:
        return None
    reports = annual_reports()
    year, deadline = reports.year, reports.deadline
    if target.identifier not in reports.filed_on:
        return OnlinePrecheckResult(
            status="not_found", source_url=SOURCE_URL,
            summary_zh=f"公示系统中没有统一社会信用代码为{target.identifier}的企业的{year}年度报告记录。",
            summary_en=f"The disclosure system has no record of a {year} annual report for {target.identifier}.")
    filed = reports.filed_on[target.identifier]
    if filed is None:
        return OnlinePrecheckResult(
            status="discrepancy", source_url=SOURCE_URL,
            summary_zh=f"截至核查时未报送{year}年度报告（应于{deadline.isoformat()}前报送）。",
            summary_en=f"The {year} annual report has not been filed (due by {deadline.isoformat()}).")
    if filed > deadline:
        return OnlinePrecheckResult(
            status="discrepancy", source_url=SOURCE_URL,
            summary_zh=f"{year}年度报告于{filed.isoformat()}报送，逾期（应于{deadline.isoformat()}前报送）。",
            summary_en=f"The {year} annual report was filed late, on {filed.isoformat()} "
                       f"(due by {deadline.isoformat()}).")
    return OnlinePrecheckResult(
        status="verified", source_url=SOURCE_URL, verified_fields=(SETTLED_FIELD,),
        summary_zh=f"{year}年度报告已于{filed.isoformat()}按时报送并公示。",
        summary_en=f"The {year} annual report was filed and publicised on time, on {filed.isoformat()}.")
