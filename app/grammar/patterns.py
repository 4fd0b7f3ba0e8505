"""Sentence patterns that are 语病 whatever words fill them: 通过……，使…… (no subject), 大约……左右
(redundant), 原因是……造成的 (two constructions mixed).

``sentence_patterns.tsv`` holds one regular expression per row with its rule, its fixes (templates
for the whole match) and its message; a company folder may add rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, slots=True)
class Pattern:
    rule: str
    regex: re.Pattern
    fixes: tuple[str, ...]
    message: str


@dataclass(frozen=True, slots=True)
class Match:
    rule: str
    start: int
    end: int
    suggestions: tuple[str, ...]
    message: str


def parse(lines: Iterable[str], rules: frozenset[str]) -> list[Pattern]:
    out = []
    for line in lines:
        parts = line.split("\t")
        if len(parts) != 4 or parts[0] not in rules:
            raise ValueError(f"sentence_patterns.tsv: expected rule<TAB>pattern<TAB>fixes<TAB>message with a rule of "
                             f"{sorted(rules)}, got {line!r}")
        try:
            regex = re.compile(parts[1])
        except re.error as e:
            raise ValueError(f"sentence_patterns.tsv: bad pattern {parts[1]!r}: {e}") from None
        out.append(Pattern(parts[0], regex, tuple(f for f in parts[2].split("|") if f), parts[3].strip()))
    return out


def find(sentence: str, patterns: list[Pattern]) -> list[Match]:
    """Matches in one sentence; its leading spaces are no part of it (^ is its first character)."""
    lead = len(sentence) - len(sentence.lstrip())
    body = sentence[lead:]
    out = []
    for p in patterns:
        for m in p.regex.finditer(body):
            out.append(Match(p.rule, lead + m.start(), lead + m.end(), tuple(m.expand(f) for f in p.fixes), p.message))
    return out
