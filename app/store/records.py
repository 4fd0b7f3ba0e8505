"""Turning a checked draft into a storable record (a plain JSON-able dict, so it can be spooled)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from ..models import Draft, Report


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_utc_naive(value: datetime) -> datetime:
    return value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.replace(tzinfo=timezone.utc).isoformat(timespec="milliseconds")


def content_hash(draft: Draft) -> str:
    """SHA-256 of the title and body as submitted, so a published text can be matched to its check."""
    # surrogatepass: the same digest for any valid text, and no error on text that is not
    return hashlib.sha256(f"{draft.title or ''}\x00{draft.body}".encode("utf-8", "surrogatepass")).hexdigest()


def check_record(draft: Draft, report: Report, key_name: str, store_text: bool) -> dict:
    return {
        "id": report.id,
        "created_at": report.created_at,
        "author_id": draft.author.id,
        "author_type": draft.author.type,
        "department": draft.author.department,
        "key_name": key_name,
        "content_hash": content_hash(draft),
        "verdict": report.verdict,
        "tier": report.tier.level,
        "format": draft.format,
        "title": draft.title if store_text else None,
        "body": draft.body if store_text else None,
        "report": report.model_dump_json(),
        "findings": [[f.check, f.rule, f.severity] for f in report.findings],
    }
