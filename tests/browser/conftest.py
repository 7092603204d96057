"""Browser end-to-end tests: Playwright drives Debian's Chromium against a live spotcheck.

The fixtures here serve any browser test (the core's and the plugins'):

- ``live_server``: the platform served on a free port of 127.0.0.1 from a thread, on a database of
  its own (the run's ``--db`` backend) set up as ``docs/deploy.md`` says and loaded with the demo;
- ``browser``: headless Chromium (``shutil.which("chromium")``; Playwright never downloads one);
- ``page``: a fresh browser context in Chinese (``zh-CN``) on the live server, with ``sign_in``
  and ``shot`` helpers: see :class:`Visitor`;
- ``screenshots``: the folder screenshots are kept in, ``$SPOTCHECK_SCREENSHOTS`` or
  ``build/screenshots`` (CI prints it).

Without Chromium the tests are skipped with the reason, except in CI (``CI`` or
``SPOTCHECK_REQUIRE_POSTGRES`` set), where a missing browser fails them.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from spotcheck.app import create_app
from spotcheck.db import get_database
from spotcheck.demo.accounts import DEMO_PASSWORD
from spotcheck.testing import databases

ROOT = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1280, "height": 900}
SCREENSHOT_MAX_HEIGHT = 3600


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep the browser tests on one pytest-xdist worker: each worker would set up its own live
    server and demo database."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


def _in_ci() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("SPOTCHECK_REQUIRE_POSTGRES"))


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of Debian's Chromium; skips (fails in CI) when it is not installed."""
    path = shutil.which("chromium")
    if path is None:
        message = "chromium is not installed (apt-get install chromium; see deploy/debian-packages.txt)"
        if _in_ci():
            pytest.fail(message + ": required in CI")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    """Headless Chromium under Playwright, for the whole run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def screenshots(db_backend: str) -> Path:
    """The folder screenshots are kept in, one sub-folder per database backend (made if missing)."""
    folder = Path(os.environ.get("SPOTCHECK_SCREENSHOTS") or ROOT / "build" / "screenshots") / db_backend
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def live_app(db_backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on a database of its own, set up by the operator's commands and the demo."""
    folder = tmp_path_factory.mktemp("live")
    with ExitStack() as stack:
        url = stack.enter_context(databases.postgres_database() if db_backend == "postgresql"
                                  else databases.sqlite_database(folder))
        app = create_app({
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(folder / "instance"),
            "SECRET_KEY": "browser-tests-secret-key-not-for-production",
            "SESSION_COOKIE_SECURE": False,  # plain http://127.0.0.1, as `make run`
            "RATELIMIT_ENABLED": False,  # every test signs in from the same address
            "SYNC_PLUGINS_ON_START": False,  # the database is empty until the commands below
            "DATABASE_POOL_SIZE": 5,
        })
        runner = app.test_cli_runner()
        for command in (["db", "upgrade"], ["plugins", "sync"], ["calendar", "seed"], ["demo", "load"]):
            result = runner.invoke(args=command)
            assert result.exit_code == 0, f"spotcheck {' '.join(command)}: {result.output}"
        yield app
        get_database(app).engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """The base URL of ``live_app`` served from a thread (threaded, like several workers)."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


class Visitor:
    """A person at a browser: a Playwright page on the live server, in Chinese."""

    def __init__(self, page: Any, base_url: str, screenshots: Path, test_name: str) -> None:
        self.page = page
        self.base_url = base_url
        self.screenshots = screenshots
        self.prefix = re.sub(r"[^A-Za-z0-9_]+", "-", test_name)
        self.shots = 0

    def open(self, path: str) -> Any:
        """Go to ``path`` on the live server and wait for the page."""
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{path}: {response.status if response else '-'}"
        return response

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        """Sign in through the sign-in page (demo accounts of business roles need no code)."""
        self.open("/sign-in")
        self.page.get_by_label("登录名").fill(username)
        self.page.get_by_label("密码").fill(password)
        self.page.get_by_role("button", name="登录", exact=True).click()
        self.page.wait_for_load_state()
        assert "/sign-in" not in self.page.url, self.page.locator("main").inner_text()

    def shot(self, step: str) -> Path:
        """Keep a full-page screenshot of what the person sees now, numbered in order."""
        self.shots += 1
        path = self.screenshots / f"{self.prefix}-{self.shots:02d}-{step}.png"
        # The whole page, cut at a few screens: some lists run to thousands of rows.
        height = min(self.page.evaluate("document.documentElement.scrollHeight"), SCREENSHOT_MAX_HEIGHT)
        self.page.screenshot(path=str(path), full_page=True,
                             clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height})
        return path

    def sees(self, text: str) -> None:
        """Assert that ``text`` is visible on the page."""
        from playwright.sync_api import expect

        expect(self.page.get_by_text(text, exact=False).first).to_be_visible()


@pytest.fixture
def visitor(browser: Any, live_server: str, screenshots: Path, request: pytest.FixtureRequest) -> Iterator[Visitor]:
    """A new browser context (cookies of its own) in Chinese on the live server."""
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORT)
    # Pages ask "are you sure?" before what cannot be undone (data-confirm): the person says yes.
    context.on("page", lambda page: page.on("dialog", lambda dialog: dialog.accept()))
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_default_timeout(15_000)
    visitor = Visitor(page, live_server, screenshots, request.node.name)
    try:
        yield visitor
        if getattr(request.node, "call_failed", False):
            visitor.shot("failed")  # what the person saw when the test failed
    finally:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Note on the test whether its call failed, for :func:`visitor`'s last screenshot."""
    report = yield
    if report.when == "call" and report.failed:
        item.call_failed = True  # type: ignore[attr-defined]
    return report
