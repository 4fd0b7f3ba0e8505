"""The audit trail over HTTP: stored checks, approvals, publications, the ledger, the periodic summary."""

from __future__ import annotations

import csv
import io
import json
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Annotated, Iterator, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ..observability import metrics
from ..store import AuditStore, RecordRefused, StoreUnavailable, ledger, posting, repository
from ..models import Draft, Report, Text
from ..store.records import check_record, iso, to_utc_naive
from .auth import Principal, require

router = APIRouter(tags=["records"])

Author = Annotated[Principal, Depends(require("author"))]
Editor = Annotated[Principal, Depends(require("editor"))]
Admin = Annotated[Principal, Depends(require("admin"))]


class ApprovalIn(BaseModel):
    role: Text = Field(..., description="an approver role of the check's tier, e.g. department_head")
    approver: Text = Field(..., min_length=1, max_length=200, description="who decided")
    decision: Literal["approve", "reject"]
    comment: Text | None = Field(None, max_length=4000)


class PublicationIn(BaseModel):
    channel: Text = Field(..., min_length=1, max_length=100, description="the account or channel")
    url: Text | None = Field(None, max_length=4000)
    published_at: datetime | None = Field(None, description="default: now")


RECORD_HEADER = "X-Precheck-Record"


def store_of(request: Request) -> AuditStore:
    return request.app.state.store


def record_check(request: Request, draft: Draft, report: Report, who: Principal, with_text: bool = True) -> str:
    """Keep a finished check in the audit store; ``stored``, ``queued`` or ``not-recorded``.
    ``with_text=False`` keeps the report and hash only, whatever ``PRECHECK_STORE_TEXT`` says.

    Also counted in the metrics, and named (id, verdict, outcome) on the request's log line."""
    store = store_of(request)
    outcome = store.record_check(check_record(draft, report, who.name, with_text and store.settings.store_text))
    metrics.observe_report(report)
    metrics.observe_record(outcome)
    request.state.check_id, request.state.verdict, request.state.tier = report.id, report.verdict, report.tier.level
    request.state.record = outcome
    return outcome


def unavailable(e: StoreUnavailable) -> HTTPException:
    return HTTPException(503, detail=f"the audit store is unavailable: {e}", headers={"Retry-After": "5"})


@contextmanager
def _session(store: AuditStore) -> Iterator:
    """A store session whose outage becomes a 503 with Retry-After."""
    try:
        with store.session() as s:
            yield s
    except StoreUnavailable as e:
        raise unavailable(e) from None
    except RecordRefused as e:
        raise HTTPException(422, detail=f"the audit store cannot keep this value: {e}") from None


def _check_or_404(s, store: AuditStore, check_id: str):
    c = repository.get_check(s, check_id)
    if c is None:
        detail = f"no check with id {check_id!r}"
        if store.settings.retention_days:
            detail += f" (checks are kept {store.settings.retention_days} days)"
        raise HTTPException(404, detail=detail)
    return c


def _approval_json(a) -> dict:
    return {"id": a.id, "role": a.role, "approver": a.approver, "decision": a.decision, "comment": a.comment,
            "recorded_by": a.recorded_by, "created_at": iso(a.created_at)}


def _publication_json(p) -> dict:
    return {"id": p.id, "check_id": p.check_id, "channel": p.channel, "url": p.url,
            "published_at": iso(p.published_at), "recorded_at": iso(p.recorded_at), "recorded_by": p.recorded_by,
            "compliant": p.compliant, "reasons": [r for r in p.reasons if r.get("severity") != "warning"],
            "warnings": [r for r in p.reasons if r.get("severity") == "warning"]}


def _posting_rules(request: Request) -> posting.PostingRules:
    try:
        return posting.from_config(request.app.state.holder.current.config.section("publishing"))
    except ValueError as e:
        raise HTTPException(422, detail=str(e)) from None


def _roles(report: dict) -> list[str]:
    return [a["role"] for a in report.get("tier", {}).get("approvers", [])]


@router.get("/v1/checks/{check_id}")
def get_check(check_id: str, request: Request, who: Author) -> dict:
    """A stored check: the report, the draft (unless PRECHECK_STORE_TEXT=false), approvals, publications."""
    store = store_of(request)
    with _session(store) as s:
        c = _check_or_404(s, store, check_id)
        if not who.at_least("editor") and not who.anonymous and c.key_name != who.name:
            raise HTTPException(403, detail=f"key {who.name!r} has role author and may read only the checks "
                                            "made with it")
        approvals = repository.approvals_of(s, check_id)
        publications = repository.publications_of(s, check_id)
    report = json.loads(c.report)
    return {"id": c.id, "created_at": iso(c.created_at),
            "author": {"id": c.author_id, "type": c.author_type, "department": c.department},
            "key_name": c.key_name, "content_hash": c.content_hash,
            "draft": None if c.body is None else {"title": c.title, "body": c.body, "format": c.format},
            "report": report,
            "approval": ledger.approval_state(_roles(report), repository.decisions(approvals)),
            "approvals": [_approval_json(a) for a in approvals],
            "publications": [_publication_json(p) for p in publications]}


