"""A rule: one stable id, its default severity and clause, what it means, and its own examples.

Each check module declares its ``RULES``; the examples are run as tests (tests/test_rule_examples.py),
so a rule's documentation cannot drift from its behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import Severity

# An example is the body of a plain-text draft, or a dict of Draft fields for anything richer
# (markdown, html, title, author, media, channel).
Example = str | dict[str, Any]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    clause: str | None
    description: str
    hit: tuple[Example, ...] = ()
    nohit: tuple[Example, ...] = ()
    needs: str | None = None  # an engine the examples need (e.g. "lm"); tests skip when it is absent

    @property
    def check(self) -> str:
        return self.id.split(".", 1)[0]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "check": self.check, "severity": self.severity, "clause": self.clause,
                "description": self.description, "examples": {"hit": list(self.hit), "nohit": list(self.nohit)}}
