"""Latency and throughput of POST /v1/check on a 3,000-character draft (offline checks).

Two runs: a server whose typo clause cache is off (every request pays as for a new draft), and one
on the defaults (the same draft re-checked, as an editor's plugin does after each edit).

    python bench/service.py [--requests 300] [--clients 8] [--workers N]
    python bench/service.py --replicas 2 [--postgres URL] [--redis URL]

With ``--replicas N``, N ``precheck serve`` processes on their own ports share one database (a new
PostgreSQL database on the local server unless --postgres names one) and Redis; the clients send
their requests to them in turn, as a round-robin load balancer would.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import draft_of, percentile, replicas, server  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--chars", type=int, default=3000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--replicas", type=int, default=0, help="N precheck serve replicas, round-robin")
    ap.add_argument("--postgres", help="database URL the replicas share (default: a new local PostgreSQL database)")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis the replicas share")
    args = ap.parse_args()
    payload = {"title": "关于召开年度工作总结大会的通知", "body": draft_of(args.chars), "probe_links": False}
    where = f"{args.replicas} replicas round-robin" if args.replicas else f"{args.workers} worker process(es)"
    print(f"draft: {args.chars} characters, {where}, {args.clients} concurrent clients")
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as cold:
        cold.write("[typo]\nclause_cache = 0\n")
    for label, env in (("new draft (clause cache off)", {"PRECHECK_CONFIG": cold.name}),
                       ("re-check (defaults)", {})):
        measure(label, payload, args, {"PRECHECK_PROBE_LINKS": "false", **env})


class RoundRobin:
    """One client per replica; each request goes to the next replica in turn."""

    def __init__(self, urls: list[str], turn):
        self.clients = [httpx.Client(base_url=u, timeout=60) for u in urls]
        self.turn = turn

    def post(self, *a, **kw):
        return self.clients[next(self.turn) % len(self.clients)].post(*a, **kw)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for c in self.clients:
            c.close()


def measure(label: str, payload: dict, args, env: dict) -> None:
    with (replicas(args.replicas, env, args.postgres, args.redis) if args.replicas
          else server(env, workers=args.workers)) as urls:
        urls = urls if isinstance(urls, list) else [urls]
        turn = itertools.count()
        with RoundRobin(urls, turn) as c:
            for _ in range(5):
                c.post("/v1/check", json=payload).raise_for_status()
            lat = []
            for _ in range(args.requests):
                t0 = time.perf_counter()
                r = c.post("/v1/check", json=payload)
                lat.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
            server_ms = r.json()["elapsed_ms"]
            per_check = {x["name"]: x["elapsed_ms"] for x in r.json()["checks"] if x["status"] != "skipped"}

        def one(_):
            with RoundRobin(urls, turn) as c:
                for _ in range(args.requests // args.clients):
                    c.post("/v1/check", json=payload).raise_for_status()

        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(one, range(args.clients)))
        elapsed = time.perf_counter() - t0
        total = (args.requests // args.clients) * args.clients
    print(f"{label}: p50 {percentile(lat, 50):.1f} ms, p99 {percentile(lat, 99):.1f} ms, "
          f"mean {statistics.mean(lat):.1f} ms over {len(lat)} sequential requests (server-side {server_ms:.1f} ms); "
          f"{args.clients} clients: {total / elapsed:.0f} requests/s")
    print("  per check (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in per_check.items()))

if __name__ == "__main__":
    main()
