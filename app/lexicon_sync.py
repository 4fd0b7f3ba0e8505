"""The company lexicon overlay shared through the database, so every replica matches the same terms.

The admin API's edits are rows of ``lexicon_overlay_files`` with one version number
(``lexicon_overlay_state``). Each process writes those rows to its overlay folder
(``<data_dir>/lexicons``, read like any lexicon folder) and reloads when the content changed. An edit
takes the version row's lock for its whole transaction (PostgreSQL row lock; SQLite write lock), so
edits made on different replicas apply one after the other, each on top of the last.

Other replicas learn of an edit from PostgreSQL ``NOTIFY`` at once; on SQLite, or if the listening
connection drops, from polling the version every ``PRECHECK_LEXICON_POLL_SECONDS``. Folders in
``PRECHECK_LEXICON_DIRS`` (files a company keeps in git) are untouched by any of this.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from sqlalchemy import select, text

from .store import StoreUnavailable
from .store.records import utcnow
from .store.schema import LexiconOverlayFile, LexiconOverlayState

if TYPE_CHECKING:  # the re-scan reads the overlay without loading any check
    from .resources import Holder

log = logging.getLogger("precheck")

CHANNEL = "precheck_lexicons"
MANAGED = "sensitive"  # the part of the overlay folder the admin API writes


def local_files(overlay: Path) -> dict[str, str]:
    root = overlay / MANAGED
    if not root.is_dir():
        return {}
    return {p.relative_to(overlay).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*.txt")) if p.is_file()}


def materialize(overlay: Path, files: dict[str, str]) -> bool:
    """Make the managed part of ``overlay`` hold exactly ``files``; True when anything changed."""
    changed = False
    for rel, content in files.items():
        path = overlay / rel
        if path.is_file() and path.read_text(encoding="utf-8") == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content)
        os.replace(tmp, path)
        changed = True
    for rel in set(local_files(overlay)) - set(files):
        (overlay / rel).unlink(missing_ok=True)
        changed = True
    return changed


def read_overlay(session) -> tuple[int, dict[str, str]]:
    """(version, files) of the overlay in the database; version 0 before the first edit."""
    version = session.scalar(select(LexiconOverlayState.version).where(LexiconOverlayState.id == 1)) or 0
    files = {f.path: f.content for f in session.scalars(select(LexiconOverlayFile))}
    return version, files


def _insert(session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


class OverlaySync:
    def __init__(self, store, holder: "Holder", overlay: Path, poll_seconds: float):
        self.store = store
        self.holder = holder
        self.overlay = overlay
        self.poll = poll_seconds
        self.version = 0  # the overlay version this process has written to its folder
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- life cycle -----------------------------------------------------------------------------

    def start(self) -> "OverlaySync":
        try:
            self._adopt_local()
            self.pull()
        except StoreUnavailable as e:  # the service comes up on the folder as it is; polling catches up
            log.warning("lexicon overlay: database unavailable at start-up (%s)", e)
        self._thread = threading.Thread(target=self._follow, name="lexicon-sync", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _adopt_local(self) -> None:
        """The first process on a fresh database brings the folder's earlier admin edits along."""
        with self.store.session() as s:
            ins = _insert(s)(LexiconOverlayState.__table__).values(id=1, version=0, updated_at=utcnow())
            created = ins.on_conflict_do_nothing(index_elements=["id"]).returning(LexiconOverlayState.__table__.c.id)
            if s.execute(created).first() is None:
                return
            files = local_files(self.overlay)
            if files:
                self._write_rows(s, files)
                s.execute(text("UPDATE lexicon_overlay_state SET version = 1 WHERE id = 1"))
                log.info("lexicon overlay: %d file(s) of %s now kept in the database", len(files), self.overlay)

    # --- following other replicas ----------------------------------------------------------------

    def pull(self) -> bool:
        """Apply the database's overlay if it is newer than ours; True when the lexicons were rebuilt."""
        with self.store.session() as s:
            version = s.scalar(select(LexiconOverlayState.version).where(LexiconOverlayState.id == 1)) or 0
            if version == self.version:
                return False
            version, files = read_overlay(s)
        from .lexicon_reload import reload_if_changed

        materialize(self.overlay, files)
        self.version = version
        return reload_if_changed(self.holder)

    def _follow(self) -> None:
        while not self._stop.is_set():
            if self.store.db.engine.dialect.name == "postgresql":
                self._listen()  # returns when the connection fails or on stop
            if not self._stop.wait(self.poll):
                self._pull_logged()

    def _pull_logged(self) -> None:
        try:
            if self.pull():
                log.info("lexicon overlay version %d applied", self.version)
        except StoreUnavailable:
            pass  # the store logs outages; the next poll tries again
        except Exception:
            log.exception("applying the lexicon overlay failed; the previous lexicons stay in effect")

    def _listen(self) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        dsn = make_url(self.store.url).set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            with psycopg.connect(dsn, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                self._pull_logged()  # an edit made before LISTEN took effect is not missed
                while not self._stop.is_set():
                    for _ in conn.notifies(timeout=self.poll, stop_after=1):
                        pass
                    self._pull_logged()  # on a notification, and every poll interval regardless
        except psycopg.Error as e:
            log.warning("lexicon overlay: LISTEN connection lost (%s); polling", e)

    # --- editing --------------------------------------------------------------------------------

    @contextmanager
    def edit(self) -> Iterator[None]:
        """Hold the overlay's lock; the body edits the folder, whose new content is then stored.

        Raises ``StoreUnavailable`` when the database cannot be used (the edit is then not made).
        """
        with self.store.session() as s:
            ins = _insert(s)(LexiconOverlayState.__table__).values(id=1, version=0, updated_at=utcnow())
            s.execute(ins.on_conflict_do_nothing(index_elements=["id"]))
            version = s.execute(text("UPDATE lexicon_overlay_state SET version = version + 1, updated_at = :t "
                                     "WHERE id = 1 RETURNING version"), {"t": utcnow()}).scalar_one()
            _, before = read_overlay(s)
            materialize(self.overlay, before)  # start from every replica's edits, not only ours
            yield
            after = local_files(self.overlay)
            self._write_rows(s, after, before)
            if s.get_bind().dialect.name == "postgresql":
                s.execute(text("SELECT pg_notify(:c, :v)"), {"c": CHANNEL, "v": str(version)})
        self.version = version

    @staticmethod
    def _write_rows(s, files: dict[str, str], before: dict[str, str] | None = None) -> None:
        before = before or {}
        now = utcnow()
        for rel in set(before) - set(files):
            s.execute(LexiconOverlayFile.__table__.delete().where(LexiconOverlayFile.path == rel))
        for rel, content in files.items():
            if before.get(rel) == content:
                continue
            if rel in before:
                s.execute(LexiconOverlayFile.__table__.update().where(LexiconOverlayFile.path == rel)
                          .values(content=content, updated_at=now))
            else:
                s.execute(LexiconOverlayFile.__table__.insert().values(path=rel, content=content, updated_at=now))
