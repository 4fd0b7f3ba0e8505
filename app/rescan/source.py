"""Stored checks in (created_at, id) order, a page at a time after a cursor: never the whole archive.

Each page is one short query (keyset pagination on the ``ix_checks_created_at_id`` index), so a
re-scan of millions of drafts holds one page in memory and no long transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select

from ..store.records import iso
from ..store.schema import CheckRecord, Publication

COLUMNS = (CheckRecord.id, CheckRecord.created_at, CheckRecord.title, CheckRecord.body, CheckRecord.format,
           CheckRecord.author_id, CheckRecord.author_type, CheckRecord.department, CheckRecord.report)


@dataclass(frozen=True)
class Selection:
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    only_published: bool = False

    def where(self, q):
        if self.since is not None:
            q = q.where(CheckRecord.created_at >= self.since)
        if self.until is not None:
            q = q.where(CheckRecord.created_at < self.until)
        if self.only_published:
            q = q.where(exists().where(Publication.check_id == CheckRecord.id))
        return q


def page(session, sel: Selection, after: tuple[datetime, str] | None, size: int) -> list[dict]:
    q = sel.where(select(*COLUMNS))
    if after is not None:
        at, last_id = after
        q = q.where(or_(CheckRecord.created_at > at, and_(CheckRecord.created_at == at, CheckRecord.id > last_id)))
    q = q.order_by(CheckRecord.created_at, CheckRecord.id).limit(size)
    return [{"id": r.id, "created_at": r.created_at, "title": r.title, "body": r.body, "format": r.format,
             "author_id": r.author_id, "author_type": r.author_type, "department": r.department,
             "report": r.report} for r in session.execute(q)]


def count(session, sel: Selection) -> int:
    return session.scalar(sel.where(select(func.count()).select_from(CheckRecord)))


def for_worker(row: dict) -> dict:
    """A row as a worker gets it: JSON-able (the created_at of a result is shown, not compared)."""
    return {**row, "created_at": iso(row["created_at"])}
