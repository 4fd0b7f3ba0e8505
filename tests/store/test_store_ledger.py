"""The supervision rules alone: escalation of 五(二)3 and when a publication complies."""

import pytest

from app.store.ledger import Decision, approval_state, compliance, escalation


@pytest.mark.parametrize("violations,level", [(0, "none"), (1, "criticism"), (2, "warning"), (3, "penalty"),
                                              (7, "penalty")])
def test_escalation(violations, level):
    assert escalation(violations) == level


def report(level="department", roles=("department_head",), severities=()):
    return {"tier": {"level": level, "approvers": [{"role": r, "title": r} for r in roles]},
            "findings": [{"rule": f"x.{s}", "severity": s} for s in severities]}


def d(role, decision, n):
    return Decision(role, "someone", decision, (n,))


def codes(reasons):
    return [r["code"] for r in reasons]


def test_all_approved_and_clean_complies():
    assert compliance(report(severities=("warning", "info")), [d("department_head", "approve", 1)]) == []


def test_missing_approval_of_each_role_is_a_reason():
    r = compliance(report("external", ("business_department_head", "supervising_leader")),
                   [d("business_department_head", "approve", 1)])
    assert codes(r) == ["approval.missing"] and r[0]["role"] == "supervising_leader"
    assert r[0]["clause"] == "三(三)3"


def test_latest_decision_per_role_stands():
    rejected_last = [d("department_head", "approve", 1), d("department_head", "reject", 2)]
    assert codes(compliance(report(), rejected_last)) == ["approval.rejected"]
    approved_last = [d("department_head", "reject", 1), d("department_head", "approve", 2)]
    assert compliance(report(), approved_last) == []
    # Recorded order, not list order, decides.
    assert codes(compliance(report(), list(reversed(rejected_last)))) == ["approval.rejected"]


def test_block_and_error_findings_make_a_violation_even_when_approved():
    r = compliance(report(severities=("block", "error", "error")), [d("department_head", "approve", 1)])
    assert codes(r) == ["finding.block", "finding.error"]
    assert "x.block" in r[0]["message"] and "2 error" in r[1]["message"]


def test_approval_state():
    s = approval_state(["a", "b", "c"], [d("a", "approve", 1), d("b", "reject", 2), d("x", "approve", 3)])
    assert s == {"required": ["a", "b", "c"], "approved": ["a"], "rejected": ["b"], "pending": ["c"],
                 "complete": False}
