"""Hostile requests against a real service: every bad input is a 4xx with a JSON ``detail`` (never a
500, never a lost check), answers stay linear in the input, and the permissions hold without keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import pytest
from support import ROOT, free_port

SURROGATE = "\\ud800"  # as JSON sends it: Python cannot even encode it to UTF-8
ADMIN = {"Authorization": "Bearer key-ad"}
AUTHOR = {"Authorization": "Bearer key-au"}
EDITOR = {"Authorization": "Bearer key-ed"}
KEYS = {"PRECHECK_ADMIN_KEYS": "ad:key-ad", "PRECHECK_API_KEYS": "au:author:key-au,ed:editor:key-ed"}


def raw(c: httpx.Client, path: str, text: str, headers=None) -> httpx.Response:
    return c.post(path, content=text.encode("utf-8"), headers={"content-type": "application/json", **(headers or {})})


# Every string field of every request model, with a lone surrogate in it.
CHECK_FIELDS = ['{"body": "%s"}', '{"body": "x", "title": "%s"}', '{"body": "x", "author": {"id": "%s"}}',
                '{"body": "x", "author": {"name": "%s"}}', '{"body": "x", "author": {"department": "%s"}}',
                '{"body": "x", "media": [{"url": "%s"}]}', '{"body": "x", "media": [{"caption": "%s"}]}',
                '{"body": "x", "media": [{"credit": "%s"}]}', '{"body": "x", "checks": ["%s"]}']


@pytest.fixture(scope="module")
def keyed(server_factory):
    return server_factory(env=KEYS)


@pytest.mark.parametrize("template", CHECK_FIELDS)
def test_a_lone_surrogate_in_any_field_of_a_draft_is_a_422(keyed, template):
    with keyed.client() as c:
        before = c.get("/v1/reports/summary", headers=ADMIN).json()["checks"]
        r = raw(c, "/v1/check", template % SURROGATE, AUTHOR)
        assert r.status_code == 422 and r.json()["detail"], r.text
        upload = c.post("/v1/check/upload", headers=AUTHOR, data={"draft": template % SURROGATE})
        assert upload.status_code == 422 and upload.json()["detail"]
        assert c.get("/v1/reports/summary", headers=ADMIN).json()["checks"] == before  # nothing half-stored


def test_a_lone_surrogate_in_approvals_publications_and_lexicon_terms_is_a_422(keyed):
    with keyed.client() as c:
        r = c.post("/v1/check", headers=AUTHOR, json={"body": "一份稿件"})
        cid = r.json()["id"]
        for text in ('{"role": "%s", "approver": "王", "decision": "approve"}',
                     '{"role": "department_head", "approver": "%s", "decision": "approve"}',
                     '{"role": "department_head", "approver": "王", "decision": "approve", "comment": "%s"}'):
            r = raw(c, f"/v1/checks/{cid}/approvals", text % SURROGATE, EDITOR)
            assert r.status_code == 422 and r.json()["detail"], r.text
        for text in ('{"channel": "%s"}', '{"channel": "公众号", "url": "%s"}'):
            r = raw(c, f"/v1/checks/{cid}/publication", text % SURROGATE, EDITOR)
            assert r.status_code == 422 and r.json()["detail"], r.text
        r = raw(c, "/v1/admin/lexicons/sensitive/political/terms", '{"term": "%s"}' % SURROGATE, ADMIN)
        assert r.status_code == 422 and r.json()["detail"], r.text


def test_deep_nesting_is_a_422_everywhere(server):
    deep = "[" * 20000 + "]" * 20000
    with server.client() as c:
        for r in (raw(c, "/v1/check", '{"body": "x", "media": %s}' % deep),
                  c.post("/v2/check", data={"data": deep}),
                  c.post("/v2/check", data={"data": '{"annotation": %s}' % deep}),
                  c.post("/v1/check/upload", data={"draft": deep})):
            assert r.status_code == 422 and r.json()["detail"], (r.request.url, r.status_code, r.text[:200])


def test_too_much_text_on_v2_is_a_413_even_as_four_byte_characters(server):
    with server.client() as c:
        r = c.post("/v2/check", data={"text": "😀" * 100_001})
        assert r.status_code == 413 and r.json()["detail"]


def test_probe_links_must_be_a_boolean(server):
    with server.client() as c:
        r = c.post("/v1/check", json={"body": "x", "probe_links": 0})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "probe_links"


def test_answers_stay_linear_in_the_input(server):
    body = ("赌 博 网 站 " * 3000)[:12_500]  # a spaced sensitive term, no sentence punctuation
    with server.client() as c:
        v2 = c.post("/v2/check", data={"text": body})
        v1 = c.post("/v1/check", json={"body": "http://" + "a." * 20_000 + "b.com"})
    assert v2.status_code == 200 and v2.json()["matches"]
    assert len(v2.content) < 60 * len(body.encode("utf-8")), len(v2.content)
    for m in v2.json()["matches"]:
        assert len(m["sentence"]) <= 300 and len(m["context"]["text"]) <= 300
    assert v1.status_code == 200
    assert all(len(f["text"]) <= 200 for f in v1.json()["findings"])
    assert len(v1.content) < 100_000


def test_without_keys_approvals_and_publications_need_the_setting(server, server_factory):
    with server.client() as c:
        cid = c.post("/v1/check", json={"body": "一份稿件"}).json()["id"]
        r = c.post(f"/v1/checks/{cid}/approvals", json={"role": "department_head", "approver": "王",
                                                         "decision": "approve"})
        assert r.status_code == 403 and "editor" in r.json()["detail"]
        r = c.post(f"/v1/checks/{cid}/publication", json={"channel": "公众号"})
        assert r.status_code == 403
    opened = server_factory(env={"PRECHECK_OPEN_RECORDS": "true"})
    with opened.client() as c:
        cid = c.post("/v1/check", json={"body": "一份稿件"}).json()["id"]
        r = c.post(f"/v1/checks/{cid}/approvals", json={"role": "department_head", "approver": "王",
                                                         "decision": "approve"})
        assert r.status_code == 201, r.text


def test_an_author_cannot_turn_probing_on_unless_the_setting_allows_its_role(keyed, server_factory):
    draft = {"body": "详见 http://127.0.0.1:9/x", "checks": ["link"], "probe_links": True}
    with keyed.client() as c:
        r = c.post("/v1/check", headers=AUTHOR, json=draft)
        assert r.status_code == 403 and "PRECHECK_PROBE_LINKS_ROLES" in r.json()["detail"]
        assert c.post("/v1/check", headers=AUTHOR, json={**draft, "probe_links": False}).status_code == 200
    editors = server_factory(env={**KEYS, "PRECHECK_PROBE_LINKS_ROLES": "editor"})
    with editors.client() as c:
        assert c.post("/v1/check", headers=AUTHOR, json=draft).status_code == 403
        assert c.post("/v1/check", headers=EDITOR, json=draft).status_code == 200


def test_wrong_keys_are_throttled_per_address(keyed):
    with keyed.client() as c:
        codes = [c.post("/v1/check", headers={"Authorization": f"Bearer guess-{i}"}, json={"body": "x"}).status_code
                 for i in range(15)]
        assert codes[:10] == [401] * 10 and set(codes[10:]) == {429}
        assert c.post("/v1/check", headers=AUTHOR, json={"body": "x"}).status_code == 200  # the right key works


def test_v2_checks_are_recorded_without_their_text(keyed):
    with keyed.client() as c:
        before = c.get("/v1/reports/summary", headers=ADMIN).json()
        r = c.post("/v2/check", data={"text": "测试环境密码：Abc@12345，请尽快修改。", "apiKey": "key-au"})
        assert r.status_code == 200 and r.headers["X-Precheck-Record"] == "stored"
        after = c.get("/v1/reports/summary", headers=ADMIN).json()
    assert after["checks"] == before["checks"] + 1
    assert after["by_check"]["privacy"]["checks"] == before.get("by_check", {}).get("privacy", {}).get("checks", 0) + 1


def test_x_forwarded_for_is_not_trusted_unless_from_a_configured_proxy(tmp_path):
    port = free_port()
    env = {**os.environ, "PRECHECK_DATA_DIR": str(tmp_path), "PRECHECK_RATE_LIMIT": "3",
           "PRECHECK_WATCH_LEXICONS": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], cwd=str(ROOT), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        codes = [httpx.post(url + "/v1/check", json={"body": "x", "checks": ["placeholder"]},
                            headers={"X-Forwarded-For": f"203.0.113.{i}"}, timeout=30).status_code for i in range(5)]
        assert codes == [200, 200, 200, 429, 429]
    finally:
        proc.terminate()
        proc.wait(10)
