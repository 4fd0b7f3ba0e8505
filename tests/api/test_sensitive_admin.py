"""The lexicon admin API and hot reload, against real servers: keys and roles, validation, the
overlay folder (edits survive a restart, bundled terms can be withdrawn), SIGHUP, the file watcher,
and atomic swaps under concurrent load (no request fails, each sees the old or the new lexicon)."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

ADMIN, EDITOR = "adm-key-1", "ed-key-1"
ENV = {"PRECHECK_ADMIN_KEYS": f"adm:{ADMIN}", "PRECHECK_API_KEYS": f"ed:editor:{EDITOR}"}
AS_ADMIN = {"Authorization": f"Bearer {ADMIN}"}
AS_EDITOR = {"Authorization": f"Bearer {EDITOR}"}
BASE = "/v1/admin/lexicons/sensitive"


@pytest.fixture(scope="module")
def srv(server_factory):
    return server_factory(ENV)


def found(client: httpx.Client, body: str, rule_prefix: str = "sensitive.") -> list[str]:
    r = client.post("/v1/check", json={"body": body, "checks": ["sensitive"]}, headers=AS_EDITOR)
    assert r.status_code == 200, r.text
    return [f["text"] for f in r.json()["findings"] if f["rule"].startswith(rule_prefix)]


def wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_keys_and_roles(srv):
    with srv.client() as c:
        assert c.get(BASE).status_code == 401
        assert c.get(BASE, headers={"Authorization": "Bearer nope"}).status_code == 401
        r = c.post(f"{BASE}/vulgar/terms", json={"term": "狗腿子"}, headers=AS_EDITOR)
        assert r.status_code == 403 and "admin" in r.json()["detail"]
        r = c.get(BASE, headers=AS_ADMIN)
        assert r.status_code == 200
        names = {cat["name"] for cat in r.json()["categories"]}
        assert {"confidential", "vulgar", "ad_law", "political"} <= names


@pytest.mark.parametrize("payload,why", [
    ({"term": ""}, "empty"), ({"term": "   "}, "empty"), ({"term": "长" * 33}, "limit is 32"),
    ({"term": "内部资料"}, "duplicate"), ({"term": "內部資料"}, "duplicate"), ({"term": "内 部 资 料"}, "duplicate"),
    ({"term": "a|b"}, "|"), ({"term": "第一句。第二句"}, "sentence end"), ({"term": "\u200b\u200b"}, "no visible"),
    ({"term": "某个词", "pinyin": "yes"}, "bool"), ({}, "missing"), ({"term": 5}, "string"),
])
def test_bad_terms_are_refused_with_a_reason(srv, payload, why):
    with srv.client() as c:
        r = c.post(f"{BASE}/confidential/terms", json=payload, headers=AS_ADMIN)
    assert r.status_code == 422, r.text
    assert why.lower() in str(r.json()["detail"]).lower()


def test_unknown_category_and_term_are_404(srv):
    with srv.client() as c:
        assert c.post(f"{BASE}/nonsense/terms", json={"term": "某词"}, headers=AS_ADMIN).status_code == 404
        assert c.get(f"{BASE}/nonsense", headers=AS_ADMIN).status_code == 404
        r = c.delete(f"{BASE}/vulgar/terms/从未收录的词", headers=AS_ADMIN)
        assert r.status_code == 404 and "从未收录的词" in r.json()["detail"]


def test_add_list_remove_take_effect_at_once(srv):
    with srv.client() as c:
        assert found(c, "他就是个狗·腿·子。") == []
        r = c.post(f"{BASE}/vulgar/terms", json={"term": "狗腿子"}, headers=AS_ADMIN)
        assert r.status_code == 201 and r.json()["source"] == "company"
        assert found(c, "他就是个狗·腿·子。") == ["狗·腿·子"]
        terms = {t["term"]: t for t in c.get(f"{BASE}/vulgar", headers=AS_ADMIN).json()["terms"]}
        assert terms["狗腿子"]["source"] == "company" and "傻逼" in terms
        assert c.delete(f"{BASE}/vulgar/terms/狗腿子", headers=AS_ADMIN).status_code == 200
        assert found(c, "他就是个狗·腿·子。") == []
        # pinyin flags through the API
        c.post(f"{BASE}/vulgar/terms", json={"term": "菜狗", "pinyin": True}, headers=AS_ADMIN)
        assert found(c, "你就是个 cai gou 吧") == ["cai gou"]


def test_political_is_empty_until_the_company_adds_terms(srv):
    with srv.client() as c:
        cats = {x["name"]: x for x in c.get(BASE, headers=AS_ADMIN).json()["categories"]}
        assert cats["political"]["terms"] == 0
        c.post(f"{BASE}/political/terms", json={"term": "某政治敏感词"}, headers=AS_ADMIN)
        r = c.post("/v1/check", json={"body": "文中出现某政治敏感词。"}, headers=AS_EDITOR).json()
        (f,) = [f for f in r["findings"] if f["rule"] == "sensitive.political"]
        assert (f["severity"], f["clause"], f["category"]) == ("block", "三(一)3", "political")


def test_edits_survive_a_restart_and_bundled_terms_can_be_withdrawn(server_factory):
    first = server_factory(ENV)
    with first.client() as c:
        c.post(f"{BASE}/fraud/terms", json={"term": "薅羊毛群"}, headers=AS_ADMIN)
        assert c.delete(f"{BASE}/fraud/terms/传销", headers=AS_ADMIN).status_code == 200
        assert found(c, "加入薅羊毛群，搞传销。") == ["薅羊毛群"]
    first.stop()
    overlay = first.data_dir / "lexicons" / "sensitive"
    assert "薅羊毛群" in (overlay / "fraud.txt").read_text(encoding="utf-8")
    assert "传销" in (overlay / "removed" / "fraud.txt").read_text(encoding="utf-8")
    second = server_factory({**ENV, "PRECHECK_DATA_DIR": str(first.data_dir)})
    with second.client() as c:
        assert found(c, "加入薅羊毛群，搞传销。") == ["薅羊毛群"]
        assert c.post(f"{BASE}/fraud/terms", json={"term": "传销"}, headers=AS_ADMIN).status_code == 201
        assert found(c, "加入薅羊毛群，搞传销。") == ["薅羊毛群", "传销"]


def _hammer(client_factory, body: str, stop: threading.Event, seen: list, errors: list) -> None:
    with client_factory() as c:
        while not stop.is_set():
            try:
                r = c.post("/v1/check", json={"body": body, "checks": ["sensitive"]}, headers=AS_EDITOR)
                if r.status_code != 200:
                    errors.append(f"{r.status_code}: {r.text[:200]}")
                    continue
                seen.append(frozenset(f["text"] for f in r.json()["findings"] if f["rule"] == "sensitive.vulgar"))
            except httpx.HTTPError as e:
                errors.append(repr(e))


def test_concurrent_checks_see_the_old_or_the_new_lexicon(srv):
    words = ["测词甲", "测词乙", "测词丙", "测词丁", "测词戊"]
    body = "，".join(words) + "。"
    states = [frozenset(words[:i]) for i in range(len(words) + 1)] + [frozenset(words[i:]) for i in range(1, len(words) + 1)]
    stop, seen, errors = threading.Event(), [], []
    threads = [threading.Thread(target=_hammer, args=(srv.client, body, stop, seen, errors)) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        with srv.client() as admin:
            for w in words:
                assert admin.post(f"{BASE}/vulgar/terms", json={"term": w}, headers=AS_ADMIN).status_code == 201
            for w in words:
                assert admin.delete(f"{BASE}/vulgar/terms/{w}", headers=AS_ADMIN).status_code == 200
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert errors == []
    assert len(seen) >= 20
    assert all(s in states for s in seen), [sorted(s) for s in seen if s not in states][:5]
    assert len(set(seen)) >= 3, "the checks did not overlap the edits"


def test_sighup_swaps_a_whole_new_lexicon_atomically(server_factory, tmp_path):
    folder = tmp_path / "company" / "sensitive"
    folder.mkdir(parents=True)
    srv = server_factory({**ENV, "PRECHECK_LEXICON_DIRS": str(tmp_path / "company")})
    words = [f"批量词{chr(0x4E00 + i)}{chr(0x4E10 + i)}" for i in range(300)]
    body = "、".join(words) + "。"
    stop, seen, errors = threading.Event(), [], []
    threads = [threading.Thread(target=_hammer, args=(srv.client, body, stop, seen, errors)) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        tmp = folder / "vulgar.txt.tmp"
        tmp.write_text("\n".join(words) + "\n", encoding="utf-8")
        os.replace(tmp, folder / "vulgar.txt")
        os.kill(srv.proc.pid, signal.SIGHUP)
        with srv.client() as c:
            assert wait_for(lambda: len(found(c, body)) == 300)
            (folder / "vulgar.txt").write_text("", encoding="utf-8")
            os.kill(srv.proc.pid, signal.SIGHUP)
            assert wait_for(lambda: found(c, body) == [])
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert errors == []
    assert {len(s) for s in seen} <= {0, 300}, sorted({len(s) for s in seen})
    assert srv.proc.poll() is None


def test_a_changed_lexicon_file_is_picked_up_by_the_watcher(server_factory, tmp_path):
    company = tmp_path / "watched"
    (company / "sensitive").mkdir(parents=True)
    srv = server_factory({**ENV, "PRECHECK_LEXICON_DIRS": str(company), "PRECHECK_WATCH_LEXICONS": "1"})
    with srv.client() as c:
        assert found(c, "这是监视测试词。") == []
        (company / "sensitive" / "violence.txt").write_text("监视测试词\n", encoding="utf-8")
        assert wait_for(lambda: found(c, "这是监视测试词。") == ["监视测试词"])
        (company / "sensitive" / "violence.txt").write_text("# emptied\n", encoding="utf-8")
        assert wait_for(lambda: found(c, "这是监视测试词。") == [])
