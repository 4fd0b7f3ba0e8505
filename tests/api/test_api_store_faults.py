"""The audit store under faults, through a real service on PostgreSQL: a NUL in a draft is stored
like any other text and blocks nothing; a database that stalls silently (packets dropped, no reset)
makes checks answer ``queued`` within about a second instead of hanging."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from support.databases import fresh_database, proxied

ADMIN = {"Authorization": "Bearer key-ad"}


class StallingRelay:
    """A TCP relay to PostgreSQL that can stall: it keeps every connection open but forwards nothing,
    as a partition that drops packets does (a refused or reset connection would be noticed at once)."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.stalled = threading.Event()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target, timeout=3)
            upstream.settimeout(None)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                while self.stalled.is_set():
                    time.sleep(0.05)
                dst.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.stalled.clear()
        self.listener.close()


@pytest.fixture
def postgres(tmp_path):
    url, cleanup = fresh_database("postgresql", tmp_path)
    yield url
    cleanup()


@pytest.mark.postgres
def test_a_nul_in_a_draft_is_stored_and_blocks_no_later_check(postgres, server_factory):
    server = server_factory(env={"PRECHECK_DATABASE_URL": postgres, "PRECHECK_ADMIN_KEYS": "ad:key-ad"})
    with server.client() as c:
        first = c.post("/v1/check", headers=ADMIN, json={"body": "含空字符\u0000的稿件", "title": "标\u0000题",
                                                         "author": {"id": "e\u00001", "department": "信息\u0000部"}})
        assert first.status_code == 200 and first.headers["X-Precheck-Record"] == "stored", first.text
        later = [c.post("/v1/check", headers=ADMIN, json={"body": f"第{i}份稿件😀"}) for i in range(5)]
        assert [r.headers["X-Precheck-Record"] for r in later] == ["stored"] * 5
        got = c.get(f"/v1/checks/{first.json()['id']}", headers=ADMIN).json()
        assert got["draft"]["body"] == "含空字符\u0000的稿件" and got["draft"]["title"] == "标\u0000题"
        assert got["author"]["id"] == "e\u00001" and got["author"]["department"] == "信息\u0000部"
        assert got["report"] == first.json()
        assert c.get("/healthz").status_code == 200


@pytest.mark.postgres
def test_a_silently_stalled_database_means_queued_fast(postgres, server_factory):
    from sqlalchemy.engine import make_url
    u = make_url(postgres)
    relay = StallingRelay((u.host or "127.0.0.1", u.port or 5432))
    server = server_factory(env={"PRECHECK_DATABASE_URL": proxied(postgres, relay), "PRECHECK_ADMIN_KEYS": "ad:key-ad",
                                 "PRECHECK_STORE_RETRY_SECONDS": "0.5"})
    try:
        with server.client() as c:
            assert c.post("/v1/check", headers=ADMIN, json={"body": "之前"}).headers["X-Precheck-Record"] == "stored"
            relay.stalled.set()
            answers, worst = [], 0.0
            for i in range(6):
                t = time.monotonic()
                r = c.post("/v1/check", headers=ADMIN, json={"body": f"分区期间{i}", "checks": ["placeholder"]})
                worst = max(worst, time.monotonic() - t)
                answers.append(r.headers["X-Precheck-Record"])
            assert set(answers) == {"queued"}
            # one wait on the database (1 s), plus checking: no request waits for the partition to end
            assert worst < 2.5, worst
            relay.stalled.clear()
            deadline = time.time() + 30
            while time.time() < deadline and c.get("/v1/reports/summary", headers=ADMIN).json().get("checks") != 7:
                time.sleep(0.5)
            assert c.get("/v1/reports/summary", headers=ADMIN).json()["checks"] == 7
    finally:
        relay.close()
