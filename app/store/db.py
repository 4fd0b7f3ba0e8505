"""Engines, sessions and start-up migrations for the audit store.

``PRECHECK_DATABASE_URL`` selects the database; without it the store is an SQLite file in the data
directory. Migrations (Alembic, shipped inside the package) run when a ``Database`` is opened.
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from ..settings import Settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant shared by every process migrating the same PostgreSQL database.
_PG_MIGRATION_LOCK = 0x70726563


def database_url(settings: Settings) -> str:
    url = settings.database_url or f"sqlite:///{(settings.data_dir / 'precheck.db').resolve()}"
    # Bare postgresql:// means psycopg2 to SQLAlchemy; the installed driver is psycopg 3.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return url


def redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str, timeout: float = 1.0) -> Engine:
    """``timeout``: seconds any one wait on the database may take (a lock, a connection, an answer)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # A short busy timeout: a locked database must make the check fall back to the spool
        # quickly rather than hold the answer.
        engine = create_engine(url, connect_args={"timeout": timeout, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    if parsed.get_backend_name() != "postgresql":
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, pool_timeout=timeout)
    from .pgtimeout import connect_args, connect_within, connection_class

    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, pool_timeout=timeout,
                           connect_args=connect_args(timeout))
    timed = connection_class(timeout)

    @event.listens_for(engine, "do_connect")
    def _connect(dialect, conn_rec, cargs, cparams):
        return connect_within(timeout, lambda: timed.connect(*cargs, **cparams))

    return engine


def _alembic_config(connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


@contextmanager
def _migration_lock(engine: Engine):
    """Several workers start at once; only one may create the schema."""
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        lock_path = Path(engine.url.database).with_suffix(".migrate.lock")
        with open(lock_path, "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            yield
        return
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_MIGRATION_LOCK})
                conn.commit()
        return
    yield


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is already there)."""
    from alembic import command

    with _migration_lock(engine), engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")


# Migrations may wait for another worker's; they get longer than a request's database wait.
MIGRATION_TIMEOUT = 60.0


class Database:
    def __init__(self, url: str, timeout: float = 1.0):
        self.url = url
        self.engine = make_engine(url, timeout)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def migrate(self) -> None:
        engine = make_engine(self.url, MIGRATION_TIMEOUT)
        try:
            migrate(engine)
        finally:
            engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any error."""
        with self._sessions() as s, s.begin():
            yield s

    def dispose(self) -> None:
        self.engine.dispose()
