"""Two ``precheck serve`` replicas on different ports sharing one PostgreSQL and one Redis, as behind
a load balancer: a check recorded on one is approved on the other, a key's rate limit holds across
both, a term added on one blocks a draft on the other within 2 s, and their /metrics add up.

Replica A runs two worker processes, so its /metrics must also add up its workers' counts."""

from __future__ import annotations

import itertools
import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from support.databases import create_postgres_database, drop_postgres_database, require_postgres
from support.replicas import REDIS_URL, require_redis, start_replica, unique_prefix

pytestmark = pytest.mark.postgres

LIMIT = 20
KEYS = {name: f"{name}-key-{i}" for i, name in enumerate(("rec", "lim", "lex", "met", "ed"))}
ADMIN = "adm-key-replicas"


def auth(name: str) -> dict:
    return {"Authorization": f"Bearer {KEYS[name] if name in KEYS else ADMIN}"}


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    require_postgres()
    require_redis()
    url = create_postgres_database()
    env = {"PRECHECK_DATABASE_URL": url, "PRECHECK_REDIS_URL": REDIS_URL, "PRECHECK_REDIS_PREFIX": unique_prefix(),
           "PRECHECK_API_KEYS": ",".join(f"{n}:editor:{k}" for n, k in KEYS.items()),
           "PRECHECK_ADMIN_KEYS": f"adm:{ADMIN}", "PRECHECK_RATE_LIMIT": str(LIMIT),
           "PRECHECK_RATE_WINDOW": "3600", "PRECHECK_LEXICON_POLL_SECONDS": "1"}
    tmp = tmp_path_factory.mktemp("replicas")
    started = []
    try:
        started.append(start_replica(tmp, env, workers=2))
        started.append(start_replica(tmp, env))
        yield started
    finally:
        for s in started:
            s.stop()
        drop_postgres_database(url)


def test_a_check_recorded_on_one_is_approved_on_the_other(replicas):
    a, b = replicas
    with a.client() as ca, b.client() as cb:
        r = ca.post("/v1/check", json={"body": "本周五下午三点在三楼会议室召开部门例会，请准时参加。",
                                       "author": {"id": "e1", "department": "办公室"}}, headers=auth("rec"))
        assert r.status_code == 200 and r.headers["X-Precheck-Record"] == "stored"
        check_id, role = r.json()["id"], r.json()["tier"]["approvers"][0]["role"]
        r = cb.post(f"/v1/checks/{check_id}/approvals", json={"role": role, "approver": "张主任", "decision": "approve"},
                    headers=auth("rec"))
        assert r.status_code == 201, r.text
        got = ca.get(f"/v1/checks/{check_id}", headers=auth("rec")).json()
        assert got["approval"]["approved"] == [role] and got["approvals"][0]["approver"] == "张主任"


def test_a_keys_rate_limit_holds_across_both_replicas(replicas):
    clients = [s.client() for s in replicas]
    try:
        codes = [c.get("/v1/rules", headers=auth("lim")).status_code
                 for c, _ in zip(itertools.cycle(clients), range(2 * LIMIT + 10))]
    finally:
        for c in clients:
            c.close()
    assert codes.count(200) == LIMIT, codes  # N in all, not N per replica (2N) nor per worker (3N)
    assert codes.count(429) == LIMIT + 10
    assert set(codes[:LIMIT]) == {200}


def test_a_term_added_on_one_blocks_on_the_other_within_two_seconds(replicas):
    a, b = replicas
    term, draft = "鲲鹏四号方案", {"body": "下周将对外介绍鲲鹏四号方案的进展。", "checks": ["sensitive"]}

    def flagged(client) -> bool:
        r = client.post("/v1/check", json=draft, headers=auth("lex"))
        assert r.status_code == 200, r.text
        return any(f["text"] == term for f in r.json()["findings"])

    with a.client() as ca, b.client() as cb:
        assert not flagged(cb)
        r = ca.post("/v1/admin/lexicons/sensitive/confidential/terms", json={"term": term}, headers=auth("adm"))
        assert r.status_code == 201, r.text
        added = time.monotonic()
        while not flagged(cb):
            assert time.monotonic() - added < 2.0, "replica B did not pick up the new term within 2 s"
            time.sleep(0.1)
        assert flagged(ca)
        # The database holds the overlay: the other replica lists the term as the company's.
        terms = cb.get("/v1/admin/lexicons/sensitive/confidential", headers=auth("adm")).json()["terms"]
        assert {"term": term, "source": "company"}.items() <= next(t for t in terms if t["term"] == term).items()


def _requests(client: httpx.Client) -> dict[str, float]:
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    counts: dict[str, float] = {}
    for fam in text_string_to_metric_families(r.text):
        for s in fam.samples:
            if s.name == "precheck_http_requests_total" and s.labels["endpoint"] == "/v1/check":
                counts[s.labels["status"]] = counts.get(s.labels["status"], 0) + s.value
            if s.name == "precheck_http_request_duration_seconds_count" and s.labels["endpoint"] == "/v1/check":
                counts["latency_count"] = counts.get("latency_count", 0) + s.value
            if s.name == "precheck_audit_records_total" and s.labels["outcome"] == "stored":
                counts["stored"] = counts.get("stored", 0) + s.value
    return counts


def test_metrics_of_both_replicas_add_up_to_the_requests_sent(replicas):
    clients = [s.client() for s in replicas]
    try:
        before = [_requests(c) for c in clients]
        sent = 12
        for c, i in zip(itertools.cycle(clients), range(sent)):
            r = c.post("/v1/check", json={"body": f"第{i}次提交的通知正文，内容平常。"}, headers=auth("met"))
            assert r.status_code == 200
        r = clients[0].post("/v1/check", json={"body": 5}, headers=auth("met"))
        assert r.status_code == 422
        after = [_requests(c) for c in clients]
    finally:
        for c in clients:
            c.close()

    def delta(key: str) -> float:
        return sum(x.get(key, 0) - y.get(key, 0) for x, y in zip(after, before))

    assert delta("200") == sent
    assert delta("422") == 1
    assert delta("latency_count") == sent + 1
    assert delta("stored") == sent
    # Replica A's scrapes are answered by either of its two workers: each sees both workers' counts.
    with replicas[0].client() as c:
        assert len({_requests(c).get("200") for _ in range(6)}) == 1
