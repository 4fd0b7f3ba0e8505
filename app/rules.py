"""A rule: one stable id, its default severity and clause, what it means, and its own examples.

Each check module declares its ``RULES``; the examples are run as tests (tests/checks/test_rule_examples.py),
so a rule's documentation cannot drift from its behaviour. A hit example may mark what the rule must
select, and the first suggestion it must offer: ``请及时⟦按装→安装⟧软件`` — the finding covers
exactly 按装 and suggests 安装 first; ``⟦按装⟧`` pins the span alone. Marks may sit in a dict example's
``body`` or ``title``; one example may carry several.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from .models import Severity

# An example is the body of a plain-text draft, or a dict of Draft fields for anything richer
# (markdown, html, title, author, media, channel).
Example = str | dict[str, Any]

# Where a rule looks: "text" skips code (inline code, code blocks), "code" looks only there,
# "links" judges link targets, "all" reads everything.
Scope = Literal["text", "code", "links", "all"]
SCOPES: tuple[str, ...] = ("text", "code", "links", "all")

MAX_PER_FIELD = 200  # nobody fixes the 201st identical warning by reading it

_MARK = re.compile(r"⟦(.+?)(?:→(.*?))?⟧", re.S)


@dataclass(frozen=True, slots=True)
class Mark:
    """What a hit example says the finding must select (in the field as submitted) and suggest first."""

    field: str
    offset: int
    text: str
    fix: str | None


def _unmark_text(field: str, text: str) -> tuple[str, list[Mark]]:
    out, marks, pos = [], [], 0
    for m in _MARK.finditer(text):
        out.append(text[pos:m.start()])
        at = sum(map(len, out))
        marks.append(Mark(field, at, m.group(1), m.group(2)))
        out.append(m.group(1))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), marks


def unmark(example: Example) -> tuple[Example, list[Mark]]:
    """The example as a draft receives it, and the marks it carried."""
    if isinstance(example, str):
        return _unmark_text("body", example)
    plain, marks = dict(example), []
    for name in ("title", "body"):
        if isinstance(plain.get(name), str):
            plain[name], found = _unmark_text(name, plain[name])
            marks += found
    return plain, marks


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    clause: str | None
    description: str
    hit: tuple[Example, ...] = ()
    nohit: tuple[Example, ...] = ()
    needs: str | None = None  # an engine the examples need (e.g. "lm"); tests skip when it is absent
    scope: Scope = "all"
    max_per_field: int = MAX_PER_FIELD

    def __post_init__(self):
        if self.scope not in SCOPES:
            raise ValueError(f"rule {self.id}: scope {self.scope!r} is not one of {list(SCOPES)}")
        if self.max_per_field < 1:
            raise ValueError(f"rule {self.id}: max_per_field must be at least 1")

    @property
    def check(self) -> str:
        return self.id.split(".", 1)[0]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "check": self.check, "severity": self.severity, "clause": self.clause,
                "description": self.description, "scope": self.scope,
                "examples": {"hit": [unmark(e)[0] for e in self.hit], "nohit": list(self.nohit)}}
