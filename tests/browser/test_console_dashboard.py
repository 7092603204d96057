"""The office's console in the browser, in Chinese: the dashboard with its charts and figures, the
assessment, and the progress report's downloads."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("live_server")


def test_the_office_views_the_dashboard_in_chinese(visitor):
    visitor.sign_in("demo-office")
    visitor.open("/console/")
    visitor.sees("工作台账")
    visitor.sees("主要指标")
    visitor.sees("各成员单位工作数据")
    visitor.sees("“进一次门，查多项事”")
    # The charts are the server's SVG, named for screen readers, with the table beside them.
    chart = visitor.page.locator("svg.chart").first
    assert chart.is_visible()
    assert chart.get_attribute("role") == "img"
    assert "已完成任务" in chart.locator("title").first.text_content()
    visitor.shot("dashboard")

    visitor.page.get_by_role("link", name="绩效考评").first.click()
    visitor.page.wait_for_load_state()
    visitor.sees("考评办法")
    visitor.shot("assessment")

    with visitor.page.expect_download() as download:
        visitor.page.get_by_role("link", name="工作通报（.xlsx）").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
