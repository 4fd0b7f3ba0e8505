"""Fresh databases for the audit-store tests: an SQLite file, or a new PostgreSQL database per test.

PostgreSQL is found at ``PRECHECK_TEST_POSTGRES_URL`` (default: the local server, user postgres,
database test). When it cannot be reached its variants are skipped, except under ``CI=true``, where
that is a failure: CI must test both databases.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from functools import lru_cache
from pathlib import Path

import pytest

POSTGRES_URL = os.environ.get("PRECHECK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@lru_cache(maxsize=1)
def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None."""
    from sqlalchemy import create_engine, text
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as c:
            c.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as e:
        return f"{type(e).__name__}: {str(e).splitlines()[0]}"
    return None


def require_postgres() -> None:
    problem = postgres_problem()
    if problem is None:
        return
    message = (f"PostgreSQL at {POSTGRES_URL} is not reachable ({problem}); scripts/start-services.sh starts "
               "the local cluster")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true: the PostgreSQL tests must run. " + message, pytrace=False)
    pytest.skip(message)


def _server_url(database: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


def create_postgres_database() -> str:
    from sqlalchemy import create_engine, text
    name = f"precheck_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return _server_url(name)


def drop_postgres_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    name = make_url(url).database
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def fresh_database(backend: str, tmp: Path):
    """(url, cleanup) of an empty database of ``backend``."""
    if backend == "sqlite":
        return f"sqlite:///{tmp / f'audit-{uuid.uuid4().hex[:8]}.db'}", lambda: None
    require_postgres()
    url = create_postgres_database()
    return url, lambda: drop_postgres_database(url)


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    url, cleanup = fresh_database(request.param, tmp_path)
    yield url
    cleanup()


class TcpProxy:
    """A TCP relay to PostgreSQL that a test can cut: the database goes away as in a real outage
    (connections refused, open ones dropped) without stopping the server other tests use."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        ls = socket.socket()
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", self.port))
        ls.listen(64)
        self._listener = ls
        threading.Thread(target=self._accept, args=(ls,), daemon=True).start()

    def stop(self) -> None:
        if self._listener is not None:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            for c in self._conns:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                c.close()
            self._conns.clear()

    def _accept(self, ls: socket.socket) -> None:
        while True:
            try:
                client, _ = ls.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=3)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def proxied(url: str, proxy: TcpProxy) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
