"""One draft with many slow links must not stall probing for everyone: its probes end with its
request (answered or over budget), and it gets a share of the process's slots, not all of them."""

from __future__ import annotations

import asyncio
import time

import pytest
from support.linkserver import LinkServer

from app.links.probe import ProbeConfig, Prober
from app.net import loop
from app.net.guard import Guard, parse_allow

ALLOW_LOCAL = "127.0.0.1/32"


@pytest.fixture(scope="module")
def srv():
    s = LinkServer("127.0.0.1")
    s.httpd.slow = 3.0
    yield s
    s.close()


def prober(**cfg) -> Prober:
    config = ProbeConfig(allow_private=ALLOW_LOCAL, timeout=cfg.pop("timeout", 5.0), per_host=100, **cfg)
    return Prober(config, guard=Guard(allow=parse_allow(ALLOW_LOCAL)))


def test_a_draft_over_budget_frees_its_slots_for_the_next_draft(srv):
    async def go():
        p = prober(concurrency=8, per_request=8)
        try:
            heavy = await p.probe_many([f"{srv.url}/slow?i={i}" for i in range(40)], budget=0.3)
            t = time.monotonic()
            light = await p.probe_many([f"{srv.url}/status/200?after"], budget=2.0)
            return heavy, light, time.monotonic() - t
        finally:
            await p.aclose()

    heavy, light, waited = loop.run(go(), timeout=30)
    assert all(r.outcome == "timeout" for r in heavy.values())
    assert light[f"{srv.url}/status/200?after"].outcome == "ok"
    assert waited < 1.0, f"the next draft waited {waited:.2f} s for slots the first one no longer needs"


def test_a_draft_with_many_links_leaves_slots_for_a_draft_sent_meanwhile(srv):
    async def go():
        p = prober(concurrency=8, per_request=4)
        try:
            heavy = asyncio.ensure_future(p.probe_many([f"{srv.url}/slow?j={i}" for i in range(40)], budget=2.5))
            await asyncio.sleep(0.2)
            t = time.monotonic()
            light = await p.probe_many([f"{srv.url}/status/200?meanwhile"], budget=2.0)
            waited = time.monotonic() - t
            await heavy
            return light, waited
        finally:
            await p.aclose()

    light, waited = loop.run(go(), timeout=30)
    assert light[f"{srv.url}/status/200?meanwhile"].outcome == "ok"
    assert waited < 1.0


def test_a_probe_another_draft_still_waits_for_is_not_cancelled(srv):
    srv.httpd.delay = 0.5

    async def go():
        p = prober(concurrency=8)
        try:
            url = f"{srv.url}/delay?shared"
            patient = asyncio.ensure_future(p.probe_many([url], budget=5))
            await asyncio.sleep(0.05)
            hasty = await p.probe_many([url], budget=0.1)
            return hasty[url], (await patient)[url]
        finally:
            await p.aclose()

    hasty, patient = loop.run(go(), timeout=30)
    srv.httpd.delay = 0.05
    assert hasty.outcome == "timeout" and patient.outcome == "ok"
