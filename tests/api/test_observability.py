"""Metrics, request logs and readiness of one ``precheck serve`` (SQLite, no Redis)."""

from __future__ import annotations

import json
import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

from support.replicas import start_replica
from support.server import free_port

SECRET_TEXT = "这段正文只属于作者甲乙丙，不应出现在日志里"
TOKEN = "scrape-token-1"


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = start_replica(tmp_path_factory.mktemp("observed"), {})
    yield s
    s.stop()


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """/metrics for another network and a token only; Redis configured but down."""
    s = start_replica(tmp_path_factory.mktemp("guarded"), {"PRECHECK_METRICS_ALLOW": "10.0.0.0/8",
                                                           "PRECHECK_METRICS_TOKEN": TOKEN,
                                                           "PRECHECK_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"},
                      ready="/healthz")
    yield s
    s.stop()


def samples(text: str) -> dict[tuple, float]:
    out = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def log_lines(srv) -> list[dict]:
    lines = []
    for raw in srv.log.read_text(encoding="utf-8").splitlines():
        try:
            lines.append(json.loads(raw))
        except ValueError:
            pass
    return lines


def test_each_request_has_an_id_and_one_json_log_line_without_the_draft(srv):
    with srv.client() as c:
        r = c.post("/v1/check", json={"title": "内部资料", "body": SECRET_TEXT + "。内部资料请勿外传。"})
        assert r.status_code == 200
        rid = r.headers["X-Request-ID"]
        given = c.get("/healthz", headers={"X-Request-ID": "lb-trace.42"})
        assert given.headers["X-Request-ID"] == "lb-trace.42"  # a client's plain token is kept
        junk = c.get("/healthz", headers={"X-Request-ID": ("not ok\u00e9" * 30).encode("latin-1")})
        assert junk.headers["X-Request-ID"] != "not ok"  # anything else is replaced
    deadline = time.time() + 5
    while time.time() < deadline and not any(line.get("request_id") == rid for line in log_lines(srv)):
        time.sleep(0.1)
    mine = [line for line in log_lines(srv) if line.get("request_id") == rid]
    assert len(mine) == 1
    line = mine[0]
    assert line["endpoint"] == "/v1/check" and line["status"] == 200 and line["method"] == "POST"
    assert line["check_id"] == r.json()["id"] and line["verdict"] == r.json()["verdict"]
    assert line["record"] == "stored" and line["duration_ms"] > 0
    assert any(x.get("request_id") == "lb-trace.42" for x in log_lines(srv))
    log = srv.log.read_text(encoding="utf-8")
    assert SECRET_TEXT not in log and "内部资料" not in log


def test_metrics_count_checks_findings_verdicts_and_records(srv):
    with srv.client() as c:
        before = samples(c.get("/metrics").text)
        r = c.post("/v1/check", json={"body": "这份内部资料请勿外传。", "checks": ["sensitive", "typo"]})
        assert r.status_code == 200
        rules = [(f["rule"], f["severity"]) for f in r.json()["findings"]]
        assert rules
        after = samples(c.get("/metrics").text)

    def grew(name, **labels) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("precheck_http_requests_total", method="POST", endpoint="/v1/check", status="200") == 1
    assert grew("precheck_http_request_duration_seconds_count", method="POST", endpoint="/v1/check") == 1
    assert grew("precheck_check_runs_total", check="sensitive", status="ok") == 1
    assert grew("precheck_check_duration_seconds_count", check="typo") == 1
    assert grew("precheck_check_runs_total", check="link", status="ok") == 0  # not requested
    for rule, severity in set(rules):
        assert grew("precheck_findings_total", rule=rule, severity=severity) == rules.count((rule, severity))
    assert grew("precheck_verdicts_total", verdict=r.json()["verdict"]) == 1
    assert grew("precheck_tiers_total", tier=r.json()["tier"]["level"]) == 1
    assert grew("precheck_audit_records_total", outcome="stored") == 1
    assert after[("precheck_spool_depth", ())] == 0
    info = [k for k in after if k[0] == "precheck_lexicon_info"]
    assert len(info) == 1 and dict(info[0][1])["version"]


def test_health_and_readiness(srv):
    with srv.client() as c:
        assert c.get("/healthz").json()["status"] == "ok"
        r = c.get("/readyz")
        assert r.status_code == 200, r.text
        deps = r.json()["dependencies"]
        assert deps["database"]["status"] == "ok" and deps["engines"]["status"] == "ok"
        assert "redis" not in deps  # not configured


def test_readiness_fails_when_redis_is_configured_but_down(guarded):
    with guarded.client() as c:
        assert c.get("/healthz").status_code == 200  # alive
        r = c.get("/readyz")  # but not ready
        assert r.status_code == 503 and r.json()["status"] == "not-ready"
        deps = r.json()["dependencies"]
        assert deps["redis"]["status"] == "down" and deps["redis"]["detail"]
        assert deps["database"]["status"] == "ok"


def test_metrics_are_closed_to_other_networks_unless_the_token_is_sent(guarded):
    with guarded.client() as c:
        r = c.get("/metrics")
        assert r.status_code == 403 and "PRECHECK_METRICS" in r.json()["detail"]
        assert c.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
        r = c.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200 and "precheck_http_requests_total" in r.text
