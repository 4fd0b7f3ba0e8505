"""What recording a check costs: the audit-store write per POST /v1/check, on SQLite and PostgreSQL.

Prints p50/p99 milliseconds of
- the pipeline alone (a 600-character draft, every check loaded), for scale;
- ``AuditStore.record_check`` (the write the request waits for) on SQLite and on PostgreSQL;
- the same during an outage, when the record goes to the spool file (fsynced) instead.

Usage: python bench/store_write.py [N] [POSTGRES_URL]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import pipeline, resources  # noqa: E402
from app.models import Draft  # noqa: E402
from app.settings import Settings, get_settings  # noqa: E402
from app.store import AuditStore  # noqa: E402
from app.store.records import check_record  # noqa: E402

BODY = ("各部门：为做好年度总结工作，现将有关事项通知如下。请于本周五下午三点前提交材料至行政部，"
        "联系人：王老师，电话 010-12345678。会议定于XX月XX日召开。") * 6


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def show(label: str, xs: list[float]) -> None:
    print(f"{label:44} p50 {pct(xs, 50):7.3f} ms   p99 {pct(xs, 99):7.3f} ms   mean {statistics.mean(xs):7.3f} ms")


def records(n: int, res) -> list[dict]:
    draft = Draft(body=BODY, author={"id": "e1", "department": "行政部"})
    rep = pipeline.run(draft, res)
    out = []
    for _ in range(n):
        r = rep.model_copy(update={"id": uuid.uuid4().hex})
        out.append(check_record(draft, r, "bench", True))
    return out


def time_writes(store: AuditStore, recs: list[dict]) -> tuple[list[float], set[str]]:
    times, outcomes = [], set()
    for rec in recs:
        t = time.perf_counter()
        outcomes.add(store.record_check(rec))
        times.append((time.perf_counter() - t) * 1000)
    return times, outcomes


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    pg = sys.argv[2] if len(sys.argv) > 2 else "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    res = resources.load(get_settings())
    draft = Draft(body=BODY)
    runs = []
    for _ in range(min(n, 100)):
        t = time.perf_counter()
        pipeline.run(draft, res)
        runs.append((time.perf_counter() - t) * 1000)
    print(f"draft: {len(BODY)} characters, {len(pipeline.run(draft, res).findings)} findings; {n} writes each")
    show("pipeline.run (for scale)", runs)
    with tempfile.TemporaryDirectory() as tmp:
        for label, url in (("sqlite", f"sqlite:///{tmp}/bench.db"), ("postgresql", pg)):
            schema_dir = Path(tmp) / label
            store = AuditStore(Settings(data_dir=schema_dir, database_url=url, store_retry_seconds=3600))
            try:
                store.start()
                recs = records(n, res)
                times, outcomes = time_writes(store, recs)
                show(f"record_check, {label} ({'/'.join(sorted(outcomes))})", times)
                with store.session() as s:  # leave the shared database as it was
                    from sqlalchemy import delete
                    from app.store.schema import CheckRecord, FindingRecord
                    ids = [r["id"] for r in recs]
                    s.execute(delete(FindingRecord).where(FindingRecord.check_id.in_(ids)))
                    s.execute(delete(CheckRecord).where(CheckRecord.id.in_(ids)))
            except Exception as e:
                print(f"{label}: skipped ({type(e).__name__}: {str(e).splitlines()[0]})")
            finally:
                store.close()
        down = AuditStore(Settings(data_dir=Path(tmp) / "down", store_retry_seconds=3600,
                                   database_url="postgresql+psycopg://postgres@127.0.0.1:1/unreachable"))
        recs = records(n, res)
        first, _ = time_writes(down, recs[:1])
        times, outcomes = time_writes(down, recs[1:])
        print(f"{'outage: first write (connection refused)':44} {first[0]:7.3f} ms")
        show(f"outage: record_check ({'/'.join(sorted(outcomes))})", times)
        down.close()


if __name__ == "__main__":
    main()
