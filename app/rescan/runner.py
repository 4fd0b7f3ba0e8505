"""A re-scan run: stored in ``rescan_runs`` with a cursor, so it resumes after a crash and never
counts a draft twice.

Pages go to the engine a few at a time (a bounded window, so memory stays flat); their results are
committed in page order, each page in one transaction with the cursor, so the cursor never passes
a draft whose result is not stored. Resuming a finished run changes nothing.
"""

from __future__ import annotations

import tempfile
import uuid
from collections import deque
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from .. import lexicon
from ..lexicon_sync import read_overlay
from ..settings import Settings, bundled_lexicon_dir
from ..store.records import utcnow
from ..store.schema import RescanResult, RescanRun
from . import source, spec as specs


class RescanError(Exception):
    """A run that cannot start or resume (one line for the user)."""


@dataclass(frozen=True)
class Params:
    since: str | None = None
    until: str | None = None
    only_published: bool = False
    checks: list[str] | None = None

    def selection(self) -> source.Selection:
        return source.Selection(since=datetime.fromisoformat(self.since) if self.since else None,
                                until=datetime.fromisoformat(self.until) if self.until else None,
                                only_published=self.only_published)


def spec_version(spec: dict) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        return lexicon.version([bundled_lexicon_dir(), *specs.write_folders(spec, Path(tmp))])


def _insert(session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def start(db, settings: Settings, params: Params, resume: str | None = None) -> tuple[RescanRun, dict]:
    """The run (new, or the one to resume) and the spec its workers use."""
    with db.session() as s:
        _, overlay = read_overlay(s)
        if resume:
            run = s.get(RescanRun, resume)
            if run is None:
                raise RescanError(f"no re-scan run {resume!r}")
            params = Params(**run.params)
        spec = specs.build(settings, overlay, params.checks)
        version = spec_version(spec)
        if resume:
            if run.status != "done" and run.lexicon_version != version:
                raise RescanError(f"the rules changed since run {resume} started (lexicons {run.lexicon_version} "
                                  f"then, {version} now): start a new run")
            return run, spec
        run = RescanRun(id=uuid.uuid4().hex, started_at=utcnow(), status="running", params=asdict(params),
                        lexicon_version=version, checked=0, skipped=0, worse=0)
        s.add(run)
    return run, spec


def execute(db, run: RescanRun, spec: dict, engine, page_size: int = 100, window: int | None = None,
            progress=None) -> RescanRun:
    """Re-check every selected draft after the run's cursor; returns the finished run."""
    if run.status == "done":
        return run
    sel = Params(**run.params).selection()
    after = (run.cursor_created_at, run.cursor_id) if run.cursor_id else None
    window = window or max(2, 2 * getattr(engine, "workers", 1))
    engine.prepare(spec)
    pending: deque = deque()
    while True:
        with db.session() as s:
            rows = source.page(s, sel, after, page_size)
        if not rows:
            break
        last = (rows[-1]["created_at"], rows[-1]["id"])
        texts = [source.for_worker(r) for r in rows if r["body"] is not None]
        future = engine.submit(texts) if texts else None
        pending.append((future, last, len(rows) - len(texts)))
        after = last
        while len(pending) >= window:
            _commit(db, run.id, *pending.popleft(), progress)
    while pending:
        _commit(db, run.id, *pending.popleft(), progress)
    with db.session() as s:
        stored = s.get(RescanRun, run.id)
        stored.status, stored.finished_at = "done", utcnow()
        return stored


def _commit(db, run_id: str, future, last: tuple[datetime, str], skipped: int, progress) -> None:
    result = future.result() if future is not None else {"checked": 0, "worse": []}
    with db.session() as s:
        added = 0
        if result["worse"]:
            ins = _insert(s)(RescanResult.__table__).values([
                {"run_id": run_id, "check_id": w["check_id"],
                 "checked_at": datetime.fromisoformat(w["created_at"]).replace(tzinfo=None),
                 **{k: w[k] for k in ("old_verdict", "new_verdict", "old_tier", "new_tier", "new_findings")}}
                for w in result["worse"]])
            ins = ins.on_conflict_do_nothing(index_elements=["run_id", "check_id"])
            added = len(s.execute(ins.returning(RescanResult.__table__.c.check_id)).all())
        run = s.get(RescanRun, run_id, with_for_update=True)
        run.cursor_created_at, run.cursor_id = last
        run.checked += result["checked"]
        run.skipped += skipped
        run.worse += added
    if progress is not None:
        progress(result["checked"] + skipped)


def results(db, run_id: str) -> list[dict]:
    with db.session() as s:
        rows = s.scalars(select(RescanResult).where(RescanResult.run_id == run_id)
                         .order_by(RescanResult.checked_at, RescanResult.check_id))
        return [{"check_id": r.check_id, "checked_at": r.checked_at, "old_verdict": r.old_verdict,
                 "new_verdict": r.new_verdict, "old_tier": r.old_tier, "new_tier": r.new_tier,
                 "new_findings": r.new_findings} for r in rows]
