"""A deadline on every wait of a PostgreSQL connection.

A database behind a partition that drops packets silently (a stalled relay, a dead NAT entry) answers
nothing, and psycopg would wait for it as long as TCP does. Each network wait of the connection here
ends after ``timeout`` seconds with an ``OperationalError``, and the connection is closed, so the pool
discards it; the server's ``statement_timeout`` also ends a statement it is still running.
Establishing a connection is given the same time (psycopg's own ``connect_timeout`` cannot go below
2 seconds, libpq's rule): it runs in a thread that is abandoned, and its connection closed, when late.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from math import ceil

import psycopg
from psycopg import errors


def connect_args(timeout: float) -> dict:
    ms = max(1, int(timeout * 1000))
    return {"connect_timeout": max(1, ceil(timeout)),
            "options": f"-c statement_timeout={ms} -c lock_timeout={ms}"}


@lru_cache(maxsize=None)
def connection_class(seconds: float) -> type[psycopg.Connection]:
    class TimedConnection(psycopg.Connection):
        def wait(self, gen, interval=0.1, timeout=None):
            limit = seconds if timeout is None else min(timeout, seconds)
            try:
                return super().wait(gen, interval, limit)
            except errors._WaitTimeout:
                self.pgconn.finish()  # its state is unknown now; the pool must not hand it out again
                raise psycopg.OperationalError(f"the database did not answer within {seconds:g} s") from None

    return TimedConnection


def connect_within(seconds: float, connect):
    """``connect()``, or an ``OperationalError`` once ``seconds`` have passed without a connection."""
    lock = threading.Lock()
    box: dict = {}

    def attempt() -> None:
        try:
            conn = connect()
        except BaseException as e:  # handed to the caller below
            with lock:
                box["error"] = e
            return
        with lock:
            if box.get("late"):
                conn.close()  # nobody waits for it any more
            else:
                box["conn"] = conn

    t = threading.Thread(target=attempt, name="precheck-db-connect", daemon=True)
    t.start()
    t.join(seconds)
    with lock:
        if "conn" in box:
            return box["conn"]
        if "error" in box:
            raise box["error"]
        box["late"] = True
    raise psycopg.OperationalError(f"no connection to the database within {seconds:g} s")
