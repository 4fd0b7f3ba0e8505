"""The audit store's tables (SQLAlchemy 2 declarative models).

Times are stored as naive UTC: SQLite has no time zone type, and one convention on both databases
keeps comparisons and the summary's date ranges identical.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .columns import SafeString, SafeText


class Base(DeclarativeBase):
    pass


class CheckRecord(Base):
    """One draft checked through the API: who, when, what (hash, optionally text) and the report."""

    __tablename__ = "checks"

    id: Mapped[str] = mapped_column(SafeString(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    author_id: Mapped[str | None] = mapped_column(SafeString(200), index=True)
    author_type: Mapped[str] = mapped_column(SafeString(20))
    department: Mapped[str | None] = mapped_column(SafeString(200))
    key_name: Mapped[str] = mapped_column(SafeString(200), index=True)
    content_hash: Mapped[str] = mapped_column(SafeString(64), index=True)
    verdict: Mapped[str] = mapped_column(SafeString(10))
    tier: Mapped[str] = mapped_column(SafeString(20))
    format: Mapped[str] = mapped_column(SafeString(10))
    title: Mapped[str | None] = mapped_column(SafeText)
    body: Mapped[str | None] = mapped_column(SafeText)
    report: Mapped[str] = mapped_column(SafeText)  # the JSON answer exactly as the client received it


class FindingRecord(Base):
    """One finding of a stored check, kept apart so the periodic summary can count with SQL."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    check_id: Mapped[str] = mapped_column(ForeignKey("checks.id", ondelete="CASCADE"), index=True)
    check: Mapped[str] = mapped_column(SafeString(40))
    rule: Mapped[str] = mapped_column(SafeString(120))
    severity: Mapped[str] = mapped_column(SafeString(10))


class Approval(Base):
    __tablename__ = "approvals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    check_id: Mapped[str] = mapped_column(ForeignKey("checks.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(SafeString(60))
    approver: Mapped[str] = mapped_column(SafeString(200))
    decision: Mapped[str] = mapped_column(SafeString(10))
    comment: Mapped[str | None] = mapped_column(SafeText)
    recorded_by: Mapped[str] = mapped_column(SafeString(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Publication(Base):
    """A post that went out, and whether its check allowed it.

    No foreign key to ``checks``: the supervision ledger (clause 五(二)3) outlives the retention of
    draft texts and reports, so the author, tier and reasons are copied here.
    """

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    check_id: Mapped[str] = mapped_column(SafeString(64), index=True)
    author_id: Mapped[str | None] = mapped_column(SafeString(200), index=True)
    department: Mapped[str | None] = mapped_column(SafeString(200))
    tier: Mapped[str] = mapped_column(SafeString(20))
    channel: Mapped[str] = mapped_column(SafeString(100))
    url: Mapped[str | None] = mapped_column(SafeText)
    published_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(SafeString(200))
    compliant: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list] = mapped_column(JSON)


class ApiKey(Base):
    """A key made with ``precheck keys create``; only its SHA-256 digest is kept."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(SafeString(200), unique=True)
    role: Mapped[str] = mapped_column(SafeString(20))
    key_hash: Mapped[str] = mapped_column(SafeString(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


Index("ix_publications_author_compliant", Publication.author_id, Publication.compliant)


class LexiconOverlayFile(Base):
    """One file of the company lexicon overlay (``sensitive/<category>.txt``, ``sensitive/removed/…``).

    The admin API edits these rows; every replica writes them to its ``<data_dir>/lexicons`` folder
    and reloads, so all replicas match the same terms.
    """

    __tablename__ = "lexicon_overlay_files"

    path: Mapped[str] = mapped_column(SafeString(300), primary_key=True)
    content: Mapped[str] = mapped_column(SafeText)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class LexiconOverlayState(Base):
    """A single row: the overlay's version, raised by every edit (replicas compare it to their own)."""

    __tablename__ = "lexicon_overlay_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class RescanRun(Base):
    """One ``precheck rescan``: its parameters, how far it got (the cursor), and its counts."""

    __tablename__ = "rescan_runs"

    id: Mapped[str] = mapped_column(SafeString(32), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(SafeString(20))  # running | done
    params: Mapped[dict] = mapped_column(JSON)
    lexicon_version: Mapped[str] = mapped_column(SafeString(40))
    cursor_created_at: Mapped[datetime | None] = mapped_column(DateTime)
    cursor_id: Mapped[str | None] = mapped_column(SafeString(64))
    checked: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    worse: Mapped[int] = mapped_column(Integer, default=0)


class RescanResult(Base):
    """A stored check that came out worse under the rules of a re-scan."""

    __tablename__ = "rescan_results"

    run_id: Mapped[str] = mapped_column(ForeignKey("rescan_runs.id", ondelete="CASCADE"), primary_key=True)
    check_id: Mapped[str] = mapped_column(SafeString(64), primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(DateTime)
    old_verdict: Mapped[str] = mapped_column(SafeString(10))
    new_verdict: Mapped[str] = mapped_column(SafeString(10))
    old_tier: Mapped[str] = mapped_column(SafeString(20))
    new_tier: Mapped[str] = mapped_column(SafeString(20))
    new_findings: Mapped[list] = mapped_column(JSON)


Index("ix_checks_created_at_id", CheckRecord.created_at, CheckRecord.id)
