"""The checking endpoints: POST /v1/check, GET /v1/rules, GET /healthz."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from .. import __version__, pipeline
from ..models import Draft, Report
from . import records
from .auth import Principal, require
from .deps import ResourcesDep

router = APIRouter()


def enforce_limit(draft: Draft, max_chars: int) -> None:
    size = len(draft.body) + len(draft.title or "")
    if size > max_chars:
        raise HTTPException(413, detail=f"draft has {size} characters; the limit is {max_chars} (PRECHECK_MAX_CHARS)")


@router.post("/v1/check", response_model=Report, tags=["check"],
             responses={413: {"description": "draft longer than PRECHECK_MAX_CHARS"},
                        422: {"description": "malformed request"}})
def check(draft: Draft, request: Request, response: Response, res: ResourcesDep,
          who: Principal = Depends(require("author"))) -> Report:
    """Check a draft: findings with exact offsets in the submitted source, verdict, approval tier.

    The check is kept in the audit store; the ``X-Precheck-Record`` header says ``stored``, ``queued``
    (database unavailable: written when it returns) or ``not-recorded``."""
    enforce_limit(draft, res.settings.max_chars)
    report = pipeline.run(draft, res, probe_links=draft.probe_links)
    response.headers[records.RECORD_HEADER] = records.record_check(request, draft, report, who)
    return report


@router.get("/v1/rules", tags=["check"])
def rules(res: ResourcesDep) -> dict:
    """Every rule: id, check, default and configured severity, clause, scope, description, examples;
    and every check with its label."""
    cat = res.catalog
    return {"rules": cat.describe(), "checks": [{"name": s.name, "label": s.label} for s in cat.specs]}


@router.get("/healthz", tags=["ops"])
def healthz(res: ResourcesDep) -> dict:
    return {"status": "ok", "version": __version__, "lexicon_version": res.lexicon_version,
            "checks": {name: {"status": c.status, "engine": c.engine, "detail": c.detail}
                       for name, c in res.checks.items()}}
