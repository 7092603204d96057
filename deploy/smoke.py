"""Production smoke: the steps of docs/deploy.md on a fresh PostgreSQL database, over real HTTP.

    .venv/bin/python deploy/smoke.py [--keep]

Makes a throw-away database on the server of ``SPOTCHECK_TEST_POSTGRES_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``), then does what an operator does — ``spotcheck
db upgrade``, ``plugins sync``, ``calendar seed`` — loads the demo, starts gunicorn with
``deploy/gunicorn.conf.py`` on a free port of 127.0.0.1, and checks: /healthz and /readyz, sign-in
of the demo office, the public ceremony of the demo's prepared draw, a search of the public portal,
/metrics, and that gunicorn's log is JSON. Everything is removed afterwards. ``.ci/run`` runs it
after ``make test``; it exits non-zero with the failed step's name.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from spotcheck.demo.accounts import DEMO_PASSWORD
from spotcheck.testing.databases import postgres_database

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class SmokeFailed(Exception):
    """A step did not give what it should."""


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects (each step checks its own)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies),
                                                  _NoRedirect())

    def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        data = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(self.base + path, data=data, method="POST"))

    def _open(self, request: urllib.request.Request) -> tuple[int, str, dict[str, str]]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def form_token(self, path: str) -> str:
        status, body, _headers = self.get(path)
        found = CSRF.search(body)
        if status != 200 or found is None:
            raise SmokeFailed(f"GET {path}: {status}, no form")
        return found.group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="print the log and keep the folder")
    options = parser.parse_args()
    started = time.monotonic()
    with postgres_database() as url, tempfile.TemporaryDirectory(prefix="spotcheck-smoke-") as folder:
        env = _environment(url, Path(folder))
        log_path = Path(folder) / "gunicorn.log"
        try:
            draw_id = _install(env)
            with _gunicorn(env, log_path) as base:
                _check(base, draw_id, log_path)
        except SmokeFailed as failure:
            print(f"smoke FAILED: {failure}", file=sys.stderr)
            if log_path.exists():
                print(log_path.read_text()[-4000:], file=sys.stderr)
            return 1
        if options.keep:
            print(log_path.read_text())
    print(f"smoke passed in {time.monotonic() - started:.0f} s")
    return 0


def _environment(url: str, folder: Path) -> dict[str, str]:
    port = _free_port()
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SPOTCHECK_SECRET_KEY": secrets.token_hex(32),
        "SPOTCHECK_INSTANCE_PATH": str(folder / "instance"),
        "SPOTCHECK_EVIDENCE_DIR": str(folder / "evidence"),
        "SPOTCHECK_METRICS_DIR": str(folder / "metrics"),
        "SPOTCHECK_BIND": f"127.0.0.1:{port}",
        "SPOTCHECK_WORKERS": "2",
        # Plain http on 127.0.0.1, as `make run`: nginx and TLS are checked by tests/deploy.
        "SPOTCHECK_SESSION_COOKIE_SECURE": "0",
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _install(env: dict[str, str]) -> int:
    """docs/deploy.md's set-up commands, then the demo; returns the prepared draw's id."""
    for command in (["db", "upgrade"], ["plugins", "sync"], ["calendar", "seed"], ["demo", "load"]):
        began = time.monotonic()
        result = subprocess.run([str(BIN / "spotcheck"), *command], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise SmokeFailed(f"spotcheck {' '.join(command)}: {result.stderr[-2000:]}")
        print(f"spotcheck {' '.join(command)}: ok ({time.monotonic() - began:.1f} s)")
    found = re.search(r"/draws/(\d+)/ceremony", result.stdout)
    if found is None:
        raise SmokeFailed("demo load: no draw awaits its ceremony")
    return int(found.group(1))


class _gunicorn:
    """gunicorn with deploy/gunicorn.conf.py, answering /healthz; stopped (SIGTERM) on leaving."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env, self.log_path = env, log_path
        self.base = "http://" + env["SPOTCHECK_BIND"]

    def __enter__(self) -> str:
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "spotcheck.app:create_app()"],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SmokeFailed(f"gunicorn exited with {self.process.returncode}")
            try:
                if Browser(self.base).get("/healthz")[0] == 200:
                    print(f"gunicorn answers at {self.base}")
                    return self.base
            except OSError:
                pass
            time.sleep(0.3)
        raise SmokeFailed("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *_exc: object) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def _check(base: str, draw_id: int, log_path: Path) -> None:
    _step("readiness", lambda: _expect(Browser(base).get("/readyz"), 200, '"ready"'))
    browser = Browser(base)
    _step("sign-in of demo-office", lambda: _sign_in(browser))
    _step(f"ceremony of draw {draw_id}", lambda: _draw(browser, draw_id))
    _step("portal search", lambda: _portal_search(Browser(base)))
    _step("metrics", lambda: _expect(Browser(base).get("/metrics"), 200,
                                     'spotcheck_http_requests_total{endpoint="draws.execute"'))
    _step("JSON logs", lambda: _json_logs(log_path))


def _step(name: str, run) -> None:  # type: ignore[no-untyped-def]
    began = time.monotonic()
    run()
    print(f"{name}: ok ({time.monotonic() - began:.1f} s)")


def _expect(answer: tuple[int, str, dict[str, str]], status: int, text: str) -> str:
    got, body, _headers = answer
    if got != status or text not in body:
        raise SmokeFailed(f"expected {status} with {text!r}, got {got}: {body[:300]!r}")
    return body


def _sign_in(browser: Browser) -> None:
    token = browser.form_token("/sign-in")
    status, _body, headers = browser.post("/sign-in", {"csrf_token": token, "username": "demo-office",
                                                       "password": DEMO_PASSWORD})
    if status != 302 or headers.get("Location", "").rstrip("/").endswith("sign-in"):
        raise SmokeFailed(f"sign-in answered {status} to {headers.get('Location')}")
    _expect(browser.get("/"), 200, 'class="whoami-name"')


def _draw(browser: Browser, draw_id: int) -> None:
    path = f"/draws/{draw_id}/ceremony"
    token = browser.form_token(path)
    status, _body, _headers = browser.post(path, {"csrf_token": token, "entropy": "3 1 4 1 5 9"})
    if status != 302:
        raise SmokeFailed(f"POST {path}: {status}")
    proof = json.loads(_expect(Browser(browser.base).get(f"/public/draws/{draw_id}/proof.json"), 200, "seed"))
    if proof["public_entropy"] != "3 1 4 1 5 9":
        raise SmokeFailed(f"the proof holds another entropy: {proof}")


def _portal_search(browser: Browser) -> None:
    front = _expect(browser.get("/public/"), 200, "/public/targets/")
    code = re.search(r"/public/targets/([0-9A-Z]+)", front).group(1)  # type: ignore[union-attr]
    _expect(browser.get("/public/results?" + urllib.parse.urlencode({"q": code})), 200, code)
    _expect(browser.get(f"/public/targets/{code}"), 200, code)


def _json_logs(log_path: Path) -> None:
    lines = [line for line in log_path.read_text().splitlines() if line.strip()]
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:
            raise SmokeFailed(f"a log line is not JSON: {line[:200]!r}") from None
    requests = [entry for entry in entries if entry.get("logger") == "spotcheck.request"]
    executed = [entry for entry in requests if entry.get("endpoint") == "draws.execute"]
    if not executed or executed[0].get("department") is None or not executed[0].get("request_id"):
        raise SmokeFailed("no request line for the draw with its department and request id")


if __name__ == "__main__":
    sys.exit(main())
