"""Latency and throughput of POST /v1/check on a 3,000-character draft (offline checks).

    python bench/service.py [--requests 300] [--clients 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
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
    with server({"PRECHECK_PROBE_LINKS": "false"}, workers=args.workers) as url:
        with httpx.Client(base_url=url, timeout=60) as c:
            for _ in range(10):
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
    print(f"draft: {args.chars} characters, {args.workers} worker process(es)")
    print(f"sequential: p50 {percentile(lat, 50):.1f} ms, p99 {percentile(lat, 99):.1f} ms, "
          f"mean {statistics.mean(lat):.1f} ms over {len(lat)} requests (server-side {server_ms:.1f} ms)")
    print("per check (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in per_check.items()))
    print(f"{args.clients} concurrent clients: {total / elapsed:.0f} requests/s ({total} requests in {elapsed:.1f} s)")


if __name__ == "__main__":
    main()
