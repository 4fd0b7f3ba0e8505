"""Every rule's own examples are its tests: each hit example yields the rule, each no-hit does not."""

from __future__ import annotations

import pytest

from app import registry
from support import run_draft

CASES = [(rule.id, kind, i, ex) for rule in registry.all_rules().values()
         for kind, examples in (("hit", rule.hit), ("nohit", rule.nohit)) for i, ex in enumerate(examples)]


def test_every_rule_has_both_kinds_of_example():
    for rule in registry.all_rules().values():
        assert rule.hit, f"{rule.id} has no hit example"
        assert rule.nohit, f"{rule.id} has no no-hit example"


@pytest.mark.parametrize("rule_id,kind,i,example", CASES, ids=[f"{c[0]}-{c[1]}{c[2]}" for c in CASES])
def test_rule_example(rule_id, kind, i, example):
    rule = registry.all_rules()[rule_id]
    report = run_draft(example, rule.check)
    status = next(c for c in report.checks if c.name == rule.check)
    if rule.needs and (status.status == "degraded" or rule.needs not in (status.engine or "").split("+")):
        pytest.skip(f"{rule.id} needs {rule.needs}: {status.detail}")
    rules_found = [f.rule for f in report.findings]
    if kind == "hit":
        assert rule_id in rules_found, f"{example!r} should trigger {rule_id}; got {rules_found}"
        for f in report.findings:
            if f.rule == rule_id:
                assert f.clause == rule.clause or rule.clause is None or f.clause
    else:
        assert rule_id not in rules_found, f"{example!r} must not trigger {rule_id}; got {report.findings}"
