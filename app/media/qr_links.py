"""Judging a link decoded from a QR code with the link check's own static rules.

A QR code in an image is a link the reader follows with one scan, so it meets the same rules as a
link in the text (三(四)4): ``app.links.rules.evaluate`` decides, this module only adapts its
verdicts (the catalogue resolves each link rule's severity and enablement, as for a link in the text).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..links import rules as link_rules
from ..models import SEVERITY_RANK


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: str  # the link rule that fired
    severity: str
    message: str


class LinkJudge:
    """Built once per Resources, with the link rules' data (deny list, allow list, shorteners)."""

    def __init__(self, ctx):
        self.data = link_rules.load_data(ctx.lexicon_dirs, ctx.options("link"))
        self.catalog = ctx.catalog

    def judge(self, url: str) -> list[Verdict]:
        """Every link rule ``url`` breaks (disabled rules left out), most severe first."""
        found = [Verdict(i.rule, how.severity, i.message) for i in link_rules.evaluate(url, self.data)
                 if (how := self.catalog.resolve(i.rule, i.severity)) is not None]
        return sorted(found, key=lambda v: -SEVERITY_RANK.get(v.severity, 0))
