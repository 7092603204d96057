"""The layout: assets served by the app itself, nothing inline (the CSP forbids it), error pages."""

from __future__ import annotations

import re

import pytest

from spotcheck.web.csvexport import csv_lines, escape_formula
from spotcheck.web.pagination import Page

PAGES = {
    # role (None: not signed in), department, URL
    "sign-in": (None, None, "/sign-in"),
    "workbench (office)": ("office", "OFFICE", "/"),
    "workbench (inspector)": ("inspector", "SCJG", "/"),
    "plugins": ("sysadmin", "OFFICE", "/admin/plugins/"),
    "audit trail": ("auditadmin", "OFFICE", "/admin/audit/"),
}


def test_the_style_sheet_and_script_are_served_by_the_app(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assets = re.findall(r'(?:href|src)="(/assets/[^"]+)"', page)
    assert {a.rsplit(".", 1)[-1] for a in assets} == {"css", "js"}
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200
        assert response.mimetype in {"text/css", "text/javascript", "application/javascript"}
        response.close()
    assert "http://" not in page and "https://" not in page  # nothing from outside


def page_of(name, browser, client) -> str:
    role, department, url = PAGES[name]
    if role is not None:
        client, _user = browser(role, department)
    return client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_have_no_inline_script_or_style(browser, client, name):
    page = page_of(name, browser, client)
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_are_labelled_landmarked_and_chinese(browser, client, name):
    page = page_of(name, browser, client)
    assert '<html lang="zh-CN">' in page
    assert '<main id="main"' in page and 'href="#main"' in page
    assert page.count("<h1") == 1
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page):
        assert f'for="{field_id}"' in page, f"no label for #{field_id}"
    for described_by in re.findall(r'aria-describedby="([^"]*)"', page):
        for target in described_by.split():
            assert f'id="{target}"' in page, f"aria-describedby names a missing #{target}"
    assert '="None"' not in page


def test_an_unknown_page_answers_with_a_chinese_404_page(client):
    response = client.get("/no-such-page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "页面不存在" in page
    assert response.headers["X-Request-ID"] in page


def test_a_refused_page_explains_in_chinese(browser):
    client, _user = browser("staff")
    response = client.get("/admin/audit/")
    assert response.status_code == 403
    assert "您的角色无权使用此页面" in response.get_data(as_text=True)


def test_a_wrong_method_answers_405_in_chinese(browser):
    client, _user = browser("staff")
    response = client.get("/locale")
    assert response.status_code == 405
    assert "此处不允许该操作" in response.get_data(as_text=True)


# -- shared pieces ------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+86 971", "'+86 971"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("城东区", "城东区"), ("a=b", "a=b"), (None, ""), (42, "42"),
])
def test_spreadsheet_formulas_are_defused(value, cell):
    assert escape_formula(value) == cell


def test_csv_starts_with_a_byte_order_mark_and_ends_lines_with_crlf():
    text = "".join(csv_lines(["名称", "值"], [["甲", "=A1"], ["乙, 丙", "1"]]))
    assert text == '\ufeff名称,值\r\n甲,\'=A1\r\n"乙, 丙",1\r\n'


@pytest.mark.parametrize(("number", "pages", "window"), [
    (1, 1, [1]),
    (1, 3, [1, 2, 3]),
    (1, 10, [1, 2, 3, None, 10]),
    (6, 10, [1, None, 4, 5, 6, 7, 8, None, 10]),
    (10, 10, [1, None, 8, 9, 10]),
    (4, 10, [1, 2, 3, 4, 5, 6, None, 10]),
])
def test_the_pagination_window(number, pages, window):
    page = Page(items=[], number=number, per_page=10, total=pages * 10)
    assert page.pages == pages
    assert page.window() == window
    assert page.has_previous == (number > 1) and page.has_next == (number < pages)
