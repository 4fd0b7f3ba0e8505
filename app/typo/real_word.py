"""Real-word errors that a trigram cannot separate: each character is a word somewhere (在/再, 有/由,
象/像), and only the frame around it says which one the writer meant (再此基础上 → 在, 本次活动有工会
主办 → 由). The frames are data, ``lexicons/typo/real_word.tsv``, one rule a line:

    pattern<TAB>right<TAB>examples that must match<TAB>examples that must not

``pattern`` is a regular expression with one group, the wrong character(s); ``right`` replaces the
group. Examples are separated by `` | ``; every rule's examples are run as tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable


class RealWordError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: re.Pattern
    right: str
    hits: tuple[str, ...]
    nohits: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    wrong: str
    right: str


def parse(lines: Iterable[str]) -> list[Rule]:
    out = []
    for line in lines:
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise RealWordError(f"real_word.tsv: expected 'pattern<TAB>right[<TAB>hits<TAB>nohits]', got {line!r}")
        try:
            pattern = re.compile(parts[0])
        except re.error as e:
            raise RealWordError(f"real_word.tsv: {parts[0]!r} is not a regular expression ({e})") from None
        if pattern.groups != 1:
            raise RealWordError(f"real_word.tsv: {parts[0]!r} must have exactly one group (the wrong characters)")

        def examples(k: int) -> tuple[str, ...]:
            return tuple(x.strip() for x in parts[k].split(" | ") if x.strip()) if len(parts) > k else ()

        out.append(Rule(pattern, parts[1].strip(), examples(2), examples(3)))
    return out


def find(text: str, rules: list[Rule]) -> list[Match]:
    out = []
    for r in rules:
        for m in r.pattern.finditer(text):
            s, e = m.span(1)
            if m.group(1) != r.right:
                out.append(Match(s, e, m.group(1), r.right))
    return out
