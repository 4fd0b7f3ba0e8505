"""SARIF 2.1.0, for code-scanning dashboards and CI."""

from __future__ import annotations

import json

from .. import __version__, registry
from ..models import Report

_LEVEL = {"block": "error", "error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(results: list[tuple[str, Report]]) -> str:
    rules = registry.all_rules()
    used = sorted({f.rule for _, r in results for f in r.findings})
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
        for f in report.findings:
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
            if f.suggestions and f.field == "body":
                res["fixes"] = [{"description": {"text": f"替换为 {s}"}, "artifactChanges": [{
                    "artifactLocation": {"uri": path},
                    "replacements": [{"deletedRegion": {"charOffset": f.offset, "charLength": f.length},
                                      "insertedContent": {"text": s}}]}]} for s in f.suggestions[:3]]
            out.append(res)
    sarif = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "precheck", "version": __version__, "informationUri": "https://localhost/docs",
                            "rules": descriptors}},
        "columnKind": "unicodeCodePoints",
        "artifacts": [{"location": {"uri": path}} for path, _ in results],
        "results": out}]}
    return json.dumps(sarif, ensure_ascii=False, indent=2)
