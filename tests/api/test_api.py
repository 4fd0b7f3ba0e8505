"""The REST contract through a real server: reports, rules, health, and hostile input."""

from __future__ import annotations

import json

import httpx
import pytest


def test_password_draft_is_blocked_with_exact_span(server):
    body = "测试环境密码：Abc@12345"
    r = httpx.post(server.url + "/v1/check", json={"body": body}, timeout=60)
    assert r.status_code == 200
    rep = r.json()
    assert rep["verdict"] == "block"
    hits = [f for f in rep["findings"] if f["check"] == "privacy"]
    assert hits and any(body[f["offset"]:f["offset"] + f["length"]] == "Abc@12345" for f in hits)


def test_report_shape(server):
    r = httpx.post(server.url + "/v1/check", json={"title": "关于年会的通知", "body": "年会定于[X]月[X]日举行。"},
                   timeout=60)
    rep = r.json()
    assert set(rep) >= {"id", "created_at", "verdict", "tier", "findings", "summary", "checks", "elapsed_ms"}
    assert rep["verdict"] == "revise"
    assert rep["summary"]["error"] == sum(1 for f in rep["findings"] if f["severity"] == "error")
    assert {c["name"] for c in rep["checks"]} >= {"placeholder"}
    assert rep["tier"]["level"] == "department"
    assert rep["tier"]["approvers"] == [{"role": "department_head", "title": "部门负责人"}]


def test_requested_checks_only(server):
    rep = httpx.post(server.url + "/v1/check", json={"body": "[X] 密码：Abc@12345", "checks": ["placeholder"]},
                     timeout=60).json()
    assert {f["check"] for f in rep["findings"]} == {"placeholder"}
    statuses = {c["name"]: c["status"] for c in rep["checks"]}
    assert statuses["placeholder"] == "ok"
    assert all(s == "skipped" for n, s in statuses.items() if n != "placeholder")


def test_external_author_gets_external_chain(server):
    rep = httpx.post(server.url + "/v1/check", json={"body": "周五下午三点开会。", "author": {"id": "x1", "type": "external"}},
                     timeout=60).json()
    assert rep["tier"]["level"] == "external"
    assert [a["role"] for a in rep["tier"]["approvers"]] == ["business_department_head", "supervising_leader"]


def test_rules_and_health(server):
    rules = httpx.get(server.url + "/v1/rules").json()["rules"]
    assert any(r["id"] == "placeholder.bracket" for r in rules)
    assert all({"id", "check", "severity", "clause", "description"} <= set(r) for r in rules)
    health = httpx.get(server.url + "/healthz").json()
    assert health["status"] == "ok" and len(health["lexicon_version"]) == 12
    assert httpx.get(server.url + "/docs").status_code == 200
    assert "/v1/check" in httpx.get(server.url + "/openapi.json").json()["paths"]


HOSTILE = [
    ("invalid json", b'{"body": ', "application/json", {422}),
    ("wrong type", b'{"body": 5}', "application/json", {422}),
    ("missing body", b'{"title": "x"}', "application/json", {422}),
    ("unknown format", b'{"body": "x", "format": "docx"}', "application/json", {422}),
    ("unknown check", b'{"body": "x", "checks": ["nope"]}', "application/json", {422}),
    ("lone surrogate", b'{"body": "abc\\ud800def"}', "application/json", {422}),
    ("binary garbage", b"\xff\xfe\x00\x81\x92garbage", "application/json", {400, 422}),
    ("not json at all", b"body=x", "application/x-www-form-urlencoded", {422}),
    ("array", b"[1,2,3]", "application/json", {422}),
    ("deep json", b"[" * 100000 + b"]" * 100000, "application/json", {400, 422}),
    ("wrong author type", b'{"body": "x", "author": {"type": "robot"}}', "application/json", {422}),
]


@pytest.mark.parametrize("name,raw,ctype,codes", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_requests_get_clear_errors(server, name, raw, ctype, codes):
    r = httpx.post(server.url + "/v1/check", content=raw, headers={"content-type": ctype}, timeout=60)
    assert r.status_code in codes, r.text[:300]
    assert "detail" in r.json()


def test_oversized_body_is_413(server):
    r = httpx.post(server.url + "/v1/check", json={"body": "字" * 100_001}, timeout=60)
    assert r.status_code == 413
    assert "100000" in r.json()["detail"]


def test_huge_request_is_refused_before_parsing(server):
    r = httpx.post(server.url + "/v1/check", content=b'{"body": "' + b"a" * 3_000_000 + b'"}',
                   headers={"content-type": "application/json"}, timeout=60)
    assert r.status_code == 413 and "detail" in r.json()


@pytest.mark.parametrize("draft", [
    {"body": "正文\x00含有NUL\x00字符 [X]"},
    {"body": "<i>" * 20000 + "深层嵌套 [X]", "format": "html"},
    {"body": "<div>" * 9000 + "深层嵌套 [X]" + "</div>" * 9000, "format": "html"},
    {"body": "<p><a href='javascript:alert(1)'>x</a><img src=x onerror=alert(1)><<<>>>&#xZZZZ;&#99999999;&bogus;",
     "format": "html"},
    {"body": "> " * 5000 + "深层引用", "format": "markdown"},
    {"body": "[" * 5000 + "x" + "](" * 5000, "format": "markdown"},
    {"body": "\u202e\u2066隐藏\u200b文本\ufeff", "title": "\x00"},
    {"body": "x", "media": [{"url": "javascript:alert(1)", "type": "image"}]},
])
def test_strange_but_valid_drafts_answer_200(server, draft):
    r = httpx.post(server.url + "/v1/check", json=draft, timeout=120)
    assert r.status_code == 200, r.text[:300]
    rep = r.json()
    src = {"body": draft["body"], "title": draft.get("title") or ""}
    for f in rep["findings"]:
        if f["field"] in src:
            assert src[f["field"]][f["offset"]:f["offset"] + f["length"]] == f["text"]
