"""privacy, style and claims together: the company policy and realistic clean notices pass them."""

from __future__ import annotations

import pytest

from support import DATA, run_draft

CLEAN = sorted((DATA / "clean").glob("*.txt"))


def serious(report):
    return [(f.rule, f.text) for f in report.findings if f.severity in ("block", "error")]


def test_policy_has_no_block_or_error():
    policy = (DATA / "policy.md").read_text(encoding="utf-8")
    for fmt in ("markdown", "text"):
        report = run_draft({"body": policy, "format": fmt}, "privacy", "style", "claims")
        assert serious(report) == [], fmt
        assert not [f for f in report.findings if f.check in ("privacy", "claims")]


def test_there_are_enough_clean_notices():
    assert len(CLEAN) >= 5
    for p in CLEAN:
        assert len(p.read_text(encoding="utf-8")) >= 300, p.name


@pytest.mark.parametrize("path", CLEAN, ids=[p.stem for p in CLEAN])
def test_clean_notice_has_no_block_or_error(path):
    report = run_draft(path.read_text(encoding="utf-8"), "privacy", "style", "claims")
    assert serious(report) == []
    assert report.verdict == "pass"
    # Only house-style spacing warnings: no false privacy, claims, bracket or punctuation alarms.
    assert {f.rule for f in report.findings} <= {"style.cjk_spacing"}
