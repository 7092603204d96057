"""Every answered request is logged as one JSON line: who (by id), where, how long, what status;
never a name, an address, a query string or a concrete path."""

from __future__ import annotations

import json
import logging

import pytest

from spotcheck.observability.logs import REQUEST_FIELDS, JsonFormatter


@pytest.fixture
def request_lines(caplog):
    """The JSON lines the requests of the test log, as dictionaries."""
    caplog.set_level(logging.INFO, logger="spotcheck.request")
    formatter = JsonFormatter()

    def lines() -> list[dict]:
        return [json.loads(formatter.format(record)) for record in caplog.records
                if record.name == "spotcheck.request"]

    return lines


def test_a_signed_in_request_is_logged_with_request_id_user_department_status_and_latency(
        login_as, request_lines, factories):
    client = login_as("staff", "SCJG")
    response = client.get("/", headers={"X-Request-ID": "trace-0001-abcd"})
    (line,) = [entry for entry in request_lines() if entry.get("request_id") == "trace-0001-abcd"]
    assert set(REQUEST_FIELDS) <= set(line)
    assert line["status"] == response.status_code == 200
    assert line["department"] == "SCJG"
    assert isinstance(line["user_id"], int)
    assert line["method"] == "GET" and line["route"] == "/" and line["endpoint"] == "home.index"
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["logger"] == "spotcheck.request"


def test_the_log_line_names_the_route_pattern_not_the_path_or_query(client, request_lines):
    client.get("/public/targets/91630100MA7XXXXXX1?q=某某餐饮", headers={"X-Request-ID": "trace-0002-abcd"})
    (line,) = [entry for entry in request_lines() if entry.get("request_id") == "trace-0002-abcd"]
    text = json.dumps(line, ensure_ascii=False)
    assert "91630100MA7XXXXXX1" not in text and "某某餐饮" not in text
    assert line["route"] is not None and "<" in line["route"]
    assert line["user_id"] is None and line["department"] is None


def test_the_log_line_holds_no_personal_data(login_as, request_lines):
    client = login_as("staff", "SCJG", username="zhang.san", display_name="张三")
    client.get("/", headers={"X-Request-ID": "trace-0003-abcd"},
               environ_base={"REMOTE_ADDR": "10.1.2.3"})
    (line,) = [entry for entry in request_lines() if entry.get("request_id") == "trace-0003-abcd"]
    text = json.dumps(line, ensure_ascii=False)
    for personal in ("zhang.san", "张三", "10.1.2.3"):
        assert personal not in text


def test_an_unknown_url_is_logged_without_a_route(client, request_lines):
    client.get("/no/such/page", headers={"X-Request-ID": "trace-0004-abcd"})
    (line,) = [entry for entry in request_lines() if entry.get("request_id") == "trace-0004-abcd"]
    assert line["status"] == 404 and line["route"] is None and line["endpoint"] is None


def test_the_formatter_keeps_exceptions_and_chinese_text():
    try:
        raise ValueError("坏了")
    except ValueError:
        record = logging.LogRecord("spotcheck", logging.ERROR, __file__, 1, "处理失败 %s", ("x",),
                                   exc_info=__import__("sys").exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "处理失败 x"
    assert "ValueError: 坏了" in entry["exception"]
