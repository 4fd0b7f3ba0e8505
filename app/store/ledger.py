"""Supervision rules of clause 五: when a publication complies, and how violations escalate.

Pure functions over plain values, so the rules read (and are tested) apart from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

# 五(二)3: first violation criticism and correction; second a warning and a bonus deduction;
# repeated (three or more) a fine and beyond.
ESCALATION = ("none", "criticism", "warning", "penalty")


def escalation(violations: int) -> str:
    return ESCALATION[min(max(violations, 0), len(ESCALATION) - 1)]


@dataclass(frozen=True)
class Decision:
    role: str
    approver: str
    decision: str  # approve | reject
    order: tuple  # sorts decisions in the order they were recorded


def latest_decisions(decisions: Iterable[Decision]) -> dict[str, Decision]:
    """The decision that stands for each role: the most recent one."""
    latest: dict[str, Decision] = {}
    for d in sorted(decisions, key=lambda d: d.order):
        latest[d.role] = d
    return latest


def approval_state(approver_roles: list[str], decisions: Iterable[Decision]) -> dict:
    latest = latest_decisions(decisions)
    approved = [r for r in approver_roles if r in latest and latest[r].decision == "approve"]
    rejected = [r for r in approver_roles if r in latest and latest[r].decision == "reject"]
    pending = [r for r in approver_roles if r not in latest]
    return {"required": list(approver_roles), "approved": approved, "rejected": rejected, "pending": pending,
            "complete": not rejected and not pending}


def compliance(report: dict, decisions: Iterable[Decision]) -> list[dict]:
    """Why publishing this checked draft breaks the policy; an empty list means it complies.

    ``report`` is the stored JSON report of the check.
    """
    reasons: list[dict] = []
    findings = report.get("findings", [])
    for severity, clause, what in (("block", "三(一)3", "must not be published"),
                                   ("error", "三(一)2", "must be fixed before publishing")):
        rules = sorted({f["rule"] for f in findings if f.get("severity") == severity})
        if rules:
            count = sum(1 for f in findings if f.get("severity") == severity)
            reasons.append({"code": f"finding.{severity}", "clause": clause,
                            "message": f"the check found {count} {severity} finding(s) that {what}: "
                                       f"{', '.join(rules)}"})
    tier = report.get("tier", {})
    approvers = tier.get("approvers", [])
    titles = {a["role"]: a.get("title", a["role"]) for a in approvers}
    latest = latest_decisions(decisions)
    clause = _tier_clause(tier.get("level", "department"))
    for role in titles:
        d = latest.get(role)
        if d is None:
            reasons.append({"code": "approval.missing", "clause": clause, "role": role,
                            "message": f"no approval from {role} ({titles[role]}), required for the "
                                       f"{tier.get('level')} tier"})
        elif d.decision == "reject":
            reasons.append({"code": "approval.rejected", "clause": clause, "role": role,
                            "message": f"{role} ({titles[role]}) rejected it: {d.approver}"})
    return reasons


def _tier_clause(level: str) -> str:
    return {"department": "三(三)1", "external": "三(三)3", "leadership": "三(三)2"}.get(level, "三(三)")
