"""Every rule's own examples are its tests: each hit example yields the rule — at the marked span with
the marked first suggestion, when it marks them — and each no-hit example does not."""

from __future__ import annotations

import pytest

from app import registry
from app.rules import unmark
from support import run_draft

CASES = [(rule.id, kind, i, ex) for rule in registry.all_rules().values()
         for kind, examples in (("hit", rule.hit), ("nohit", rule.nohit)) for i, ex in enumerate(examples)]


def test_every_rule_has_both_kinds_of_example():
    for rule in registry.all_rules().values():
        if rule.needs == "lexicon":
            continue  # its terms come only with the company's lexicon
        assert rule.hit, f"{rule.id} has no hit example"
        assert rule.nohit, f"{rule.id} has no no-hit example"


def test_marks_are_read_as_span_and_first_suggestion():
    plain, marks = unmark({"title": "⟦通之⟧", "body": "请及时⟦按装→安装⟧软件，⟦X⟧"})
    assert plain == {"title": "通之", "body": "请及时按装软件，X"}
    assert [(m.field, m.offset, m.text, m.fix) for m in marks] == [
        ("title", 0, "通之", None), ("body", 3, "按装", "安装"), ("body", 8, "X", None)]


@pytest.mark.parametrize("rule_id,kind,i,example", CASES, ids=[f"{c[0]}-{c[1]}{c[2]}" for c in CASES])
def test_rule_example(rule_id, kind, i, example):
    rule = registry.all_rules()[rule_id]
    draft, marks = unmark(example)
    # A rule the pipeline reports itself (inline.*) needs the checks whose findings it is about.
    report = run_draft(draft, *[rule.check] if rule.check in registry.check_names() else [])
    status = next((c for c in report.checks if c.name == rule.check), None)
    if rule.needs and status and (status.status == "degraded" or rule.needs not in (status.engine or "").split("+")):
        pytest.skip(f"{rule.id} needs {rule.needs}: {status.detail}")
    found = [f for f in report.findings if f.rule == rule_id]
    if kind == "nohit":
        assert not found, f"{example!r} must not trigger {rule_id}; got {found}"
        return
    assert found, f"{example!r} should trigger {rule_id}; got {[f.rule for f in report.findings]}"
    for f in found:
        assert f.clause == rule.clause, f"{rule_id} reports clause {f.clause!r}, declares {rule.clause!r}"
    for m in marks:
        at = [f for f in found if (f.field, f.offset, f.text) == (m.field, m.offset, m.text)]
        got = [(f.field, f.offset, f.text) for f in found]
        assert at, f"{rule_id} should select {m.text!r} at {m.field}:{m.offset}; got {got}"
        if m.fix is not None:
            assert any(f.suggestions[:1] == (m.fix,) for f in at), \
                f"{rule_id} should suggest {m.fix!r} first; got {[f.suggestions for f in at]}"


def test_every_rule_id_a_check_reports_is_declared():
    """Over every example of every rule, no finding names a rule the registry does not declare."""
    declared = registry.all_rules()
    for rule in declared.values():
        for example in rule.hit + rule.nohit:
            report = run_draft(unmark(example)[0], *[rule.check] if rule.check in registry.check_names() else [])
            undeclared = {f.rule for f in report.findings} - set(declared)
            assert not undeclared, f"{rule.id}'s example {example!r} reports undeclared {sorted(undeclared)}"
