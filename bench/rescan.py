"""Re-scan throughput: drafts per second over a stored archive, local pool and Dask, 1 and 2 workers.

Fills an SQLite archive (or PostgreSQL with --postgres URL) with ``--drafts`` checked drafts of
1,000–3,000 characters, adds a company term through the database overlay, then times
``precheck rescan`` end to end (process start, resource loading on every worker, all pages). The
typo clause cache is off, so repeated sentences cost what new ones do. Besides the wall-clock rate it
prints the CPU seconds all processes spent per draft (the machine may be shared).

    python bench/rescan.py [--drafts 10000] [--postgres postgresql://…]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support.archive import SENTENCES, add_company_term  # noqa: E402

TERM = "鲲鹏五号方案"


def fill(url: str, n: int, unique: int) -> None:
    """``n`` records over ``unique`` distinct drafts (each checked once: checking 10,000 long drafts
    just to build the archive would take longer than the re-scan being measured)."""
    from datetime import datetime, timedelta, timezone

    from app import pipeline, resources
    from app.models import Draft
    from app.settings import Settings
    from app.store import repository
    from app.store.db import Database
    from app.store.records import check_record

    rng = random.Random(3)
    res = resources.load(Settings(data_dir=Path(tempfile.mkdtemp())))
    base = []
    for i in range(unique):
        chars = rng.randint(1000, 3000)
        parts = []
        while sum(map(len, parts)) < chars:
            parts.append(rng.choice(SENTENCES))
        if i % 10 == 0:
            parts.insert(rng.randrange(len(parts)), f"会上将通报{TERM}的最新进展。")
        draft = Draft(body="".join(parts)[:chars], title=f"通知{i}")
        base.append((draft, pipeline.run(draft, res, probe_links=False)))
    db = Database(url)
    db.migrate()
    start = datetime(2026, 3, 1, tzinfo=timezone.utc)
    with db.session() as s:
        for i in range(n):
            draft, report = base[i % unique]
            report = report.model_copy(update={"id": f"r{i:07d}", "created_at": (start + timedelta(seconds=i)).isoformat()})
            repository.save_check(s, check_record(draft, report, "bench", True))
    db.dispose()


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(env: dict, args: list[str]) -> tuple[float, float]:
    cpu0, t0 = children_cpu(), time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "app.cli", "rescan", "--format", "json", *args], env=env,
                       capture_output=True, text=True, cwd=str(ROOT))
    if p.returncode not in (0, 1):
        raise SystemExit(p.stderr)
    return time.perf_counter() - t0, children_cpu() - cpu0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--drafts", type=int, default=10_000)
    ap.add_argument("--unique", type=int, default=300, help="distinct drafts among them")
    ap.add_argument("--postgres", help="a PostgreSQL database URL to use instead of a fresh SQLite file")
    ap.add_argument("--engines", default="local,dask")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        url = args.postgres or f"sqlite:///{tmp / 'archive.db'}"
        t0 = time.perf_counter()
        fill(url, args.drafts, min(args.unique, args.drafts))
        add_company_term(url, tmp / "admin" / "lexicons", "confidential", TERM)
        print(f"archive: {args.drafts} drafts of 1,000-3,000 characters ({min(args.unique, args.drafts)} distinct) "
              f"on {url.split(':')[0]}, built in {time.perf_counter() - t0:.0f} s")
        cold = tmp / "cold.toml"
        cold.write_text("[typo]\nclause_cache = 0\n")
        env = {**os.environ, "PRECHECK_DATABASE_URL": url, "PRECHECK_DATA_DIR": str(tmp / "cli"),
               "PRECHECK_CONFIG": str(cold)}
        for engine in args.engines.split(","):
            for workers in (1, 2):
                if engine == "local":
                    wall, cpu = run(env, ["--workers", str(workers)])
                else:
                    wall, cpu = dask_run(env, workers)
                print(f"{engine:5} {workers} worker(s): {args.drafts / wall:6.1f} drafts/s wall ({wall:.1f} s), "
                      f"{cpu / args.drafts * 1000:.1f} ms CPU per draft (all processes)")


def dask_run(env: dict, workers: int) -> tuple[float, float]:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        before = sum(client.run(time.process_time).values())
        wall, cli_cpu = run(env, ["--scheduler", cluster.scheduler_address])
        after = sum(client.run(time.process_time).values())
    return wall, cli_cpu + after - before


if __name__ == "__main__":
    main()
