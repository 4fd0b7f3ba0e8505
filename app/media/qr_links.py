"""Judging a link decoded from a QR code with the link check's own static rules.

A QR code in an image is a link the reader follows with one scan, so it meets the same rules as a
link in the text (三(四)4): ``app.links.rules.evaluate`` decides, this module only adapts its
verdicts (a rule's severity is the one configured for that link rule).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from ..links import rules as link_rules
from ..models import SEVERITY_RANK


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: str  # the link rule that fired
    severity: str
    message: str


# The severities clause 三(四)4 fixes for the worst link rules; used only when the link check is not
# installed (its own declarations, and the configuration, take precedence).
_FALLBACK = {"link.scheme": "block", "link.deny": "block", "link.homograph": "block"}


def _declared_severities() -> dict[str, str]:
    try:
        module = importlib.import_module("app.checks.link")
    except ImportError:
        return dict(_FALLBACK)
    return {**_FALLBACK, **{r.id: r.severity for r in getattr(module, "RULES", ())}}


class LinkJudge:
    """Built once per Resources, with the link rules' data (deny list, allow list, shorteners)."""

    def __init__(self, ctx):
        self.data = link_rules.load_data(ctx.lexicon_dirs, ctx.options("link"))
        self.config = ctx.config
        self.severities = _declared_severities()

    def _severity(self, issue) -> str:
        return (self.config.severity(issue.rule) or issue.severity or self.severities.get(issue.rule)
                or "warning")

    def judge(self, url: str) -> list[Verdict]:
        """Every link rule ``url`` breaks (disabled rules left out), most severe first."""
        found = [Verdict(i.rule, self._severity(i), i.message) for i in link_rules.evaluate(url, self.data)
                 if self.config.rule_enabled(i.rule)]
        return sorted(found, key=lambda v: -SEVERITY_RANK.get(v.severity, 0))
