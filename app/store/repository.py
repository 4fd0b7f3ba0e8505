"""Reading and writing the audit store. Every function takes an open ``Session``."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from . import ledger, posting
from .records import to_utc_naive, utcnow
from .schema import ApiKey, Approval, CheckRecord, FindingRecord, Publication

# --- checks ------------------------------------------------------------------------------------


def save_check(s: Session, rec: dict) -> bool:
    """Store a check record; False when it is already there (replaying the spool twice is harmless)."""
    row = {k: v for k, v in rec.items() if k != "findings"}
    row["created_at"] = to_utc_naive(datetime.fromisoformat(rec["created_at"]))
    # One statement that ignores a duplicate id: no read first, no savepoint (each is a round trip).
    insert = (_insert_for(s)(CheckRecord.__table__).values(**row).on_conflict_do_nothing(index_elements=["id"])
              .returning(CheckRecord.__table__.c.id))
    if s.execute(insert).first() is None:
        return False
    if rec["findings"]:
        s.execute(FindingRecord.__table__.insert(),
                  [{"check_id": rec["id"], "check": c, "rule": r, "severity": sev} for c, r, sev in rec["findings"]])
    return True


def _insert_for(s: Session):
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def get_check(s: Session, check_id: str) -> CheckRecord | None:
    return s.get(CheckRecord, check_id)


def approvals_of(s: Session, check_id: str) -> list[Approval]:
    return list(s.scalars(select(Approval).where(Approval.check_id == check_id)
                          .order_by(Approval.created_at, Approval.id)))


def publications_of(s: Session, check_id: str) -> list[Publication]:
    return list(s.scalars(select(Publication).where(Publication.check_id == check_id)
                          .order_by(Publication.published_at, Publication.id)))


def decisions(approvals: list[Approval]) -> list[ledger.Decision]:
    return [ledger.Decision(a.role, a.approver, a.decision, (a.created_at, a.id)) for a in approvals]


def add_approval(s: Session, check_id: str, *, role: str, approver: str, decision: str,
                 comment: str | None, recorded_by: str) -> Approval:
    a = Approval(check_id=check_id, role=role, approver=approver, decision=decision, comment=comment,
                 recorded_by=recorded_by, created_at=utcnow())
    s.add(a)
    s.flush()
    return a


def record_publication(s: Session, check: CheckRecord, *, channel: str, url: str | None,
                       published_at: datetime | None, recorded_by: str,
                       posting_rules: posting.PostingRules | None = None) -> Publication:
    """Judge the publication against its check and approvals, and record it either way. Over-posting
    warnings (``posting``) are kept with the reasons, marked ``"severity": "warning"``; they do not
    make the publication non-compliant."""
    reasons = ledger.compliance(json.loads(check.report), decisions(approvals_of(s, check.id)))
    now = utcnow()
    when = to_utc_naive(published_at) if published_at else now
    warned = posting.warnings(s, check, channel=channel, published_at=when, rules=posting_rules) if posting_rules else []
    p = Publication(check_id=check.id, author_id=check.author_id, department=check.department, tier=check.tier,
                    channel=channel, url=url, published_at=when,
                    recorded_at=now, recorded_by=recorded_by, compliant=not reasons, reasons=reasons + warned)
    s.add(p)
    s.flush()
    return p


# --- the ledger and the periodic review ----------------------------------------------------------


def author_record(s: Session, author_id: str) -> dict:
    checks = s.scalar(select(func.count()).select_from(CheckRecord).where(CheckRecord.author_id == author_id))
    pubs = s.scalar(select(func.count()).select_from(Publication).where(Publication.author_id == author_id))
    violations = list(s.scalars(select(Publication).where(Publication.author_id == author_id,
                                                          Publication.compliant.is_(False))
                                .order_by(Publication.published_at, Publication.id)))
    return {"author_id": author_id, "checks": checks, "publications": pubs, "violations": len(violations),
            "escalation": ledger.escalation(len(violations)), "violation_records": violations}


def _counts(s: Session, column, start: datetime | None, end: datetime | None) -> dict[str, int]:
    q = select(column, func.count()).select_from(CheckRecord)
    q = _in_period(q, start, end).group_by(column)
    return {("" if k is None else str(k)): n for k, n in s.execute(q)}


def _in_period(q, start, end, column=CheckRecord.created_at):
    if start is not None:
        q = q.where(column >= start)
    if end is not None:
        q = q.where(column < end)
    return q


def summary(s: Session, start: datetime | None, end: datetime | None) -> dict:
    """Counts for the administration department's periodic review (五(一)1)."""
    total = s.scalar(_in_period(select(func.count()).select_from(CheckRecord), start, end))
    by_finding = {}
    for column, key in ((FindingRecord.rule, "by_rule"), (FindingRecord.check, "by_check")):
        q = (select(column, func.count(), func.count(func.distinct(FindingRecord.check_id)))
             .select_from(FindingRecord).join(CheckRecord, CheckRecord.id == FindingRecord.check_id))
        q = _in_period(q, start, end).group_by(column).order_by(func.count().desc(), column)
        by_finding[key] = {k: {"findings": n, "checks": c} for k, n, c in s.execute(q)}
    pq = _in_period(select(Publication.compliant, func.count()).select_from(Publication), start, end,
                    Publication.published_at).group_by(Publication.compliant)
    pubs = {bool(k): n for k, n in s.execute(pq)}
    return {"checks": total,
            "by_verdict": _counts(s, CheckRecord.verdict, start, end),
            "by_tier": _counts(s, CheckRecord.tier, start, end),
            "by_department": _counts(s, CheckRecord.department, start, end),
            **by_finding,
            "publications": sum(pubs.values()), "violations": pubs.get(False, 0)}


def purge(s: Session, older_than: datetime) -> int:
    """Delete checks (with their findings and approvals) made before ``older_than``; publications stay."""
    old = select(CheckRecord.id).where(CheckRecord.created_at < older_than)
    s.execute(delete(FindingRecord).where(FindingRecord.check_id.in_(old)))
    s.execute(delete(Approval).where(Approval.check_id.in_(old)))
    return s.execute(delete(CheckRecord).where(CheckRecord.created_at < older_than)).rowcount or 0


# --- API keys ---------------------------------------------------------------------------------


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(s: Session, name: str, role: str) -> str:
    """Make a key and store only its digest; the key itself is returned once and never again."""
    if s.scalar(select(ApiKey).where(ApiKey.name == name)) is not None:
        raise ValueError(f"a key named {name!r} exists already")
    key = "pck_" + secrets.token_urlsafe(32)
    s.add(ApiKey(name=name, role=role, key_hash=digest(key), created_at=utcnow()))
    s.flush()
    return key


def find_key(s: Session, key_digest: str) -> ApiKey | None:
    return s.scalar(select(ApiKey).where(ApiKey.key_hash == key_digest, ApiKey.revoked_at.is_(None)))


def has_keys(s: Session) -> bool:
    return s.scalar(select(func.count()).select_from(ApiKey).where(ApiKey.revoked_at.is_(None))) > 0


def list_keys(s: Session) -> list[ApiKey]:
    return list(s.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)))


def revoke_key(s: Session, name: str) -> bool:
    k = s.scalar(select(ApiKey).where(ApiKey.name == name, ApiKey.revoked_at.is_(None)))
    if k is None:
        return False
    k.revoked_at = utcnow()
    return True