@router.post("/v1/checks/{check_id}/approvals", status_code=201)
def add_approval(check_id: str, body: ApprovalIn, request: Request, who: Editor) -> dict:
    """Record an approver's decision (approve or reject) on a checked draft; the latest per role stands."""
    store = store_of(request)
    with _session(store) as s:
        c = _check_or_404(s, store, check_id)
        roles = _roles(json.loads(c.report))
        if body.role not in roles:
            raise HTTPException(422, detail=f"role {body.role!r} is not an approver of this check's "
                                            f"{c.tier} tier; its approvers are: {', '.join(roles)}")
        a = repository.add_approval(s, check_id, role=body.role, approver=body.approver,
                                    decision=body.decision, comment=body.comment, recorded_by=who.name)
        approvals = repository.approvals_of(s, check_id)
    return {**_approval_json(a), "check_id": check_id,
            "approval": ledger.approval_state(roles, repository.decisions(approvals))}


@router.post("/v1/checks/{check_id}/publication", status_code=201)
def add_publication(check_id: str, body: PublicationIn, request: Request, who: Editor) -> dict:
    """Record that a checked draft was published; a publication that breaks the policy is a violation."""
    store = store_of(request)
    with _session(store) as s:
        c = _check_or_404(s, store, check_id)
        p = repository.record_publication(s, c, channel=body.channel, url=body.url,
                                          published_at=body.published_at, recorded_by=who.name,
                                          posting_rules=_posting_rules(request))
        record = repository.author_record(s, c.author_id) if c.author_id else None
    return {**_publication_json(p), "author_id": c.author_id,
            "escalation": record["escalation"] if record else None}


@router.get("/v1/authors/{author_id}/record")
def author_record(author_id: str, request: Request, who: Admin) -> dict:
    """The supervision ledger of one author (clause 五(二)3): escalation none, criticism, warning, penalty."""
    with _session(store_of(request)) as s:
        r = repository.author_record(s, author_id)
    r["violation_records"] = [_publication_json(p) for p in r["violation_records"]]
    return r


def _bound(value: str | None, name: str, end: bool) -> datetime | None:
    if value is None or not value.strip():
        return None
    v = value.strip()
    try:
        if len(v) == 10:  # a date: the whole day, so to=2026-03-31 includes the 31st
            d = date.fromisoformat(v)
            return datetime.combine(d + timedelta(days=1) if end else d, datetime.min.time())
        return to_utc_naive(datetime.fromisoformat(v))
    except ValueError:
        raise HTTPException(422, detail=f"{name}={value!r} is not an ISO date (2026-03-01) or date-time "
                                        "(2026-03-01T08:00:00+08:00)") from None


@router.get("/v1/reports/summary",
            responses={200: {"content": {"application/json": {}, "text/csv": {"schema": {"type": "string"}}}}})
def summary(request: Request, who: Admin,
            start: Annotated[str | None, Query(alias="from", description="ISO date or date-time")] = None,
            end: Annotated[str | None, Query(alias="to", description="ISO date (inclusive) or date-time")] = None,
            format: Annotated[Literal["json", "csv"] | None, Query(description="or Accept: text/csv")] = None):
    """Counts by verdict, tier, department, check and rule for the periodic review (五(一)1); JSON or CSV."""
    lo, hi = _bound(start, "from", False), _bound(end, "to", True)
    if lo is not None and hi is not None and lo >= hi:
        raise HTTPException(422, detail="from must be before to")
    with _session(store_of(request)) as s:
        data = repository.summary(s, lo, hi)
    data = {"from": iso(lo), "to": iso(hi), **data}
    wants_csv = format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))
    if not wants_csv:
        return data
    return Response(_csv(data), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="precheck-summary.csv"'})


def _csv(data: dict) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["dimension", "key", "checks", "findings"])
    w.writerow(["period", f"{data['from'] or ''}/{data['to'] or ''}", "", ""])
    w.writerow(["total", "checks", data["checks"], ""])
    for dim in ("verdict", "tier", "department"):
        for key, n in sorted(data[f"by_{dim}"].items()):
            w.writerow([dim, key, n, ""])
    for dim in ("check", "rule"):
        for key, c in data[f"by_{dim}"].items():
            w.writerow([dim, key, c["checks"], c["findings"]])
    w.writerow(["publications", "total", data["publications"], ""])
    w.writerow(["publications", "violations", data["violations"], ""])
    return out.getvalue()


def install(app) -> AuditStore:
    """Attach the audit store and the database-backed keys to the app (connections open lazily)."""
    from .auth import DatabaseKeys

    store = AuditStore(app.state.settings)
    app.state.store = store
    app.state.db_keys = DatabaseKeys(store)
    return store
