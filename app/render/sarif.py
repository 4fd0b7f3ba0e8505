"""SARIF 2.1.0, for code-scanning dashboards and CI."""

from __future__ import annotations

import json

from .. import __version__, baseline, registry
from ..edits import label
from ..models import Finding, Report

_LEVEL = {"block": "error", "error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _fixes(path: str, f: Finding) -> list[dict]:
    return [{"description": {"text": f"插入 {label(s, e)[1:]}" if e.length == 0 else f"替换为 {s}"},
             "artifactChanges": [{"artifactLocation": {"uri": path},
                                  "replacements": [{"deletedRegion": {"charOffset": e.offset, "charLength": e.length},
                                                    "insertedContent": {"text": e.text}}]}]}
            for s, e in list(zip(f.suggestions, f.edits))[:3]]


def render(results: list[tuple[str, Report]], errors: list[tuple[str, str]] = (), *,
           fingerprints: dict[str, list[str]] | None = None, invocation: dict | None = None) -> str:
    """``fingerprints``: per path, the baseline fingerprint of each finding (``partialFingerprints``);
    ``invocation``: exit code, start and end time; ``errors``: files that could not be checked."""
    rules = registry.all_rules()
    used = sorted({f.rule for _, r in results for f in (*r.findings, *r.suppressed)})
    index = {rid: i for i, rid in enumerate(used)}
    descriptors = []
    for rid in used:
        rule = rules.get(rid)
        d = {"id": rid, "shortDescription": {"text": rule.description if rule else rid},
             "defaultConfiguration": {"level": _LEVEL[rule.severity] if rule else "warning"}}
        if rule and rule.clause:
            d["properties"] = {"clause": rule.clause, "check": rule.check}
        descriptors.append(d)
    out = []
    for path, report in results:
        fps = (fingerprints or {}).get(path, [])
        for k, f in enumerate((*report.findings, *report.suppressed)):
            res = {"ruleId": f.rule, "ruleIndex": index[f.rule], "level": _LEVEL[f.severity],
                   "message": {"text": f.message},
                   "properties": {"severity": f.severity, "field": f.field, "clause": f.clause}}
            loc = {"physicalLocation": {"artifactLocation": {"uri": path}}}
            if f.field == "body":
                # SARIF counts columns in UTF-16 code units by default; declared below as unicodeCodePoints.
                loc["physicalLocation"]["region"] = {
                    "startLine": f.line, "startColumn": f.column,
                    "charOffset": f.offset, "charLength": f.length, "snippet": {"text": f.text}}
            res["locations"] = [loc]
            if k < len(fps):
                res["partialFingerprints"] = {baseline.KEY: fps[k]}
            if k >= len(report.findings):
                res["suppressions"] = [{"kind": "inSource", "justification": "<!-- precheck-disable … -->"}]
            if f.edits and f.field == "body":
                res["fixes"] = _fixes(path, f)
            out.append(res)
    sarif = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "precheck", "version": __version__, "informationUri": "https://localhost/docs",
                            "rules": descriptors}},
        "columnKind": "unicodeCodePoints",
        "artifacts": [{"location": {"uri": path}} for path, _ in results],
        "results": out}]}
    if invocation is not None or errors:
        inv = {"executionSuccessful": not errors, **(invocation or {})}
        if errors:
            inv["toolExecutionNotifications"] = [
                {"level": "error", "message": {"text": why},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": path}}}]} for path, why in errors]
        sarif["runs"][0]["invocations"] = [inv]
    return json.dumps(sarif, ensure_ascii=False, indent=2)
