"""The audit trail, keys and roles through a real server, on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import uuid

import httpx
import pytest
from support import ROOT
from support.databases import BACKENDS, fresh_database

KEYS = {"al": ("author", "key-al"), "bo": ("author", "key-bo"), "ed": ("editor", "key-ed"),
        "ad": ("admin", "key-ad")}
CLEAN = "周五下午三点在三楼会议室开会。"
UNFILLED = "会议定于XX月XX日召开。"  # placeholder.xx: an error finding


def bearer(name: str) -> dict:
    return {"Authorization": f"Bearer {KEYS[name][1]}"}


@pytest.fixture(scope="module", params=BACKENDS)
def audit(request, server_factory, tmp_path_factory):
    url, cleanup = fresh_database(request.param, tmp_path_factory.mktemp("db"))
    server = server_factory(env={
        "PRECHECK_DATABASE_URL": url,
        "PRECHECK_API_KEYS": ",".join(f"{n}:{r}:{k}" for n, (r, k) in KEYS.items() if r != "admin"),
        "PRECHECK_ADMIN_KEYS": f"ad:{KEYS['ad'][1]}"})
    with server.client() as client:
        yield client, url
    server.stop()
    cleanup()


def check(client, who="al", body=CLEAN, author="e1", department="市场部"):
    r = client.post("/v1/check", headers=bearer(who),
                    json={"body": body, "checks": ["placeholder"], "author": {"id": author, "department": department}})
    assert r.status_code == 200, r.text
    assert r.headers["x-precheck-record"] == "stored"
    return r.json()


def approve(client, cid, decision="approve", who="ed", role="department_head"):
    return client.post(f"/v1/checks/{cid}/approvals", headers=bearer(who),
                       json={"role": role, "approver": "张主任", "decision": decision, "comment": "ok"})


def publish(client, cid, who="ed"):
    return client.post(f"/v1/checks/{cid}/publication", headers=bearer(who),
                       json={"channel": "公司公众号", "url": "https://mp.weixin.qq.com/s/abc",
                             "published_at": "2026-03-02T09:00:00+08:00"})


def test_every_v1_endpoint_needs_a_key(audit):
    client, _ = audit
    for method, path in (("POST", "/v1/check"), ("GET", "/v1/rules"), ("GET", "/v1/checks/x"),
                         ("POST", "/v1/checks/x/approvals"), ("GET", "/v1/reports/summary")):
        r = client.request(method, path, json={"body": "x"})
        assert r.status_code == 401, (path, r.text)
        assert r.json()["detail"] == "missing API key: send Authorization: Bearer <key>"
        assert r.headers["www-authenticate"] == "Bearer"
    r = client.post("/v1/check", json={"body": "x"}, headers={"Authorization": "Bearer not-a-key"})
    assert r.status_code == 401 and r.json()["detail"] == "unknown API key"
    r = client.get("/v1/rules", headers={"Authorization": "Basic a2V5LWFs"})
    assert r.status_code == 401
    assert client.get("/healthz").status_code == 200


def test_the_check_is_stored_with_its_report(audit):
    client, _ = audit
    rep = check(client, body=UNFILLED, author="store-1")
    got = client.get(f"/v1/checks/{rep['id']}", headers=bearer("al")).json()
    assert got["report"] == rep
    assert got["key_name"] == "al" and got["author"] == {"id": "store-1", "type": "employee", "department": "市场部"}
    assert got["draft"] == {"title": None, "body": UNFILLED, "format": "text"} and len(got["content_hash"]) == 64
    assert got["approval"] == {"required": ["department_head"], "approved": [], "rejected": [],
                               "pending": ["department_head"], "complete": False}


def test_role_rules(audit):
    client, _ = audit
    cid = check(client, who="al", author="roles-1")["id"]
    # Authors read their own checks only.
    r = client.get(f"/v1/checks/{cid}", headers=bearer("bo"))
    assert r.status_code == 403 and "only the checks made with it" in r.json()["detail"]
    assert client.get(f"/v1/checks/{cid}", headers=bearer("al")).status_code == 200
    # Approvals and publications need an editor.
    r = approve(client, cid, who="al")
    assert r.status_code == 403 and r.json()["detail"] == "key 'al' has role author; this endpoint needs editor"
    assert publish(client, cid, who="al").status_code == 403
    assert client.get(f"/v1/checks/{cid}", headers=bearer("ed")).status_code == 200
    assert approve(client, cid, who="ed").status_code == 201
    # The ledger and the periodic report are the administration department's.
    for who in ("al", "ed"):
        r = client.get("/v1/authors/roles-1/record", headers=bearer(who))
        assert r.status_code == 403 and "needs admin" in r.json()["detail"]
        assert client.get("/v1/reports/summary", headers=bearer(who)).status_code == 403
    assert client.get("/v1/authors/roles-1/record", headers=bearer("ad")).status_code == 200
    # Admins do everything an editor does.
    assert approve(client, cid, who="ad").status_code == 201
    assert client.get(f"/v1/checks/{cid}", headers=bearer("ad")).status_code == 200


def test_escalation_criticism_warning_penalty(audit):
    client, _ = audit
    author = f"emp-{uuid.uuid4().hex[:6]}"
    ledger = lambda: client.get(f"/v1/authors/{author}/record", headers=bearer("ad")).json()  # noqa: E731
    assert ledger() == {"author_id": author, "checks": 0, "publications": 0, "violations": 0,
                        "escalation": "none", "violation_records": []}

    ok = check(client, author=author)["id"]
    assert approve(client, ok).status_code == 201
    r = publish(client, ok)
    assert r.status_code == 201 and r.json()["compliant"] is True and r.json()["reasons"] == []
    assert ledger()["escalation"] == "none"

    unapproved = check(client, author=author)["id"]
    r = publish(client, unapproved).json()
    assert (r["compliant"], [x["code"] for x in r["reasons"]], r["escalation"]) == \
        (False, ["approval.missing"], "criticism")
    assert ledger()["escalation"] == "criticism"

    rejected = check(client, author=author)["id"]
    approve(client, rejected, "approve")
    approve(client, rejected, "reject")  # the latest decision stands
    r = publish(client, rejected).json()
    assert [x["code"] for x in r["reasons"]] == ["approval.rejected"] and r["escalation"] == "warning"

    unfilled = check(client, body=UNFILLED, author=author)["id"]
    approve(client, unfilled)
    r = publish(client, unfilled).json()
    assert [x["code"] for x in r["reasons"]] == ["finding.error"] and "placeholder.xx" in r["reasons"][0]["message"]
    assert r["escalation"] == "penalty"

    record = ledger()
    assert (record["checks"], record["publications"], record["violations"], record["escalation"]) == \
        (4, 4, 3, "penalty")
    assert [v["check_id"] for v in record["violation_records"]] == [unapproved, rejected, unfilled]
    assert record["violation_records"][0]["published_at"] == "2026-03-02T01:00:00.000+00:00"
    # The check shows its publications.
    got = client.get(f"/v1/checks/{unfilled}", headers=bearer("ed")).json()
    assert [p["compliant"] for p in got["publications"]] == [False]


def test_bad_requests_get_a_clear_detail(audit):
    client, _ = audit
    cid = check(client, author="bad-1")["id"]
    r = approve(client, cid, role="senior_leadership")
    assert r.status_code == 422 and "not an approver of this check's department tier" in r.json()["detail"]
    r = client.post(f"/v1/checks/{cid}/approvals", headers=bearer("ed"),
                    json={"role": "department_head", "approver": "x", "decision": "maybe"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "decision"
    r = client.post(f"/v1/checks/{cid}/publication", headers=bearer("ed"), json={"url": "x"})
    assert r.status_code == 422
    r = publish(client, "no-such-check")
    assert r.status_code == 404 and "no check with id" in r.json()["detail"]
    assert client.get("/v1/checks/no-such-check", headers=bearer("ad")).status_code == 404
    r = client.get("/v1/reports/summary?from=yesterday", headers=bearer("ad"))
    assert r.status_code == 422 and "from='yesterday'" in r.json()["detail"]
    r = client.get("/v1/reports/summary?from=2026-03-02&to=2026-03-01", headers=bearer("ad"))
    assert r.status_code == 422


def test_summary_as_json_and_csv(audit):
    client, _ = audit
    dept = f"部门-{uuid.uuid4().hex[:4]}"
    check(client, body=UNFILLED, author="sum-1", department=dept)
    check(client, author="sum-1", department=dept)
    r = client.get("/v1/reports/summary", params={"from": "2020-01-01"}, headers=bearer("ad"))
    data = r.json()
    assert data["by_department"][dept] == 2
    assert data["by_check"]["placeholder"]["checks"] >= 1 and data["by_rule"]["placeholder.xx"]["findings"] >= 2
    assert set(data) >= {"from", "to", "checks", "by_verdict", "by_tier", "by_department", "by_check", "by_rule",
                         "publications", "violations"}
    empty = client.get("/v1/reports/summary", params={"from": "2001-01-01", "to": "2001-12-31"},
                       headers=bearer("ad")).json()
    assert empty["checks"] == 0 and empty["to"] == "2002-01-01T00:00:00.000+00:00"
    for kw in ({"params": {"from": "2020-01-01", "format": "csv"}},
               {"params": {"from": "2020-01-01"}, "headers": {"Accept": "text/csv"}}):
        headers = {**bearer("ad"), **kw.get("headers", {})}
        r = client.get("/v1/reports/summary", params=kw["params"], headers=headers)
        assert r.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0] == ["dimension", "key", "checks", "findings"]
        assert ["department", dept, "2", ""] in rows
        assert any(row[:2] == ["rule", "placeholder.xx"] for row in rows)


def test_a_key_created_with_the_cli_works_and_is_stored_hashed(audit):
    client, url = audit
    env = {**os.environ, "PRECHECK_DATABASE_URL": url}
    name = f"editor-{uuid.uuid4().hex[:6]}"
    out = subprocess.run([sys.executable, "-m", "app.cli", "keys", "create", "--role", "editor", "--name", name],
                         capture_output=True, text=True, env=env, cwd=str(ROOT), timeout=60)
    assert out.returncode == 0, out.stderr
    key = out.stdout.strip()
    assert key.startswith("pck_") and "shown only now" in out.stderr
    from sqlalchemy import create_engine, text
    from app.store.db import database_url
    from app.settings import Settings
    engine = create_engine(database_url(Settings(database_url=url)))
    with engine.connect() as c:
        stored = c.execute(text("SELECT key_hash FROM api_keys WHERE name = :n"), {"n": name}).scalar_one()
    engine.dispose()
    assert key not in stored and len(stored) == 64
    cid = check(client, author="cli-1")["id"]
    r = client.post(f"/v1/checks/{cid}/approvals", headers={"Authorization": f"Bearer {key}"},
                    json={"role": "department_head", "approver": "x", "decision": "approve"})
    assert r.status_code == 201 and r.json()["recorded_by"] == name
    r = client.get("/v1/reports/summary", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 403 and f"key {name!r} has role editor" in r.json()["detail"]


def test_rate_limit_per_key(server_factory, tmp_path):
    server = server_factory(env={"PRECHECK_API_KEYS": "al:author:key-al,bo:author:key-bo",
                                 "PRECHECK_RATE_LIMIT": "3", "PRECHECK_RATE_WINDOW": "60",
                                 "PRECHECK_DATABASE_URL": f"sqlite:///{tmp_path / 'rl.db'}"})
    try:
        with server.client() as c:
            codes = [c.get("/v1/rules", headers=bearer("al")).status_code for _ in range(3)]
            assert codes == [200, 200, 200]
            r = c.get("/v1/rules", headers=bearer("al"))
            assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 20
            assert "rate limit of 3 requests per 60 s" in r.json()["detail"]
            assert c.get("/v1/rules", headers=bearer("bo")).status_code == 200  # each key has its own bucket
    finally:
        server.stop()


def test_open_install_without_keys(server):
    """No key configured: checking is open (a single-user install); admin endpoints stay closed."""
    r = httpx.post(server.url + "/v1/check", json={"body": CLEAN, "checks": ["placeholder"]})
    assert r.status_code == 200 and r.headers["x-precheck-record"] == "stored"
    assert httpx.get(f"{server.url}/v1/checks/{r.json()['id']}").status_code == 200
    r = httpx.get(server.url + "/v1/reports/summary")
    assert r.status_code == 403 and "admin endpoints are disabled" in r.json()["detail"]
