"""The audit store as the service uses it: a database, a spool for outages, upkeep in the background.

Durability choice: a check always answers. Its record is written to the database in the request
(about a millisecond, see ``bench/store_write.py``); when that fails, the record is appended to a
spool file in the data directory (fsynced) and written later by a background thread once the
database answers again. The response says which happened in the ``X-Precheck-Record`` header:
``stored``, ``queued``, or ``not-recorded`` (only if even the spool file could not be written).
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from typing import Iterator

from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from ..settings import Settings
from . import repository
from .db import Database, database_url, redacted
from .records import utcnow
from .spool import Spool

log = logging.getLogger("precheck.store")

PURGE_EVERY = 3600.0


def _first_line(e: Exception) -> str:
    return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]


class StoreUnavailable(Exception):
    """The database cannot be reached or written just now."""


class RecordRefused(Exception):
    """The database refuses this record for what it holds; it is up, and other records go on."""


class AuditStore:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.url = database_url(settings)
        self.db = Database(self.url, settings.database_timeout)
        self.spool = Spool(settings.data_dir / "spool")
        self._migrated = False
        self._down_until = 0.0  # after a failure, skip the database for a while: answers stay fast
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_purge: float | None = None  # never yet: purge at start-up
        self.last_error: str | None = None

    # --- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Migrate, replay what an earlier process queued, purge; then keep doing so in the background."""
        try:
            self.upkeep()
        except Exception:  # the service must come up even when its database does not
            log.exception("audit store upkeep failed at start-up")
        self._thread = threading.Thread(target=self._loop, name="precheck-store", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self.db.dispose()

    def _loop(self) -> None:
        while not self._stop.wait(self.settings.store_retry_seconds):
            try:
                self.upkeep()
            except Exception:
                log.exception("audit store upkeep failed")

    def upkeep(self) -> None:
        self._ensure_migrated()
        if self.spool.pending():
            self.replay()
        if self.settings.retention_days and (self._last_purge is None
                                             or time.monotonic() - self._last_purge > PURGE_EVERY):
            self.purge()

    def _ensure_migrated(self) -> None:
        if self._migrated:
            return
        with self._lock:
            if self._migrated:
                return
            try:
                self.db.migrate()
            except SQLAlchemyError as e:
                self._failed(e)
                raise StoreUnavailable(self.last_error) from e
            self._migrated = True
            log.info("audit store ready at %s", redacted(self.url))

    def _failed(self, e: Exception) -> None:
        self.last_error = _first_line(e)
        self._down_until = time.monotonic() + self.settings.store_retry_seconds

    # --- use ----------------------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction; ``StoreUnavailable`` when the database cannot be used."""
        self._ensure_migrated()
        try:
            with self.db.session() as s:
                yield s
        except (DataError, IntegrityError, UnicodeError) as e:
            raise RecordRefused(_first_line(e)) from e
        except SQLAlchemyError as e:
            self._failed(e)
            raise StoreUnavailable(self.last_error) from e

    def record_check(self, record: dict) -> str:
        """Store a check record, or queue it; returns ``stored``, ``queued`` or ``not-recorded``."""
        if time.monotonic() >= self._down_until:
            try:
                with self.session() as s:
                    repository.save_check(s, record)
                return "stored"
            except RecordRefused as e:
                log.error("the audit store refused check %s (%s); kept in rejected.jsonl", record["id"], e)
                return self._reject(record, str(e))
            except StoreUnavailable:
                log.warning("audit store unavailable (%s); queueing check %s on disk", self.last_error,
                            record["id"])
        try:
            self.spool.append(record)
            return "queued"
        except OSError:
            log.exception("check %s could not be recorded: the database and the spool both failed",
                          record["id"])
            return "not-recorded"

    def _reject(self, record: dict, reason: str) -> str:
        try:
            self.spool.reject(record, reason)
        except OSError:
            log.exception("check %s could not be kept aside either", record["id"])
        return "not-recorded"

    def replay(self) -> int:
        def write(record: dict) -> None:
            with self.session() as s:
                repository.save_check(s, record)

        n = self.spool.replay(write, refused=(RecordRefused,))
        if n:
            log.info("wrote %d queued check record(s) to the audit store", n)
        self._down_until = 0.0
        return n

    def purge(self) -> int:
        cutoff = utcnow() - timedelta(days=self.settings.retention_days)
        with self.session() as s:
            n = repository.purge(s, cutoff)
        self._last_purge = time.monotonic()
        if n:
            log.info("purged %d check record(s) older than %d days", n, self.settings.retention_days)
        return n

    def status(self) -> dict:
        return {"database": self.db.engine.dialect.name, "queued": self.spool.pending(),
                "available": time.monotonic() >= self._down_until, "last_error": self.last_error}
