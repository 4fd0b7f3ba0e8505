"""The database goes away while the service runs: checks still answer, and their records are queued
on disk and written once the database is back.

SQLite: another connection holds the database's write lock (what a stuck writer or a backup does);
the server runs as root here, so making the file read-only would not stop it. PostgreSQL: the server
reaches the database through a TCP relay that the test cuts, which refuses new connections and drops
the open ones, as a stopped or unreachable database server does (stopping the shared cluster itself
would break every other test using it).
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager

import pytest
from support.databases import BACKENDS, TcpProxy, fresh_database, proxied

KEY = {"Authorization": "Bearer key-ad"}


@contextmanager
def outage(backend: str, url: str, proxy: TcpProxy | None):
    if backend == "sqlite":
        path = url.removeprefix("sqlite:///")
        holder = sqlite3.connect(path, timeout=5, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    else:
        proxy.stop()
        try:
            yield
        finally:
            proxy.start()


@pytest.mark.parametrize("backend", BACKENDS)
def test_checks_answer_during_an_outage_and_their_records_arrive_later(backend, server_factory, tmp_path):
    url, cleanup = fresh_database(backend, tmp_path)
    proxy = None
    server_url = url
    if backend == "postgresql":
        from sqlalchemy.engine import make_url
        u = make_url(url)
        proxy = TcpProxy((u.host or "127.0.0.1", u.port or 5432))
        proxy.start()
        server_url = proxied(url, proxy)
    server = server_factory(env={"PRECHECK_DATABASE_URL": server_url, "PRECHECK_ADMIN_KEYS": "ad:key-ad",
                                 "PRECHECK_STORE_TEXT": "false", "PRECHECK_STORE_RETRY_SECONDS": "0.3"})
    try:
        with server.client() as c:
            def post(body):
                r = c.post("/v1/check", headers=KEY, json={"body": body, "checks": ["placeholder"],
                                                           "author": {"id": "d1"}})
                assert r.status_code == 200, r.text
                return r

            before = post("停电前的草稿。")
            assert before.headers["x-precheck-record"] == "stored"

            with outage(backend, url, proxy):
                during = [post(f"停电期间的第{i}篇草稿，联系人：XXX。") for i in range(3)]
                assert [r.headers["x-precheck-record"] for r in during] == ["queued"] * 3
                assert all(r.json()["verdict"] == "revise" for r in during)
                # Reads cannot see them yet: absent (SQLite still reads) or the store is unavailable.
                r = c.get(f"/v1/checks/{during[0].json()['id']}", headers=KEY)
                assert r.status_code in (404, 503), r.text
                assert list((server.data_dir / "spool").glob("*")), "nothing queued on disk"

            deadline = time.time() + 20
            ids = [r.json()["id"] for r in during]
            stored = {}
            while time.time() < deadline and len(stored) < len(ids):
                for i in ids:
                    r = c.get(f"/v1/checks/{i}", headers=KEY)
                    if r.status_code == 200:
                        stored[i] = r.json()
                time.sleep(0.2)
            assert set(stored) == set(ids), "queued records were not written after the database returned"
            for r in during:
                got = stored[r.json()["id"]]
                assert got["report"] == r.json() and got["draft"] is None  # PRECHECK_STORE_TEXT=false
            after = post("恢复后的草稿。")
            assert after.headers["x-precheck-record"] == "stored"
            record = c.get("/v1/authors/d1/record", headers=KEY).json()
            assert record["checks"] == 5
        assert "queueing check" in server.log.read_text(), "the outage was not logged"
    finally:
        server.stop()
        if proxy is not None:
            proxy.stop()
        cleanup()
