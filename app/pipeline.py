"""Draft -> Document -> checks -> findings -> tier -> Report."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime, timezone
from typing import Iterable, Iterator

from . import edits, suppress, tiers
from .catalog import Catalog, Resolved
from .checks.base import Hit, RunContext
from .document import Document, parse
from .excerpt import quote
from .models import CheckStatus, Draft, Finding, Report, summary_of, verdict_of
from .resources import Resources

log = logging.getLogger("precheck")
_FIELD_ORDER = {"title": 0, "body": 1}


def admitted(doc: Document, hits: Iterable[Hit], catalog: Catalog,
             run: RunContext) -> Iterator[tuple[Hit, Resolved]]:
    """The hits the catalogue lets through, with how each is reported: the rule is on, the hit lies in
    the rule's scope, and the field has not yet reached the rule's cap (``run.full`` then says so)."""
    seen: dict[tuple[str, str], int] = {}
    resolved: dict[tuple, Resolved | None] = {}  # one resolution per rule and per-hit override
    for hit in hits:
        key = (hit.rule, hit.field)
        n = seen.get(key, 0)
        ask = (hit.rule, hit.severity, hit.clause)
        how = resolved[ask] if ask in resolved else resolved.setdefault(ask, catalog.resolve(*ask))
        cap = how.max_per_field if how is not None else None
        if how is None or cap is not None and n >= cap:
            continue
        if how.scope in ("text", "code"):
            inside = hit.field == "body" and doc.in_code(hit.start, hit.end)
            if inside != (how.scope == "code"):
                continue
        seen[key] = n + 1
        if cap is not None and n + 1 >= cap:
            run.mark_full(*key)
        yield hit, how


def to_finding(doc: Document, hit: Hit, how: Resolved, check: str) -> Finding:
    severity, clause = how.severity, how.clause
    suggestions, fixes = hit.suggestions, ()
    if hit.field.startswith("media["):
        offset = length = 0
        text, line, column = "", 1, 1
    else:
        f = doc.field(hit.field)
        s, e = hit.source_span or f.to_source(hit.start, hit.end)
        offset, length, text = s, e - s, quote(f.source[s:e])
        line, column = f.line_column(s)
        if suggestions:
            suggestions, fixes = edits.fixes(f, hit.start, hit.end, offset, length, suggestions, hit.edits)
    return Finding(check=check, rule=hit.rule, severity=severity, message=hit.message, field=hit.field,
                   offset=offset, length=length, line=line, column=column, text=text, suggestions=suggestions,
                   edits=fixes, clause=clause, category=hit.category, confidence=hit.confidence)


def sort_key(f: Finding):
    return (_FIELD_ORDER.get(f.field, 2), f.field, f.offset, -f.length, f.rule)


def run(draft: Draft, res: Resources, *, probe_links: bool | None = None,
        attachments: dict[str, bytes] | None = None, inline_config: bool = True) -> Report:
    """``attachments``: image bytes by the name or URL the draft uses for them (upload, CLI);
    ``inline_config``: honour ``<!-- precheck-disable … -->`` comments (see app/suppress.py)."""
    t0 = time.perf_counter()
    doc = parse(draft, attachments)
    wanted = set(draft.checks) if draft.checks is not None else None
    opts = RunContext(probe_links=res.settings.probe_links if probe_links is None else probe_links)
    findings: list[Finding] = []
    statuses: list[CheckStatus] = []
    for name in res.catalog.names:
        check = res.checks.get(name)
        if check is None or (wanted is not None and name not in wanted):
            why = "disabled in the configuration" if check is None else "not requested"
            statuses.append(CheckStatus(name=name, status="skipped", detail=why))
            continue
        c0 = time.perf_counter()
        try:
            produced = [to_finding(doc, h, how, name) for h, how in admitted(doc, check.run(doc, opts), res.catalog, opts)]
        except Exception as e:  # one broken check must not fail the request
            log.exception("check %s failed", name)
            statuses.append(CheckStatus(name=name, status="failed", engine=check.engine,
                                        elapsed_ms=round((time.perf_counter() - c0) * 1000, 3),
                                        detail=f"{type(e).__name__}: {e}"[:300]))
            continue
        findings.extend(produced)
        statuses.append(CheckStatus(name=name, status=check.status, engine=check.engine, detail=check.detail,
                                    elapsed_ms=round((time.perf_counter() - c0) * 1000, 3)))
    findings = sorted(set(findings), key=sort_key)
    tier = tiers.classify(doc, findings, res.tier_rules)
    if "claims" in res.checks and (wanted is None or "claims" in wanted):
        # The classifier judges relevance to work while it reads the content; it reports under claims.
        derived = [to_finding(doc, h, how, "claims") for h, how in admitted(doc, tiers.derived_hits(tier), res.catalog, opts)]
        findings = sorted(set(findings) | set(derived), key=sort_key)
    silenced: list[Finding] = []
    if inline_config:
        kept, silenced = suppress.apply(doc, findings)
        if silenced or len(kept) != len(findings):
            findings = sorted(kept, key=sort_key)
    summary = summary_of(findings, len(silenced))
    return Report(id=uuid.uuid4().hex, created_at=datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                  verdict=verdict_of(findings), tier=tier, findings=findings, summary=summary, checks=statuses,
                  elapsed_ms=round((time.perf_counter() - t0) * 1000, 3), suppressed=silenced)
