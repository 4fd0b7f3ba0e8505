"""Paired conjunctions that are mixed up: 虽然…所以, 不但…但是, 只有…就.

``paired_conjunctions.tsv`` lists, for an opening conjunction, partners that never complete it and
the partners that do. A sentence is reported when the opener is followed by a wrong partner with no
right partner between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .tokens import Token


@dataclass(frozen=True, slots=True)
class Pair:
    first: str
    wrong: frozenset[str]
    right: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Mismatch:
    first_start: int
    start: int  # the wrong partner
    end: int
    first: str
    partner: str
    right: tuple[str, ...]


def parse(lines: Iterable[str]) -> dict[str, Pair]:
    pairs = {}
    for line in lines:
        parts = line.split("\t")
        if len(parts) < 3:
            raise ValueError(f"paired_conjunctions.tsv: expected 3 tab-separated columns, got {line!r}")
        first = parts[0].strip()
        pairs[first] = Pair(first, frozenset(p for p in parts[1].strip().split("|") if p),
                            tuple(p for p in parts[2].strip().split("|") if p))
    return pairs


def _starts(tokens: list[Token], k: int, word: str) -> bool:
    """``word`` begins at token k, whether the segmenter kept it whole or glued it to a neighbour."""
    return tokens[k].text.startswith(word) or (
        "".join(t.text for t in tokens[k:k + len(word)]).startswith(word) and tokens[k].text == word[0])


def find(tokens: list[Token], pairs: dict[str, Pair]) -> list[Mismatch]:
    out = []
    for k, t in enumerate(tokens):
        pair = pairs.get(t.text)
        if pair is None:
            continue
        for j in range(k + 1, len(tokens)):
            u = tokens[j].text
            if u in pair.right or u == pair.first:
                break
            partner = next((w for w in pair.wrong if _starts(tokens, j, w)), None)
            if partner is not None:
                out.append(Mismatch(t.start, tokens[j].start, tokens[j].start + len(partner), pair.first,
                                    partner, pair.right))
                break
    return out
