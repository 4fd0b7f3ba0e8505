"""Link probing speed: 200 links to a local server that answers each request after 50 ms.

Prints, for a draft of 200 distinct links:
  - the first check (every link probed: HEAD, 50 ms each) through the pipeline, default limits
    (PRECHECK_LINK_CONCURRENCY=32 in the process, PRECHECK_LINK_PER_HOST=6 per host), all on one host;
  - the same with the links spread over 20 host names (so the per-host limit binds less);
  - the re-check of the same draft (answers from the process cache);
  - the re-check by a fresh process cache reading Redis (if a Redis server runs at 127.0.0.1:6379).

Usage: .venv/bin/python bench/links.py [--links 200] [--delay 0.05]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import pipeline, resources  # noqa: E402
from app.links.probe import ProbeConfig, Prober  # noqa: E402
from app.models import Draft  # noqa: E402
from app.net import loop  # noqa: E402
from app.net.guard import Guard, parse_allow  # noqa: E402
from app.settings import Settings  # noqa: E402


def _serve_forever(delay: float, port_out, count) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_HEAD(self):
            with count.get_lock():
                count.value += 1
            time.sleep(delay)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_HEAD

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 512

    httpd = Server(("127.0.0.1", 0), Handler)
    port_out.put(httpd.server_address[1])
    httpd.serve_forever()


def serve(delay: float):
    """The server runs in its own process, so its threads do not compete with the prober for the GIL."""
    port_out, count = mp.Queue(), mp.Value("i", 0)
    proc = mp.Process(target=_serve_forever, args=(delay, port_out, count), daemon=True)
    proc.start()
    return proc, port_out.get(timeout=30), count


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--links", type=int, default=200)
    ap.add_argument("--delay", type=float, default=0.05)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    server, port, count = serve(args.delay)
    print(f"{args.links} links, server answers after {args.delay * 1000:.0f} ms; best of {args.repeat} runs")

    base = Settings(allow_private_targets="127.0.0.1/32")
    res = resources.load(base, only={"link"})
    first, again, sent = [], [], []
    for _ in range(args.repeat):
        run = uuid.uuid4().hex[:8]  # fresh URLs each run: the first check is a cold one
        body = "\n".join(f"http://127.0.0.1:{port}/{run}/{i}（第 {i} 页，用于测试）" for i in range(args.links))
        draft = Draft(body=body)
        before = count.value
        t0 = time.perf_counter()
        report = pipeline.run(draft, res, probe_links=True)
        first.append(time.perf_counter() - t0)
        sent.append(count.value - before)
        assert not any(f.rule in ("link.timeout", "link.dead", "link.unreachable") for f in report.findings)
        t0 = time.perf_counter()
        pipeline.run(draft, res, probe_links=True)
        again.append(time.perf_counter() - t0)
    print(f"  one host, pipeline, cold:      {min(first) * 1000:8.0f} ms  (median {statistics.median(first) * 1000:.0f};"
          f" {sent[0]} requests; limits {base.link_concurrency} global / {base.link_per_host} per host)")
    floor = -(-args.links // base.link_per_host) * args.delay
    print(f"  (floor set by the per-host limit: {args.links}/{base.link_per_host} rounds x {args.delay * 1000:.0f} ms"
          f" = {floor * 1000:.0f} ms)")
    print(f"  one host, pipeline, cached:    {min(again) * 1000:8.1f} ms  (median {statistics.median(again) * 1000:.1f})")

    async def resolver(host, p):
        return ["127.0.0.1"]

    async def spread() -> float:
        config = ProbeConfig.from_settings(base)
        prober = Prober(config, guard=Guard(allow=parse_allow("127.0.0.1/32"), resolver=resolver))
        run = uuid.uuid4().hex[:8]
        urls = [f"http://h{i % 20}.bench.test:{port}/{run}/{i}" for i in range(args.links)]
        t0 = time.perf_counter()
        await prober.probe_many(urls, budget=60)
        took = time.perf_counter() - t0
        await prober.aclose()
        return took

    spread_times = [loop.run(spread(), timeout=120) for _ in range(args.repeat)]
    print(f"  20 hosts, prober, cold:        {min(spread_times) * 1000:8.0f} ms")

    try:
        import redis
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=1).ping()
    except Exception:
        print("  redis: no server at 127.0.0.1:6379, skipped")
        server.terminate()
        return

    async def via_redis() -> tuple[float, float]:
        config = ProbeConfig(**{**ProbeConfig.from_settings(base).__dict__, "redis_url": "redis://127.0.0.1:6379/0",
                                "cache_ttl": 120})
        run = uuid.uuid4().hex[:8]
        urls = [f"http://127.0.0.1:{port}/{run}/{i}" for i in range(args.links)]
        writer = Prober(config)
        await writer.probe_many(urls, budget=60)
        await writer.aclose()
        reader = Prober(config)  # empty process cache: every answer comes from Redis
        t0 = time.perf_counter()
        results = await reader.probe_many(urls, budget=60)
        took = time.perf_counter() - t0
        assert all(r.cached == "redis" for r in results.values())
        await reader.redis.client.delete(*[__import__("app.links.cache", fromlist=["cache_key"]).cache_key(
            u, config.allow_private) for u in urls])
        await reader.aclose()
        return took

    redis_times = [loop.run(via_redis(), timeout=120) for _ in range(args.repeat)]
    print(f"  one host, prober, Redis cache: {min(redis_times) * 1000:8.1f} ms  (fresh process cache)")
    server.terminate()


if __name__ == "__main__":
    main()
