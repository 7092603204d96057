"""The shipped nginx site is valid nginx, and agrees with the app's own limits and layout."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from spotcheck import config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SITE = DEPLOY / "nginx" / "spotcheck.conf"
PROXY = DEPLOY / "nginx" / "spotcheck-proxy.conf"
STATIC = Path(config.__file__).resolve().parent / "web" / "static"


def _megabytes(directive: str, text: str) -> int:
    (value,) = re.findall(rf"^\s*{directive}\s+(\d+)m;", text, re.MULTILINE)
    return int(value) * 1024 * 1024


def test_nginx_accepts_requests_as_large_as_the_app_and_larger_than_any_evidence_file():
    limit = _megabytes("client_max_body_size", SITE.read_text())
    assert limit == config.DEFAULTS["MAX_CONTENT_LENGTH"]
    assert limit > config.DEFAULTS["EVIDENCE_MAX_BYTES"]


def test_nginx_serves_the_packages_static_folder_under_the_apps_asset_path(app):
    text = SITE.read_text()
    (alias,) = re.findall(r"location /assets/ \{\s*alias (\S+);", text)
    assert alias.endswith("/site-packages/spotcheck/web/static/")
    assert app.url_map.bind("localhost").build("home.static", {"filename": "css/spotcheck.css"}) \
        == "/assets/css/spotcheck.css"
    assert (STATIC / "css" / "spotcheck.css").is_file()


def test_nginx_passes_the_proxy_headers_the_app_trusts_and_hides_metrics():
    proxy = PROXY.read_text()
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Request-ID"):
        assert f"proxy_set_header {header} " in proxy
    assert re.search(r"location = /metrics \{\s*return 404;", SITE.read_text())


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (apt-get install nginx-light)")
def test_nginx_accepts_the_site(tmp_path):
    """``nginx -t`` on the site as shipped, with a throw-away certificate and log folder."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=spotcheck.test", "-keyout", str(tmp_path / "privkey.pem"),
                    "-out", str(tmp_path / "fullchain.pem")], check=True, capture_output=True)
    site = (SITE.read_text()
            .replace("/etc/ssl/spotcheck/", f"{tmp_path}/")
            .replace("/var/log/nginx/", f"{tmp_path}/")
            .replace("/etc/nginx/snippets/spotcheck-proxy.conf", str(PROXY)))
    (tmp_path / "spotcheck.conf").write_text(site)
    mime_types = Path("/etc/nginx/mime.types")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  {f'include {mime_types};' if mime_types.exists() else ''}\n"
        f"  include {tmp_path}/spotcheck.conf;\n}}\n")
    result = subprocess.run([shutil.which("nginx"), "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                             "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
