"""/metrics counts requests by endpoint and status, in the Prometheus text format, and only the
monitoring network may read it."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def _samples(client) -> dict[tuple[str, frozenset], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=0.0.4")
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def test_requests_are_counted_by_endpoint_and_status(client):
    key = ("spotcheck_http_requests_total",
           frozenset({"method": "GET", "endpoint": "observability.healthz", "status": "200"}.items()))
    before = _samples(client).get(key, 0)
    client.get("/healthz")
    client.get("/healthz")
    assert _samples(client)[key] == before + 2


def test_latency_is_measured_per_endpoint(client):
    client.get("/public/")
    samples = _samples(client)
    counts = [value for (name, labels), value in samples.items()
              if name == "spotcheck_http_request_duration_seconds_count"
              and ("endpoint", "portal.index") in labels]
    assert counts and counts[0] >= 1


def test_unmatched_urls_share_one_series(client):
    key = ("spotcheck_http_requests_total",
           frozenset({"method": "GET", "endpoint": "none", "status": "404"}.items()))
    before = _samples(client).get(key, 0)
    client.get("/no/such/page/1")
    client.get("/no/such/page/2")
    samples = _samples(client)
    assert samples[key] == before + 2
    assert not any("/no/such" in value for (_name, labels) in samples for _label, value in labels)


def test_metrics_answer_404_outside_the_monitoring_network(client):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"})
    assert response.status_code == 404


def test_the_monitoring_network_is_configurable(app, client):
    app.config["METRICS_ALLOW_FROM"] = "10.20.0.0/16, 127.0.0.1/32"
    try:
        assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"}).status_code == 200
        assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.21.0.1"}).status_code == 404
    finally:
        app.config["METRICS_ALLOW_FROM"] = "127.0.0.1/32,::1/128"
