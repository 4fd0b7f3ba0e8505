"""``precheck rescan``: the archive re-checked after a new company term, on a local process pool
(SQLite) and on a Dask cluster of two worker processes (PostgreSQL); resumable and idempotent."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from concurrent.futures import Future

import pytest

from support.archive import add_company_term, fill
from support.databases import fresh_database
from support.paths import ROOT

TERM = "鲲鹏五号方案"


def rescan(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", "rescan", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, cwd=str(ROOT), timeout=600)


@pytest.fixture(scope="module")
def sqlite_archive(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("archive")
    url, _ = fresh_database("sqlite", tmp)
    expected = fill(url, 60, TERM, every=7)
    add_company_term(url, tmp / "admin" / "lexicons", "confidential", TERM)
    return {"PRECHECK_DATABASE_URL": url, "PRECHECK_DATA_DIR": str(tmp / "cli")}, expected, url


def test_rescan_finds_exactly_the_drafts_with_the_new_term(sqlite_archive):
    env, expected, _ = sqlite_archive
    p = rescan(env, "--format", "json", "--workers", "2", "--page-size", "8")
    assert p.returncode == 1, p.stderr  # some got worse
    out = json.loads(p.stdout)
    assert {w["check_id"] for w in out["worse"]} == expected
    assert out["run"]["checked"] == 60 and out["run"]["worse"] == len(expected) and out["run"]["status"] == "done"
    for w in out["worse"]:
        assert [f["text"] for f in w["new_findings"]] == [TERM]
        assert w["new_findings"][0]["rule"].startswith("sensitive.") and w["new_verdict"] == "block"
    # Idempotent: resuming a finished run changes nothing and reports the same drafts.
    again = rescan(env, "--resume", out["run"]["id"], "--format", "json")
    assert again.returncode == 1 and json.loads(again.stdout) == out


def test_rescan_selection_and_formats(sqlite_archive):
    env, expected, _ = sqlite_archive
    p = rescan(env, "--format", "csv", "--since", "2026-03-01T00:30:00", "--until", "2026-02-28", "--workers", "1")
    assert p.returncode == 2 and "--since must be before --until" in p.stderr
    p = rescan(env, "--format", "csv", "--until", "2026-03-01T00:20:00+00:00", "--checks", "sensitive",
               "--workers", "1")
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    early = {r["check_id"] for r in rows}
    assert early and early < expected and all(r["new_rules"].startswith("sensitive.") for r in rows)
    p = rescan(env, "--only-published", "--workers", "1")
    assert p.returncode == 0 and "0 of 0" in p.stdout  # nothing was published
    for bad, why in ((["--since", "yesterday"], "not an ISO date"), (["--checks", "nope"], "unknown check"),
                     (["--resume", "no-such-run"], "no re-scan run")):
        p = rescan(env, *bad)
        assert p.returncode == 2 and why in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr


class Inline:
    """Runs pages in this process; ``fail_after`` pages it stops, as a crashed worker would."""

    workers = 1
    description = "inline"

    def __init__(self, fail_after: int | None = None):
        self.fail_after, self.pages = fail_after, 0

    def prepare(self, spec):
        self.spec = spec

    def submit(self, rows):
        from app.rescan.worker import check_page

        f: Future = Future()
        self.pages += 1
        if self.fail_after is not None and self.pages > self.fail_after:
            f.set_exception(RuntimeError("worker lost"))
        else:
            f.set_result(check_page(self.spec, rows))
        return f

    def close(self):
        pass


def test_a_crashed_run_resumes_from_its_cursor(sqlite_archive):
    from app.rescan import runner
    from app.settings import Settings
    from app.store.db import Database
    from app.store.schema import RescanRun

    _, expected, url = sqlite_archive
    db = Database(url)
    run, spec = runner.start(db, Settings(database_url=url), runner.Params())
    with pytest.raises(RuntimeError, match="worker lost"):
        runner.execute(db, run, spec, Inline(fail_after=3), page_size=10, window=1)
    with db.session() as s:
        stopped = s.get(RescanRun, run.id)
        assert stopped.status == "running" and stopped.checked == 30 and stopped.cursor_id is not None
    run, spec = runner.start(db, Settings(database_url=url), runner.Params(), resume=run.id)
    engine = Inline()
    done = runner.execute(db, run, spec, engine, page_size=10)
    assert engine.pages == 3  # only the 30 drafts after the cursor
    assert done.status == "done" and done.checked == 60 and done.worse == len(expected)
    assert {r["check_id"] for r in runner.results(db, run.id)} == expected
    db.dispose()


@pytest.mark.postgres
def test_rescan_on_a_dask_cluster_of_two_workers(tmp_path):
    distributed = pytest.importorskip("distributed")
    url, cleanup = fresh_database("postgresql", tmp_path)
    try:
        # Archived and re-scanned with the sensitive check only: the workers load in milliseconds.
        expected = fill(url, 300, TERM, every=11, checks=("sensitive",))
        add_company_term(url, tmp_path / "admin" / "lexicons", "confidential", TERM)
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None, protocol="tcp") as cluster:
            assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
            env = {"PRECHECK_DATABASE_URL": url, "PRECHECK_DATA_DIR": str(tmp_path / "cli")}
            p = rescan(env, "--scheduler", cluster.scheduler_address, "--format", "json", "--page-size", "25",
                       "--checks", "sensitive")
            assert p.returncode == 1, p.stderr
            assert "Dask cluster" in p.stderr and "2 worker(s)" in p.stderr
            out = json.loads(p.stdout)
            with distributed.Client(cluster) as client:
                # Each worker built the resources once, whatever number of pages it ran.
                loaded = client.run(lambda: __import__("app.rescan.worker", fromlist=["loads"]).loads)
        assert sorted(loaded.values()) == [1, 1]
        assert {w["check_id"] for w in out["worse"]} == expected and len(expected) == 28
        assert out["run"]["checked"] == 300 and out["run"]["worse"] == 28
    finally:
        cleanup()
