"""Latency and throughput of POST /v1/check on a 3,000-character draft (offline checks).

Two runs: a server whose typo clause cache is off (every request pays as for a new draft), and one
on the defaults (the same draft re-checked, as an editor's plugin does after each edit).

    python bench/service.py [--requests 300] [--clients 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import draft_of, percentile, server  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--chars", type=int, default=3000)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    payload = {"title": "关于召开年度工作总结大会的通知", "body": draft_of(args.chars), "probe_links": False}
    print(f"draft: {args.chars} characters, {args.workers} worker process(es), {args.clients} concurrent clients")
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as cold:
        cold.write("[typo]\nclause_cache = 0\n")
    for label, env in (("new draft (clause cache off)", {"PRECHECK_CONFIG": cold.name}),
                       ("re-check (defaults)", {})):
        measure(label, payload, args, {"PRECHECK_PROBE_LINKS": "false", **env})


def measure(label: str, payload: dict, args, env: dict) -> None:
    with server(env, workers=args.workers) as url:
        with httpx.Client(base_url=url, timeout=60) as c:
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
            with httpx.Client(base_url=url, timeout=60) as c:
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
