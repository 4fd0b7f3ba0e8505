"""Probing against real HTTP servers on loopback: statuses, redirects, timeouts, the guard, caches."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from app import pipeline, registry, resources
from app.checks import link as link_check
from app.links.probe import ProbeConfig, Prober
from app.models import Draft
from app.net import loop
from app.net.guard import Guard, parse_allow
from app.settings import Settings
from support import free_port
from support.linkserver import LinkServer

ALLOW_LOCAL = "127.0.0.1/32"


@pytest.fixture(scope="module")
def srv():
    s = LinkServer("127.0.0.1")
    s.httpd.slow = 1.5
    yield s
    s.close()


@pytest.fixture()
def local(srv):
    srv.reset()
    return srv


def probe(urls, *, allow=ALLOW_LOCAL, stop=lambda u: False, resolver=None, **cfg):
    async def go():
        config = ProbeConfig(allow_private=allow, timeout=cfg.pop("timeout", 0.5), **cfg)
        p = Prober(config, guard=Guard(allow=parse_allow(allow), **({"resolver": resolver} if resolver else {})))
        try:
            return await p.probe_many(urls, stop, budget=20), p
        finally:
            await p.aclose()
    return loop.run(go(), timeout=30)


def test_statuses(local):
    base = local.url
    results, _ = probe([f"{base}/status/200", f"{base}/status/404", f"{base}/status/410", f"{base}/status/503",
                        f"{base}/status/403"])
    assert [results[f"{base}/status/{n}"].outcome for n in (200, 404, 410, 503, 403)] == \
        ["ok", "dead", "dead", "server_error", "client_error"]


def test_head_first_then_get(local):
    results, p = probe([f"{local.url}/status/200", f"{local.url}/nohead"])
    assert results[f"{local.url}/nohead"].outcome == "ok"
    methods = [(s.method, s.path) for s in local.seen]
    assert ("HEAD", "/status/200") in methods and ("GET", "/status/200") not in methods
    assert [m for m, path in methods if path == "/nohead"] == ["HEAD", "GET"]


def test_redirect_chain_is_followed_by_hand(local):
    results, _ = probe([f"{local.url}/redirect/3"])
    r = results[f"{local.url}/redirect/3"]
    assert r.outcome == "ok" and r.hops == [f"{local.url}/redirect/{n}" for n in (2, 1, 0)]


def test_more_than_five_redirects(local):
    results, _ = probe([f"{local.url}/redirect/7"])
    r = results[f"{local.url}/redirect/7"]
    assert r.outcome == "redirects" and len(r.hops) == 5
    assert len(local.seen) == 6  # the first request and five hops, never a seventh


def test_slow_response_times_out(local):
    results, _ = probe([f"{local.url}/slow"], timeout=0.3)
    assert results[f"{local.url}/slow"].outcome == "timeout"


def test_name_resolving_to_loopback_is_refused_when_private_is_not_allowed(local):
    results, _ = probe([f"http://localhost:{local.port}/a", f"http://127.1:{local.port}/b",
                        f"http://2130706433:{local.port}/c", f"http://[::ffff:127.0.0.1]:{local.port}/d"], allow="")
    assert {r.outcome for r in results.values()} == {"refused"}
    assert local.seen == []


def test_custom_name_resolving_to_loopback_is_refused(local):
    async def resolver(host, port):
        return ["127.0.0.1"]

    results, _ = probe([f"http://wiki.intra.example:{local.port}/"], allow="", resolver=resolver)
    r = results[f"http://wiki.intra.example:{local.port}/"]
    assert r.outcome == "refused" and r.refused_reason == "loopback" and local.seen == []


def test_redirect_to_a_private_address_is_refused_and_not_requested(local):
    inner = LinkServer("127.0.0.2")
    try:
        url = f"{local.url}/to?u=http://127.0.0.2:{inner.port}/admin"
        results, _ = probe([url])
        r = results[url]
        assert r.outcome == "refused" and r.final_url == f"http://127.0.0.2:{inner.port}/admin"
        assert inner.seen == [] and len(local.seen) == 1
    finally:
        inner.close()


def test_redirect_to_metadata_is_refused(local):
    url = f"{local.url}/to?u=http://169.254.169.254/latest/meta-data/"
    results, _ = probe([url], allow="true")
    assert results[url].outcome == "refused" and results[url].refused_reason == "metadata"


def test_a_hop_the_static_rules_block_is_not_requested(local):
    async def resolver(host, port):
        return ["127.0.0.1"]

    bad = f"http://testsafebrowsing.appspot.com:{local.port}/malware"
    url = f"{local.url}/to?u={bad}"
    results, _ = probe([url], resolver=resolver, stop=lambda u: "testsafebrowsing" in u)
    assert results[url].outcome == "stopped" and results[url].hops == [bad]
    assert [s.path for s in local.seen] == [f"/to?u={bad}"]


def test_concurrency_per_host_is_bounded(local):
    local.httpd.delay = 0.05
    results, _ = probe([f"{local.url}/delay?i={i}" for i in range(12)], per_host=2, concurrency=10)
    assert all(r.outcome == "ok" for r in results.values())
    assert local.httpd.max_active <= 2


def test_connections_are_reused(local):
    results, _ = probe([f"{local.url}/status/200?k={i}" for i in range(8)], per_host=1)
    assert all(r.outcome == "ok" for r in results.values())
    assert len(local.seen) == 8 and local.httpd.connections == 1


def test_the_draft_budget_bounds_all_probes(local):
    async def go():
        p = Prober(ProbeConfig(allow_private=ALLOW_LOCAL, timeout=5))
        try:
            return await p.probe_many([f"{local.url}/slow", f"{local.url}/status/200"], budget=0.3)
        finally:
            await p.aclose()

    results = loop.run(go(), timeout=10)
    assert results[f"{local.url}/slow"].outcome == "timeout" and "budget" in results[f"{local.url}/slow"].detail
    assert results[f"{local.url}/status/200"].outcome == "ok"


def test_memory_cache_avoids_a_second_request(local):
    url = f"{local.url}/status/200?c={uuid.uuid4().hex}"

    async def go():
        p = Prober(ProbeConfig(allow_private=ALLOW_LOCAL, timeout=1))
        try:
            first = await p.probe(url)
            second = await p.probe(url)
            return first, second
        finally:
            await p.aclose()

    first, second = loop.run(go(), timeout=10)
    assert first.cached is None and second.cached == "memory" and second.outcome == "ok"
    assert len(local.seen) == 1


def test_redis_cache_is_shared_between_probers(local):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    url = f"{local.url}/status/404?r={uuid.uuid4().hex}"
    config = ProbeConfig(allow_private=ALLOW_LOCAL, timeout=1, redis_url="redis://127.0.0.1:6379/0", cache_ttl=60)

    async def once():
        p = Prober(config)  # a fresh process cache each time: only Redis can remember
        try:
            return await p.probe(url)
        finally:
            await p.aclose()

    try:
        first = loop.run(once(), timeout=10)
        second = loop.run(once(), timeout=10)
        assert first.outcome == second.outcome == "dead"
        assert first.cached is None and second.cached == "redis"
        assert len(local.seen) == 2  # HEAD and GET of the first probe only
        from app.links.cache import cache_key
        ttl = redis.Redis.from_url("redis://127.0.0.1:6379/0").ttl(cache_key(url, ALLOW_LOCAL))
        assert 0 < ttl <= 60
    finally:
        from app.links.cache import cache_key
        redis.Redis.from_url("redis://127.0.0.1:6379/0").delete(cache_key(url, ALLOW_LOCAL))


def test_unreachable_redis_falls_back_to_the_process_cache(local):
    url = f"{local.url}/status/200?x={uuid.uuid4().hex}"

    async def go():
        p = Prober(ProbeConfig(allow_private=ALLOW_LOCAL, timeout=1, redis_url="redis://127.0.0.1:1/0"))
        try:
            return await p.probe(url), await p.probe(url)
        finally:
            await p.aclose()

    first, second = loop.run(go(), timeout=20)
    assert first.outcome == "ok" and second.cached == "memory"


# The check inside the pipeline --------------------------------------------------------------

def _resources(**settings):
    return resources.load(Settings(link_timeout=0.5, link_cache_ttl=0, **settings), only={"link"})


def _run(body, res, fmt="text"):
    return pipeline.run(Draft(body=body, format=fmt), res, probe_links=True)


def test_default_settings_never_reach_loopback_and_still_report_it(local):
    res = _resources()
    links = [f"http://localhost:{local.port}/a", f"http://2130706433:{local.port}/b",
             f"http://0x7f000001:{local.port}/c", f"http://0177.0.0.1:{local.port}/d", f"http://127.1:{local.port}/e",
             f"http://[::1]:{local.port}/f", f"http://[::ffff:127.0.0.1]:{local.port}/g"]
    body = "\n".join(f"{u}（内部页面，用于测试）" for u in links)
    report = _run(body, res)
    assert local.seen == []
    for u in links:
        rules = {f.rule for f in report.findings if f.text == u}
        assert rules & {"link.internal", "link.ip_literal"}, (u, rules)
    assert sum(f.rule == "link.internal" for f in report.findings) >= 6


def test_probe_findings_in_a_report(local):
    res = _resources(allow_private_targets=ALLOW_LOCAL)
    bad = "https://testsafebrowsing.appspot.com/x"
    body = (f"{local.url}/status/404（旧版制度页面，用于对比）。{local.url}/to?u={bad}（跳转页面，用于测试）。"
            f"[请假制度]({local.url}/redirect/2)")
    report = _run(body, res, "markdown")
    by_rule = {f.rule: f for f in report.findings}
    assert by_rule["link.dead"].severity == "error" and by_rule["link.dead"].text == f"{local.url}/status/404"
    deny = by_rule["link.deny"]
    assert deny.severity == "block" and f"跳转后的地址 {bad}" in deny.message and deny.text.endswith(bad)
    assert not any(f.rule == "link.dead" and "redirect" in f.text for f in report.findings)
    assert all("/redirect/" in s.path or s.path.startswith(("/status/", "/to?")) for s in local.seen)


def test_shortener_is_expanded(local, monkeypatch):
    async def resolver(host, port):
        return ["127.0.0.1"]

    async def prober_for(config):  # t.cn answered by the local server; nothing leaves the machine
        return Prober(config, guard=Guard(allow=parse_allow(ALLOW_LOCAL), resolver=resolver))

    monkeypatch.setattr(link_check, "get_prober", prober_for)
    short = f"http://t.cn:{local.port}/to?u={local.url}/status/200"
    report = _run(f"{short}（活动页面，用于报名）", _resources(allow_private_targets=ALLOW_LOCAL))
    (f,) = [f for f in report.findings if f.rule == "link.shortener"]
    assert f.message.endswith(f"展开后为 {local.url}/status/200")
    assert local.seen[0].headers["Host"] == f"t.cn:{local.port}"


def test_blocked_links_are_not_probed(local):
    res = _resources(allow_private_targets=ALLOW_LOCAL)
    report = _run("javascript:alert(1)（脚本，用于测试）", res)
    assert [f.rule for f in report.findings] == ["link.scheme"] and local.seen == []


def test_probe_examples_of_the_rules(local):
    """The examples of the rules found by probing, with probe.test served by the local server."""
    res = _resources(allow_private_targets=ALLOW_LOCAL)
    local.httpd.slow = 1.5
    closed = f"http://127.0.0.1:{free_port()}"
    for rule in link_check.RULES:
        if rule.needs != "probe":
            continue
        for kind, examples in (("hit", rule.hit), ("nohit", rule.nohit)):
            for ex in examples:
                body = ex["body"].replace(link_check._PROBE, local.url).replace(link_check._CLOSED, closed)
                found = [f.rule for f in _run(body, res).findings]
                assert (rule.id in found) == (kind == "hit"), (rule.id, kind, body, found)


def test_probing_through_the_service(server_factory, local):
    s = server_factory({"PRECHECK_ALLOW_PRIVATE_TARGETS": ALLOW_LOCAL, "PRECHECK_LINK_TIMEOUT": "1"})
    with s.client() as c:
        r = c.post("/v1/check", json={"body": f"{local.url}/status/410（旧页面，用于测试）", "checks": ["link"],
                                      "probe_links": True})
        assert r.status_code == 200
        assert "link.dead" in [f["rule"] for f in r.json()["findings"]]
        r = c.post("/v1/check", json={"body": f"{local.url}/status/410（旧页面，用于测试）", "checks": ["link"]})
        assert "link.dead" not in [f["rule"] for f in r.json()["findings"]]  # probing is off by default
    assert [x.path for x in local.seen if x.method == "HEAD"] == ["/status/410"]


def test_every_link_rule_is_registered():
    ids = set(registry.all_rules())
    assert {r.id for r in link_check.RULES} <= ids
